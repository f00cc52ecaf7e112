import Crypto
import RecCore

/// Where trained model artifacts live: a folder on one machine, or the database when replicas share them.
/// Every read is checked against the SHA-256 recorded when the artifact was written.
public protocol ArtifactStore: Sendable {
    /// Stores `bytes` for a tenant's version (replacing nothing: versions are unique).
    func put(tenantID: String, version: String, bytes: [UInt8]) async throws
    /// The stored bytes, nil when missing.
    func read(tenantID: String, version: String) async throws -> [UInt8]?
    /// Removes an artifact (e.g. after a failed registration); no error when missing.
    func delete(tenantID: String, version: String) async throws
}

extension ArtifactStore {
    /// The bytes of a version, verified against `checksum`; throws `StoreError.artifactMissing` or `.artifactCorrupt`.
    public func verifiedRead(tenantID: String, version: String, checksum: String) async throws -> [UInt8] {
        guard let bytes = try await read(tenantID: tenantID, version: version) else {
            throw StoreError.artifactMissing(version)
        }
        guard ArtifactChecksum.of(bytes) == checksum else {
            throw StoreError.artifactCorrupt(version)
        }
        return bytes
    }
}

/// SHA-256 of artifact bytes, as lowercase hex.
public enum ArtifactChecksum {
    /// The checksum of `bytes`.
    public static func of(_ bytes: [UInt8]) -> String {
        Identifier.hex(SHA256.hash(data: bytes))
    }
}
