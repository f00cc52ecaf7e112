import Foundation
import Logging
import RecStore
import RecTelemetry

/// The stores a test runs against: SQLite always, PostgreSQL when `RECOMMENDER_TEST_DATABASE_URL` is set
/// (and, under CI, a missing URL fails the PostgreSQL cases instead of skipping them).
public enum TestStore: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The stores this run covers.
    public static var all: [TestStore] {
        let environment = ProcessInfo.processInfo.environment
        let hasURL = !(environment["RECOMMENDER_TEST_DATABASE_URL"] ?? "").isEmpty
        let inCI = !(environment["CI"] ?? "").isEmpty && environment["CI"] != "false"
        return hasURL || inCI ? [.sqlite, .postgres] : [.sqlite]
    }

    /// The name shown in test output.
    public var description: String { rawValue }

    /// The PostgreSQL URL for `.postgres`, nil for SQLite; throws when PostgreSQL is asked for but not configured.
    public func databaseURL() throws -> String? {
        switch self {
        case .sqlite: return nil
        case .postgres:
            guard let url = ProcessInfo.processInfo.environment["RECOMMENDER_TEST_DATABASE_URL"], !url.isEmpty else {
                throw MissingDatabase()
            }
            return url
        }
    }

    /// A new empty folder for a test's data.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "rec-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Opens and migrates a store of this kind with its own data folder; `body` runs while the pool (if any) runs.
    public func withRecordStore<T: Sendable>(_ body: @escaping @Sendable (RecordStore) async throws -> T) async throws -> T {
        try await withRecordStoreAt(try Self.temporaryDirectory(), body)
    }

    /// Opens and migrates a store of this kind over the data folder `directory`.
    public func withRecordStoreAt<T: Sendable>(_ directory: String, _ body: @escaping @Sendable (RecordStore) async throws -> T) async throws -> T {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try await StoreFactory.withMigratedStore(databaseURL: try databaseURL(), dataDirectory: directory, telemetry: Telemetry(), logger: logger, body)
    }
}

/// PostgreSQL tests were required (CI) but no database URL was given.
public struct MissingDatabase: Error, CustomStringConvertible {
    /// What to do about it.
    public var description: String { "RECOMMENDER_TEST_DATABASE_URL is not set; run the tests through ./scripts/test.sh, which starts PostgreSQL" }
}
