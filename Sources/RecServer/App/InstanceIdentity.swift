import Foundation
import RecCore

/// A stable id for this instance's data folder, so jobs pinned to it (imports) survive a restart.
enum InstanceIdentity {
    static func load(dataDirectory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let path = (dataDirectory as NSString).appendingPathComponent("instance-id")
        if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let id = Identifier.random(prefix: "i", bytes: 8)
        try id.write(toFile: path, atomically: true, encoding: .utf8)
        return id
    }
}
