import RecCore

/// The embedded store: one SQLite file in WAL mode, a single writer connection and a few reader connections, each
/// connection used only on its own thread (SQLite blocks; the Swift concurrency pool must not).
public final class SQLiteDatabase: SQLDatabase {
    /// Always `.sqlite`.
    public let dialect = SQLDialect.sqlite
    private let writer: SQLiteConnection
    private let writerThread: WorkerThread
    private let readers: [SQLiteConnection]
    private let readerThreads: [WorkerThread]
    private let nextReader = RoundRobin()
    private let groupCommit: GroupCommit

    /// Opens (creating) the database file at `path`; `synchronousFull` makes every commit survive power loss too.
    public init(path: String, readers readerCount: Int = 4, synchronousFull: Bool = false) throws {
        writer = try SQLiteConnection(path: path, readOnly: false)
        try writer.exec(synchronousFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        readers = try (0..<max(1, readerCount)).map { _ in try SQLiteConnection(path: path, readOnly: false) }
        writerThread = WorkerThread(name: "sqlite-writer")
        readerThreads = readers.indices.map { WorkerThread(name: "sqlite-reader-\($0)") }
        groupCommit = GroupCommit(connection: writer, thread: writerThread)
    }

    deinit {
        writerThread.stop()
        for thread in readerThreads { thread.stop() }
    }

    /// Runs a write statement in its own (group-committed) transaction.
    public func execute(_ query: SQLQuery) async throws {
        try await transaction { try await $0.execute(query) }
    }

    /// Runs a read on a reader connection; statements that write (RETURNING) go to the writer.
    public func query(_ query: SQLQuery) async throws -> [SQLRow] {
        let (sql, binds) = query.render(dialect)
        if Self.isWrite(sql) {
            return try await transaction { try await $0.query(query) }
        }
        let index = nextReader.next(readers.count)
        let reader = readers[index]
        // The reader's thread runs one statement at a time, so the connection needs no lock of its own.
        return try await readerThreads[index].run { try reader.run(sql, binds, collect: true) }
    }

    /// Inserts rows one statement execution at a time inside a transaction (SQLite's fastest bulk path).
    public func insertMany(table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws {
        try await transaction { try await $0.insertMany(table: table, columns: columns, rows: rows, suffix: suffix) }
    }

    /// Runs `body` atomically on the writer, group-committed with the transactions submitted alongside it.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await groupCommit.submit(body)
    }

    /// Whether the database answers.
    public func ping() async -> Bool {
        (try? await query("SELECT 1 AS one").first?.int("one")) == 1
    }


    private static func isWrite(_ sql: String) -> Bool {
        let head = sql.drop { $0 == " " || $0 == "\n" }.prefix(6).uppercased()
        return head != "SELECT" && !head.hasPrefix("WITH")
    }
}

/// The executor handed to a SQLite transaction body: the writer connection, used only by the group commit draining.
struct SQLiteTransaction: SQLExecutor {
    let connection: SQLiteConnection
    var dialect: SQLDialect { .sqlite }

    func execute(_ query: SQLQuery) async throws {
        let (sql, binds) = query.render(.sqlite)
        _ = try connection.run(sql, binds, collect: false)
    }

    func query(_ query: SQLQuery) async throws -> [SQLRow] {
        let (sql, binds) = query.render(.sqlite)
        return try connection.run(sql, binds, collect: true)
    }

    func insertMany(table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws {
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) \(suffix)"
        try connection.runMany(sql, rows)
    }
}
