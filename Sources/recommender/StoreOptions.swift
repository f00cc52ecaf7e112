import ArgumentParser
import Foundation

/// Where the data lives: SQLite in a folder by default, PostgreSQL with a URL.
struct StoreOptions: ParsableArguments {
    @Option(help: "Folder for the embedded SQLite database, import spool and instance id (default ./data; also RECOMMENDER_DATA_DIR).")
    var dataDir: String?

    @Option(help: "PostgreSQL URL (postgres://user:password@host:5432/db); without it SQLite in --data-dir is used. Also RECOMMENDER_DATABASE_URL.")
    var databaseURL: String?

    /// The data folder: the flag, else `RECOMMENDER_DATA_DIR`, else `./data`.
    var resolvedDataDirectory: String {
        dataDir ?? ProcessInfo.processInfo.environment["RECOMMENDER_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
    }

    /// The PostgreSQL URL: the flag, else `RECOMMENDER_DATABASE_URL`, else none (SQLite).
    var resolvedDatabaseURL: String? {
        databaseURL ?? ProcessInfo.processInfo.environment["RECOMMENDER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
