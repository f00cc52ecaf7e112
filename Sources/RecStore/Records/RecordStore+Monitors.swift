import RecCore

extension RecordStore {
    /// Recommendation lists served to users in (`after`, `until`], oldest first, at most `limit`.
    public func monitoredLists(tenantID: String, after: Int64, until: Int64, limit: Int) async throws -> [MonitoredList] {
        try await measure("read_monitored_lists") {
            try await database.query("""
                SELECT id, user_id, model_version, items, created_at, experiment_id FROM recommendations
                WHERE tenant_id = \(tenantID) AND created_at > \(after) AND created_at <= \(until) AND kind = 'recommendations'
                ORDER BY created_at, id LIMIT \(Int64(limit))
                """).compactMap { row in
                guard let user = row.string("user_id") else { return nil }
                let items = (try? JSONParser.parse(Array(try row.requiredString("items").utf8)))?.arrayValue?.compactMap(\.stringValue) ?? []
                return MonitoredList(id: try row.requiredString("id"), userID: user, modelVersion: row.string("model_version"), items: items, createdAt: row.int("created_at") ?? 0,
                                     experimentID: row.string("experiment_id"))
            }
        }
    }
}
