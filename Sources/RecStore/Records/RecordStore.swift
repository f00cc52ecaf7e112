import Foundation
import RecCore
import RecTelemetry

/// The service's data: tenants, keys, catalogue, events and jobs, written once over either SQL database and
/// measured through the store's `ModuleInstrument` (a span, a call count, errors and a duration per operation).
public final class RecordStore: Sendable {
    /// The database underneath.
    public let database: any SQLDatabase
    let instrument: ModuleInstrument

    /// Creates the store over `database`, recording into `telemetry` (where every operation's call counter, and its
    /// error counters for the store's own failures, start at 0).
    public init(database: any SQLDatabase, telemetry: Telemetry) {
        self.database = database
        self.instrument = telemetry.store
        instrument.prepare(operations: Self.operations, errors: StoreError.Code.failures.map(\.description))
    }

    /// Runs `body` as the instrumented operation `operation`.
    func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        try await instrument.measure(operation, attributes: [("db.system", database.dialect == .sqlite ? "sqlite" : "postgresql")], body)
    }

    /// Whether the store answers (for readiness).
    public func ping() async -> Bool {
        await database.ping()
    }
}

/// JSON text helpers for the columns that hold structured values.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        try JSONText.string(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?, default fallback: T) -> T {
        guard let text, let value = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else { return fallback }
        return value
    }
}
