import Foundation
import Logging
import NIOCore
import PostgresNIO
import _ConnectionPoolModule
import ServiceLifecycle

/// The shared store for several replicas: a PostgresNIO connection pool.
public final class PostgresDatabase: SQLDatabase, Service {
    /// Always `.postgres`.
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let logger: Logger
    private let pingTimeout: Duration

    /// Creates a pool from a `postgres://user:password@host:port/database` URL; `ping` (readiness) answers false
    /// when the server has not answered within `pingTimeout`.
    public init(url: String, logger: Logger, pingTimeout: Duration = .seconds(3)) throws {
        self.client = PostgresClient(configuration: try Self.configuration(url), backgroundLogger: logger)
        self.logger = logger
        self.pingTimeout = pingTimeout
    }

    /// Runs the pool until shutdown; must be running before any query.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.client.run()
        }
    }

    /// Runs a statement that returns no rows.
    public func execute(_ query: SQLQuery) async throws {
        try await withLeasedConnection { connection in
            try await Self.run(query, on: { try await connection.query($0, logger: self.logger) })
        }
    }

    /// Runs a statement and returns its rows.
    public func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await withLeasedConnection { connection in
            try await Self.collect(query, on: { try await connection.query($0, logger: self.logger) })
        }
    }

    /// Inserts rows as multi-row `VALUES` statements of at most 30,000 parameters.
    public func insertMany(table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws {
        try await transaction { try await $0.insertMany(table: table, columns: columns, rows: rows, suffix: suffix) }
    }

    /// Runs `body` in one transaction on one pooled connection.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        do {
            return try await withLeasedConnection { connection in
                try await connection.withTransaction(logger: self.logger) { connection in
                    try await body(PostgresTransaction(connection: connection, logger: self.logger))
                }
            }
        } catch let error as PostgresTransactionError {
            let underlying = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError
            if let underlying = underlying as? PSQLError { throw Self.translate(underlying) }
            throw underlying ?? StoreError.database("PostgreSQL transaction failed")
        }
    }

    /// Runs `body` on a pooled connection; the pool's own refusals (shut down, or its circuit breaker open after
    /// 15 s of failed connection attempts: the database is down or unreachable) are `StoreError.unavailable`.
    private func withLeasedConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as ConnectionPoolError {
            throw StoreError.unavailable("PostgreSQL: \(error)")
        }
    }

    /// Whether the server answers within `pingTimeout` (readiness must not wait for the pool to give up).
    public func ping() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.query("SELECT 1::BIGINT AS one").first?.int("one")) == 1 }
            group.addTask {
                try? await Task.sleep(for: self.pingTimeout)
                return false
            }
            let answer = await group.next() ?? false
            group.cancelAll()
            return answer
        }
    }


    static func run(_ query: SQLQuery, on send: (PostgresQuery) async throws -> PostgresRowSequence) async throws {
        do {
            for try await _ in try await send(render(query)) {}
        } catch let error as PSQLError {
            throw translate(error)
        }
    }

    static func collect(_ query: SQLQuery, on send: (PostgresQuery) async throws -> PostgresRowSequence) async throws -> [SQLRow] {
        do {
            var rows: [SQLRow] = []
            var columns: [String: Int]?
            for try await row in try await send(render(query)) {
                if columns == nil {
                    var map: [String: Int] = [:]
                    for (index, cell) in row.enumerated() { map[cell.columnName] = index }
                    columns = map
                }
                rows.append(SQLRow(columns: columns ?? [:], values: try row.map(value)))
            }
            return rows
        } catch let error as PSQLError {
            throw translate(error)
        }
    }

    static func render(_ query: SQLQuery) -> PostgresQuery {
        let (sql, values) = query.render(.postgres)
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: binds.appendNull()
            case .int(let int): binds.append(int)
            case .double(let double): binds.append(double)
            case .text(let text): binds.append(text)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    static func translate(_ error: PSQLError) -> StoreError {
        let state = error.serverInfo?[.sqlState]
        let message = error.serverInfo?[.message] ?? String(reflecting: error.code)
        if state == "23505" { return .uniqueViolation("PostgreSQL: \(message)") }
        if error.serverInfo == nil { return .unavailable("PostgreSQL: \(message)") }
        return .database("PostgreSQL \(state ?? ""): \(message)")
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2: return .int(try cell.decode(Int64.self))
        case .float8, .float4: return .double(try cell.decode(Double.self))
        // NUMERIC (what PostgreSQL's SUM of integers returns) arrives in binary: decoded as a decimal, never as text.
        case .numeric: return .double(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue)
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default: return .text(try cell.decode(String.self))
        }
    }

    private static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let components = URLParts(url), ["postgres", "postgresql"].contains(components.scheme) else {
            throw StoreError.unavailable("--database-url must look like postgres://user:password@host:5432/database")
        }
        var configuration = PostgresClient.Configuration(
            host: components.host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: components.database, tls: components.requireTLS ? .require(.makeClientConfiguration()) : .disable
        )
        configuration.options.maximumConnections = 16
        return configuration
    }
}

/// The executor handed to a PostgreSQL transaction body: one leased connection.
struct PostgresTransaction: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    func execute(_ query: SQLQuery) async throws {
        try await PostgresDatabase.run(query, on: { try await connection.query($0, logger: logger) })
    }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        try await PostgresDatabase.collect(query, on: { try await connection.query($0, logger: logger) })
    }

    func insertMany(table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws {
        let rowsPerStatement = max(1, 30_000 / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + rowsPerStatement)]
            var query = SQLQuery(stringLiteral: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ")
            for (rowIndex, row) in chunk.enumerated() {
                query.fragments.append(.sql(rowIndex == 0 ? "(" : ", ("))
                for (columnIndex, value) in row.enumerated() {
                    if columnIndex > 0 { query.fragments.append(.sql(", ")) }
                    query.fragments.append(.bind(value))
                }
                query.fragments.append(.sql(")"))
            }
            query.fragments.append(.sql(" " + suffix))
            try await execute(query)
            start += rowsPerStatement
        }
    }
}
