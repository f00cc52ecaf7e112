import Foundation

/// The one JSON encoding the service writes (columns, responses, hashes, command output): sorted keys, so equal
/// values give equal bytes.
public enum JSONText {
    /// `value` as JSON bytes; throws when it cannot be represented (e.g. a non-finite number).
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// `value` as a JSON string.
    public static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }
}
