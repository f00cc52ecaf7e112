import Foundation
import RecCore

/// What an import holds and how it is encoded.
struct ImportFormat: Sendable, Equatable {
    enum Kind: String, Sendable {
        case interactions
        case items
        case users
    }

    enum Encoding: String, Sendable {
        case csv
        case ndjson
    }

    let kind: Kind
    let encoding: Encoding

    /// Parses the `type` query parameter and the content type, or names what is wrong.
    init(type: String?, contentType: String?) throws {
        guard let type else { throw RecError.invalidField("type", "is required: interactions, items or users") }
        guard let kind = Kind(rawValue: type) else { throw RecError.invalidField("type", "must be interactions, items or users") }
        let media = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch media {
        case "text/csv": encoding = .csv
        case "application/x-ndjson", "application/jsonl", "application/jsonlines": encoding = .ndjson
        default: throw RecError.unsupportedMediaType("send imports as text/csv (with a header row) or application/x-ndjson")
        }
        self.kind = kind
    }

    init(kind: Kind, encoding: Encoding) {
        self.kind = kind
        self.encoding = encoding
    }

    /// Columns every CSV header must have.
    var requiredColumns: [String] {
        switch kind {
        case .interactions: ["user_id", "item_id", "interaction_type"]
        case .items: ["item_id"]
        case .users: ["user_id"]
        }
    }

    /// Columns a CSV header may have; for items and users other columns become string properties.
    var knownColumns: Set<String> {
        switch kind {
        case .interactions: RowParser.interactionFields
        case .items: RowParser.itemFields
        case .users: RowParser.userFields
        }
    }

    /// Checks a CSV header, returning the column names.
    func validate(header: [String]) throws -> [String] {
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        for required in requiredColumns where !columns.contains(required) {
            throw ImportFailure("the CSV header must name the column '\(required)' (got: \(columns.joined(separator: ",")))")
        }
        if kind == .interactions, let unknown = columns.first(where: { !knownColumns.contains($0) }) {
            throw ImportFailure("unknown CSV column '\(unknown)'; interaction imports accept \(knownColumns.sorted().joined(separator: ","))")
        }
        if Set(columns).count != columns.count { throw ImportFailure("the CSV header names a column twice") }
        return columns
    }

    /// Turns one CSV record into the JSON object the API would take, or a problem with the record's shape.
    func object(columns: [String], fields: [String]) -> Result<JSONValue, RowError> {
        guard fields.count == columns.count else {
            return .failure(RowError(index: 0, field: "$", message: "has \(fields.count) fields; the header has \(columns.count)"))
        }
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(columns.count)
        var extra: [String: JSONValue] = [:]
        let known = knownColumns
        for (column, field) in zip(columns, fields) where !field.isEmpty {
            switch column {
            case "weight", "value":
                object[column] = Double(field).map(JSONValue.number) ?? .string(field)
            case "timestamp":
                object[column] = Double(field).map(JSONValue.number) ?? .string(field)
            case "available":
                switch field.lowercased() {
                case "true", "1", "yes": object[column] = .bool(true)
                case "false", "0", "no": object[column] = .bool(false)
                default: object[column] = .string(field)
                }
            case "tags":
                object[column] = .array(field.split(separator: "|").map { .string(String($0)) })
            case "properties":
                object[column] = (try? JSONParser.parse(Array(field.utf8))) ?? .string(field)
            default:
                if known.contains(column) {
                    object[column] = .string(field)
                } else {
                    extra[column] = .string(field)
                }
            }
        }
        if !extra.isEmpty {
            var properties = object["properties"]?.objectValue ?? [:]
            properties.merge(extra) { existing, _ in existing }
            object["properties"] = .object(properties)
        }
        return .success(.object(object))
    }
}
