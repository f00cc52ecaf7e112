import RecCore
import RecServing

extension RecommendationQuery {
    /// Reads and validates a `POST /api/v1/recommendations` body of `tenantID`; the first problem is a 400 naming its
    /// field.
    static func parse(_ body: JSONValue, tenantID: String) throws -> RecommendationQuery {
        var reader = FieldReader(body, path: "")
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        reader.rejectUnknownKeys(["user_id", "count", "filters", "exclude_item_ids", "exclude_seen"])
        let userID = reader.requiredID("user_id")
        let count = readCount(&reader, key: "count")
        var filter = ItemFilter()
        if let filters = reader.optionalObject("filters") {
            var inner = FieldReader(.object(filters), path: "filters")
            inner.rejectUnknownKeys(["category", "categories", "properties"])
            var categories: Set<String>?
            if let category = inner.optionalString("category", maxBytes: 256) { categories = [category] }
            if let list = inner.optionalStrings("categories", maxCount: 100, maxBytes: 256) {
                if list.isEmpty { inner.fail("categories", "must not be empty (leave it out to allow every category)") }
                categories = (categories ?? []).union(list)
            }
            filter.categories = categories
            if let properties = inner.optionalObject("properties") {
                for (key, value) in properties where value.arrayValue != nil || value.objectValue != nil {
                    inner.fail("properties.\(key)", "must be a string, number, boolean or null to match exactly")
                }
                filter.properties = properties
            }
            if let first = inner.errors.first { throw RecError.invalidField(first.field, first.message) }
        }
        if let excluded = reader.optionalStrings("exclude_item_ids", maxCount: 1_000, maxBytes: Identifier.maxBytes) {
            filter.excluded = Set(excluded)
        }
        let excludeSeen = reader.optionalBool("exclude_seen") ?? true
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        return RecommendationQuery(tenantID: tenantID, userID: userID, count: count, filter: filter, excludeSeen: excludeSeen)
    }

    /// An optional whole `count` from 1 to `maxCount`, 10 by default.
    static func readCount(_ reader: inout FieldReader, key: String) -> Int {
        guard let value = reader.optionalNumber(key, in: -1e12...1e12) else { return 10 }
        guard value == value.rounded(), (1...Double(maxCount)).contains(value) else {
            reader.fail(key, "must be a whole number from 1 to \(maxCount)")
            return 10
        }
        return Int(value)
    }
}
