extension RecordStore {
    /// A page of a tenant's interactions after `afterID`, in id order (the tail on SQLite, where ids commit in order).
    func tailPage(tenantID: String, afterID: Int64, limit: Int) async throws -> [TailedInteraction] {
        try await measure("read_interaction_tail") {
            try await database.query("""
                SELECT id, user_id, item_id, type, weight, ts, recommendation_id FROM interactions
                WHERE tenant_id = \(tenantID) AND id > \(afterID) ORDER BY id LIMIT \(Int64(limit))
                """).map(Self.tailed)
        }
    }

    /// A page of a tenant's interactions after position (`afterXid`, `afterID`) in (transaction, id) order, with ids
    /// above `floorID`, and the statement's snapshot (PostgreSQL only). The snapshot row comes first, so an empty page
    /// still carries it.
    func tailPageInCommitOrder(tenantID: String, floorID: Int64, afterXid: UInt64, afterID: Int64, limit: Int) async throws
        -> (rows: [(row: TailedInteraction, xid: UInt64)], snapshot: PostgresSnapshot)
    {
        try await measure("read_interaction_tail") {
            let rows = try await database.query("""
                SELECT s.snapshot, i.id, i.user_id, i.item_id, i.type, i.weight, i.ts, i.recommendation_id, i.commit_xid::text AS xid
                FROM (SELECT pg_current_snapshot()::text AS snapshot) s
                LEFT JOIN LATERAL (
                    SELECT id, user_id, item_id, type, weight, ts, recommendation_id, commit_xid FROM interactions
                    WHERE tenant_id = \(tenantID) AND id > \(floorID)
                      AND (commit_xid, id) > (\(String(afterXid))::text::xid8, \(afterID))
                    ORDER BY commit_xid, id LIMIT \(Int64(limit))
                ) i ON true
                """)
            guard let text = rows.first?.string("snapshot"), let snapshot = PostgresSnapshot(text) else {
                throw StoreError.corruptRow("snapshot")
            }
            let page = try rows.compactMap { row -> (row: TailedInteraction, xid: UInt64)? in
                guard row.int("id") != nil else { return nil }
                guard let xid = row.string("xid").flatMap(UInt64.init) else { throw StoreError.corruptRow("commit_xid") }
                return (try Self.tailed(row), xid)
            }
            return (page, snapshot)
        }
    }

    /// Every interaction of a tenant written by the transactions `xids` (with ids above `floorID`), with each row's
    /// transaction (PostgreSQL only): the rows of transactions that committed behind the tail's position.
    func tailTransactions(tenantID: String, floorID: Int64, xids: [UInt64]) async throws -> [TailedInteraction] {
        try await measure("read_interaction_tail_late") {
            let list = "{" + xids.map(String.init).joined(separator: ",") + "}"
            return try await database.query("""
                SELECT id, user_id, item_id, type, weight, ts, recommendation_id FROM interactions
                WHERE tenant_id = \(tenantID) AND id > \(floorID) AND commit_xid = ANY(\(list)::text::xid8[])
                ORDER BY commit_xid, id
                """).map(Self.tailed)
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

    private static func tailed(_ row: SQLRow) throws -> TailedInteraction {
        TailedInteraction(
            id: try row.requiredInt("id"), userID: try row.requiredString("user_id"), itemID: try row.requiredString("item_id"),
            type: try row.requiredString("type"), weight: row.double("weight") ?? 0, timestamp: row.int("ts") ?? 0,
            recommendationID: row.string("recommendation_id")
        )
    }
}
