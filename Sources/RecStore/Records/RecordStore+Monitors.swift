import RecCore

extension RecordStore {
    /// A page of a tenant's interactions after `afterID`, in id order, with type and attribution.
    public func monitoredInteractions(tenantID: String, afterID: Int64, limit: Int) async throws -> [MonitoredInteraction] {
        try await measure("read_monitored_interactions") {
            try await database.query("""
                SELECT id, user_id, item_id, type, ts, recommendation_id FROM interactions
                WHERE tenant_id = \(tenantID) AND id > \(afterID) ORDER BY id LIMIT \(Int64(limit))
                """).map { row in
                MonitoredInteraction(
                    id: row.int("id") ?? 0, userID: try row.requiredString("user_id"), itemID: try row.requiredString("item_id"),
                    type: try row.requiredString("type"), timestamp: row.int("ts") ?? 0, recommendationID: row.string("recommendation_id")
                )
            }
        }
    }

    /// The id `count` interactions back from a tenant's newest (0 when it has fewer), where a monitor's tail starts.
    public func interactionIDBack(tenantID: String, count: Int) async throws -> Int64 {
        try await measure("interaction_id_back") {
            let rows = try await database.query("""
                SELECT id FROM interactions WHERE tenant_id = \(tenantID) ORDER BY id DESC LIMIT 1 OFFSET \(Int64(count))
                """)
            return rows.first?.int("id") ?? 0
        }
    }

    /// Recommendation lists served to users in (`after`, `until`], oldest first, at most `limit`.
    public func monitoredLists(tenantID: String, after: Int64, until: Int64, limit: Int) async throws -> [MonitoredList] {
        try await measure("read_monitored_lists") {
            try await database.query("""
                SELECT id, user_id, model_version, items, created_at FROM recommendations
                WHERE tenant_id = \(tenantID) AND created_at > \(after) AND created_at <= \(until) AND kind = 'recommendations'
                ORDER BY created_at, id LIMIT \(Int64(limit))
                """).compactMap { row in
                guard let user = row.string("user_id") else { return nil }
                let items = (try? JSONParser.parse(Array(try row.requiredString("items").utf8)))?.arrayValue?.compactMap(\.stringValue) ?? []
                return MonitoredList(id: try row.requiredString("id"), userID: user, modelVersion: row.string("model_version"), items: items, createdAt: row.int("created_at") ?? 0)
            }
        }
    }
}
