import RecCore

/// A list the service served, as recorded for attribution.
public struct ServedList: Sendable, Equatable {
    /// The `recommendation_id` returned to the caller.
    public let id: String
    /// The tenant.
    public let tenantID: String
    /// `recommendations` or `similar`.
    public let kind: String
    /// The user asked about (recommendations).
    public let userID: String?
    /// The item asked about (similar items).
    public let itemID: String?
    /// The model version that ranked the list, if any.
    public let modelVersion: String?
    /// `model`, `fold_in` or `fallback`.
    public let source: String
    /// The items served, in order.
    public let items: [String]
    /// When it was served (Unix milliseconds).
    public let createdAt: Int64
    /// The experiment or rollout whose arm served it, if any.
    public let experimentID: String?
    /// That arm's name.
    public let variant: String?

    /// Creates a record.
    public init(id: String, tenantID: String, kind: String, userID: String?, itemID: String?, modelVersion: String?, source: String, items: [String],
                createdAt: Int64, experimentID: String? = nil, variant: String? = nil) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.userID = userID
        self.itemID = itemID
        self.modelVersion = modelVersion
        self.source = source
        self.items = items
        self.createdAt = createdAt
        self.experimentID = experimentID
        self.variant = variant
    }
}

extension RecordStore {
    /// Every tenant's serving version.
    public func servingVersions() async throws -> [String: String] {
        try await measure("list_serving_models") {
            var versions: [String: String] = [:]
            for row in try await database.query("SELECT tenant_id, version FROM serving_models") {
                versions[try row.requiredString("tenant_id")] = try row.requiredString("version")
            }
            return versions
        }
    }

    /// A value that changes whenever a tenant's catalogue does (an upsert moves `updated_at`, a delete the count).
    public func catalogueSignature(tenantID: String) async throws -> String {
        try await measure("catalogue_signature") {
            let row = try await database.query("SELECT COUNT(*) AS n, MAX(updated_at) AS m FROM items WHERE tenant_id = \(tenantID)").first
            return "\(row?.int("n") ?? 0):\(row?.int("m") ?? 0)"
        }
    }

    /// Records served lists in one transaction.
    public func recordServedLists(_ lists: [ServedList]) async throws {
        guard !lists.isEmpty else { return }
        try await measure("record_served_lists") {
            let rows = lists.map { list -> [SQLValue] in
                let items = "[" + list.items.map(JSONText.quoted).joined(separator: ",") + "]"
                return [.text(list.id), .text(list.tenantID), .text(list.kind), list.userID.sqlValue, list.itemID.sqlValue,
                        list.modelVersion.sqlValue, .text(list.source), .text(items), .int(list.createdAt), list.experimentID.sqlValue, list.variant.sqlValue]
            }
            try await database.transaction { db in
                try await db.insertMany(
                    table: "recommendations",
                    columns: ["id", "tenant_id", "kind", "user_id", "item_id", "model_version", "source", "items", "created_at", "experiment_id", "variant"],
                    // An id already stored (a replica's clash, or a batch retried) must not lose the rest of the batch.
                    rows: rows, suffix: "ON CONFLICT (id) DO NOTHING"
                )
            }
        }
    }

    /// Deletes up to `limit` of a tenant's oldest served lists made before `before`; returns how many it deleted
    /// (batches keep each statement short, so the writer is never held for long).
    public func pruneServedLists(tenantID: String, before: Int64, limit: Int) async throws -> Int {
        try await measure("prune_served_lists") {
            try await database.query("""
                DELETE FROM recommendations WHERE id IN (
                    SELECT id FROM recommendations WHERE tenant_id = \(tenantID) AND created_at < \(before)
                    ORDER BY created_at LIMIT \(Int64(limit))
                ) RETURNING id
                """).count
        }
    }

    /// One served list of a tenant.
    public func servedList(tenantID: String, id: String) async throws -> ServedList? {
        try await measure("get_served_list") {
            try await database.query("SELECT * FROM recommendations WHERE tenant_id = \(tenantID) AND id = \(id)").first.map { row in
                let items = (try? JSONParser.parse(Array(try row.requiredString("items").utf8)))?.arrayValue?.compactMap(\.stringValue) ?? []
                return ServedList(
                    id: try row.requiredString("id"), tenantID: try row.requiredString("tenant_id"), kind: try row.requiredString("kind"),
                    userID: row.string("user_id"), itemID: row.string("item_id"), modelVersion: row.string("model_version"),
                    source: try row.requiredString("source"), items: items, createdAt: row.int("created_at") ?? 0
                )
            }
        }
    }
}
