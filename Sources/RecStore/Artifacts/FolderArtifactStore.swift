import Foundation

/// Artifacts as files under a folder (`<root>/<tenant>/<version>.model`), written to a temporary name, synced and
/// renamed, so a crash never leaves a half-written artifact under the real name. The embedded default.
public struct FolderArtifactStore: ArtifactStore {
    /// The folder artifacts live under.
    public let root: String

    /// A store under `root` (created on first write).
    public init(root: String) {
        self.root = root
    }

    private func path(_ tenantID: String, _ version: String) -> String {
        "\(root)/\(tenantID)/\(version).model"
    }

    /// Writes atomically (temporary file, fsync, rename).
    public func put(tenantID: String, version: String, bytes: [UInt8]) async throws {
        let folder = "\(root)/\(tenantID)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let final = path(tenantID, version)
        let temporary = final + ".part"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result <= 0 { return false }
                written += result
            }
            return fsync(descriptor) == 0
        }
        close(descriptor)
        guard ok, rename(temporary, final) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final])
        }
    }

    /// Reads the file, nil when missing.
    public func read(tenantID: String, version: String) async throws -> [UInt8]? {
        FileManager.default.contents(atPath: path(tenantID, version)).map { [UInt8]($0) }
    }

    /// Deletes the file.
    public func delete(tenantID: String, version: String) async throws {
        unlink(path(tenantID, version))
    }
}
