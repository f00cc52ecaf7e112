import Foundation
import Logging
import RecTelemetry
import ServiceLifecycle

/// Opens the configured store: PostgreSQL when a URL is given, otherwise SQLite in the data folder.
public enum StoreFactory {
    /// The opened database and, for PostgreSQL, the pool service that must run in the service group.
    public struct Opened: Sendable {
        /// The database.
        public let database: any SQLDatabase
        /// The pool's service (nil for SQLite).
        public let service: (any Service)?
    }

    /// Opens the database; for SQLite creates `dataDirectory` and `recommender.sqlite` in it.
    public static func open(databaseURL: String?, dataDirectory: String, sqliteSynchronousFull: Bool = false, logger: Logger) throws -> Opened {
        if let databaseURL, !databaseURL.isEmpty {
            let database = try PostgresDatabase(url: databaseURL, logger: logger)
            return Opened(database: database, service: database)
        }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let path = (dataDirectory as NSString).appendingPathComponent("recommender.sqlite")
        return Opened(database: try SQLiteDatabase(path: path, synchronousFull: sqliteSynchronousFull), service: nil)
    }

    /// Opens and migrates the store, runs `body` with it (the PostgreSQL pool running meanwhile), then closes it;
    /// for commands and tests that use the store without the server.
    public static func withMigratedStore<T: Sendable>(
        databaseURL: String?, dataDirectory: String, telemetry: Telemetry, logger: Logger,
        _ body: @escaping @Sendable (RecordStore) async throws -> T
    ) async throws -> T {
        let opened = try open(databaseURL: databaseURL, dataDirectory: dataDirectory, logger: logger)
        let store = RecordStore(database: opened.database, telemetry: telemetry)
        guard let pool = opened.service else {
            try await Migrator(database: opened.database).migrate(logger: logger)
            return try await body(store)
        }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await pool.run()
                return nil
            }
            defer { group.cancelAll() }
            try await Migrator(database: opened.database).migrate(logger: logger)
            return try await body(store)
        }
    }
}
