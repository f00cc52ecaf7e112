import Foundation
import RecCore

/// Reads item or user features from an NDJSON file in the format of the service's `POST /imports?type=items` and
/// `?type=users` (one object a line, checked by the same `RowParser`), keyed by external id for `Dataset.withFeatures`.
public enum FeatureFile {
    /// Which rows the file holds.
    public enum Kind: String, Sendable {
        /// Catalogue rows: `item_id`, `title`, `category`, `tags`, `properties`, `available`.
        case items
        /// User rows: `user_id`, `properties`.
        case users
    }

    /// Each id's features; a later line for the same id replaces an earlier one, as an import would. A line that is
    /// not JSON or not a valid row fails with an error naming the file, the line number and the field.
    public static func read(path: String, kind: Kind) throws(RecError) -> [String: EntityFeatures] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidField(kind == .items ? "item-features" : "user-features", "cannot read \(path)")
        }
        return try parse(Array(data), kind: kind, file: path)
    }

    /// Parses NDJSON `bytes`; `file` names the source in errors. Blank lines are skipped but counted.
    public static func parse(_ bytes: [UInt8], kind: Kind, file: String) throws(RecError) -> [String: EntityFeatures] {
        let parser = RowParser(types: [], now: 0)
        var features: [String: EntityFeatures] = [:]
        var line = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            line += 1
            var slice = bytes[start..<end]
            start = end + 1
            if slice.last == 0x0D { slice = slice.dropLast() }
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(slice) } catch {
                throw failure(file: file, line: line, field: "$", message: "is not valid JSON (\(error.description))")
            }
            switch kind {
            case .items:
                switch parser.item(value, path: "") {
                case .row(let item): features[item.itemID] = EntityFeatures(item: item)
                case .invalid(let problems): throw failure(file: file, line: line, problems)
                }
            case .users:
                switch parser.user(value, path: "") {
                case .row(let user): features[user.userID] = EntityFeatures(userProperties: user.properties)
                case .invalid(let problems): throw failure(file: file, line: line, problems)
                }
            }
        }
        return features
    }

    private static func failure(file: String, line: Int, _ problems: [(field: String, message: String)]) -> RecError {
        let first = problems.first ?? (field: "$", message: "is invalid")
        let more = problems.count > 1 ? " (and \(problems.count - 1) more problem\(problems.count > 2 ? "s" : "") on this line)" : ""
        return failure(file: file, line: line, field: first.field, message: first.message + more)
    }

    private static func failure(file: String, line: Int, field: String, message: String) -> RecError {
        RecError(
            code: "invalid_field", status: 400, message: "\(file), line \(line): \(field): \(message)",
            details: ["file": .string(file), "line": .number(Double(line)), "field": .string(field)]
        )
    }
}
