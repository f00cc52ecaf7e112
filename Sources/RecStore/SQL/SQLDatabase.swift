/// Runs statements on one connection (inside a transaction) or on a pool.
public protocol SQLExecutor: Sendable {
    /// The SQL flavour spoken.
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ query: SQLQuery) async throws
    /// Runs a statement and returns its rows.
    func query(_ query: SQLQuery) async throws -> [SQLRow]
    /// Inserts many rows with one statement shape: `INSERT INTO table (columns) VALUES (...) suffix`.
    func insertMany(table: String, columns: [String], rows: [[SQLValue]], suffix: String) async throws
}

/// A database: statements outside transactions, transactions, and a liveness check.
public protocol SQLDatabase: SQLExecutor {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Whether the database answers a trivial query.
    func ping() async -> Bool
}
