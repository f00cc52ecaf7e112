import RecCore

/// Artifacts as rows of `model_artifacts`, so every replica reads what any replica trained (PostgreSQL default).
public struct DatabaseArtifactStore: ArtifactStore {
    private let store: RecordStore

    /// A store over the record store's database.
    public init(store: RecordStore) {
        self.store = store
    }

    /// Inserts the blob.
    public func put(tenantID: String, version: String, bytes: [UInt8]) async throws {
        try await store.measure("put_artifact") {
            try await store.database.execute("INSERT INTO model_artifacts (tenant_id, version, data) VALUES (\(tenantID), \(version), \(bytes))")
        }
    }

    /// Reads the blob, nil when missing.
    public func read(tenantID: String, version: String) async throws -> [UInt8]? {
        try await store.measure("read_artifact") {
            try await store.database.query("SELECT data FROM model_artifacts WHERE tenant_id = \(tenantID) AND version = \(version)").first?.bytes("data")
        }
    }

    /// Deletes the row.
    public func delete(tenantID: String, version: String) async throws {
        try await store.measure("delete_artifact") {
            try await store.database.execute("DELETE FROM model_artifacts WHERE tenant_id = \(tenantID) AND version = \(version)")
        }
    }
}
