import Logging
import RecCore

/// Applies pending migrations in order, each in its own transaction, recording them in `schema_migrations`.
public struct Migrator: Sendable {
    let database: any SQLDatabase

    /// Creates a migrator for `database`.
    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Applies every migration not yet recorded; safe to run concurrently from several replicas on PostgreSQL.
    @discardableResult
    public func migrate(logger: Logger) async throws -> [Int] {
        // Concurrent `CREATE TABLE IF NOT EXISTS` races on PostgreSQL's catalogue: create it under the lock too.
        try await database.transaction { db in
            try await Self.lock(db)
            try await db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        }
        var applied: [Int] = []
        for migration in Migrations.all {
            let didApply = try await database.transaction { db -> Bool in
                try await Self.lock(db)
                let done = try await db.query("SELECT version FROM schema_migrations WHERE version = \(migration.version)")
                guard done.isEmpty else { return false }
                for statement in migration.sql(for: db.dialect) {
                    try await db.execute(SQLQuery(stringLiteral: statement))
                }
                try await db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(WallClock.nowMillis()))")
                return true
            }
            if didApply {
                applied.append(migration.version)
                logger.info("migration applied", metadata: ["rec.migration": "\(migration.version)", "rec.migration_name": "\(migration.name)"])
            }
        }
        return applied
    }

    /// Serialises replicas that start together (PostgreSQL; the lock is released at commit). SQLite has one writer.
    private static func lock(_ db: any SQLExecutor) async throws {
        guard db.dialect == .postgres else { return }
        try await db.execute("SELECT pg_advisory_xact_lock(\(Int64(7_320_001)))")
    }

    /// The highest applied version.
    public func currentVersion() async throws -> Int {
        Int(try await database.query("SELECT MAX(version) AS version FROM schema_migrations").first?.int("version") ?? 0)
    }
}
