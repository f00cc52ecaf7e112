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
}
