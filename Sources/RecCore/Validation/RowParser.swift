/// Turns one JSON object into a domain row, or the list of problems with it (each with its full field path).
public struct RowParser: Sendable {
    /// The tenant's interaction types by name.
    public let types: [String: InteractionType]
    /// The time assigned to events without a timestamp, in Unix milliseconds.
    public let now: Int64

    /// Creates a parser for a tenant's types.
    public init(types: [InteractionType], now: Int64) {
        self.types = Dictionary(types.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.now = now
    }

    /// The outcome of parsing one row.
    public enum Outcome<Row> {
        case row(Row)
        case invalid([(field: String, message: String)])
    }

    /// The fields an interaction may have.
    public static let interactionFields: Set<String> = ["user_id", "item_id", "interaction_type", "timestamp", "weight", "value", "recommendation_id"]
    /// The fields an item may have.
    public static let itemFields: Set<String> = ["item_id", "title", "category", "tags", "properties", "available"]
    /// The fields a user may have.
    public static let userFields: Set<String> = ["user_id", "properties"]

    /// Parses an interaction: `user_id`, `item_id`, `interaction_type`, optional `timestamp`, `weight`, `value`, `recommendation_id`.
    public func interaction(_ value: JSONValue, path: String) -> Outcome<Interaction> {
        var reader = FieldReader(value, path: path)
        let userID = reader.requiredID("user_id")
        let itemID = reader.requiredID("item_id")
        var typeName = ""
        if let name = reader.optionalString("interaction_type", maxBytes: 64) {
            typeName = name
        } else if reader.object["interaction_type"] == nil || reader.object["interaction_type"] == .null {
            reader.fail("interaction_type", "is required")
        }
        let timestamp = reader.optionalTimestamp("timestamp") ?? now
        let weight = reader.optionalNumber("weight", in: 0...1e6)
        let rating = reader.optionalNumber("value", in: -1e6...1e6)
        let recommendationID = reader.optionalID("recommendation_id")
        reader.rejectUnknownKeys(Self.interactionFields)
        var resolvedWeight = weight ?? 1
        if !typeName.isEmpty {
            if let type = types[typeName] {
                if type.requiresValue {
                    if let rating { resolvedWeight = weight ?? rating } else { reader.fail("value", "is required for '\(typeName)' events") }
                } else {
                    resolvedWeight = weight ?? type.weight
                }
            } else {
                let known = types.keys.sorted().joined(separator: ", ")
                reader.fail("interaction_type", "unknown type '\(typeName.prefix(64))'; this tenant accepts: \(known)")
            }
        }
        guard reader.errors.isEmpty else { return .invalid(reader.errors) }
        return .row(Interaction(userID: userID, itemID: itemID, type: typeName, weight: resolvedWeight, timestamp: timestamp, recommendationID: recommendationID))
    }

    /// Parses an item: `item_id`, optional `title`, `category`, `tags`, `properties`, `available`.
    public func item(_ value: JSONValue, path: String) -> Outcome<Item> {
        var reader = FieldReader(value, path: path)
        let itemID = reader.requiredID("item_id")
        let title = reader.optionalString("title", maxBytes: 1024)
        let category = reader.optionalString("category", maxBytes: 256)
        let tags = reader.optionalStrings("tags") ?? []
        let properties = reader.optionalObject("properties") ?? [:]
        let available = reader.optionalBool("available") ?? true
        reader.rejectUnknownKeys(Self.itemFields)
        if properties.count > 100 { reader.fail("properties", "must have at most 100 keys") }
        guard reader.errors.isEmpty else { return .invalid(reader.errors) }
        return .row(Item(itemID: itemID, title: title, category: category, tags: tags, properties: properties, available: available, updatedAt: now))
    }

    /// Parses a user: `user_id`, optional `properties`.
    public func user(_ value: JSONValue, path: String) -> Outcome<User> {
        var reader = FieldReader(value, path: path)
        let userID = reader.requiredID("user_id")
        let properties = reader.optionalObject("properties") ?? [:]
        reader.rejectUnknownKeys(Self.userFields)
        if properties.count > 100 { reader.fail("properties", "must have at most 100 keys") }
        guard reader.errors.isEmpty else { return .invalid(reader.errors) }
        return .row(User(userID: userID, properties: properties, updatedAt: now))
    }
}
