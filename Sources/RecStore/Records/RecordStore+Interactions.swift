import RecCore

/// What a stored idempotent request answered, so a retry gets the same answer.
public struct IdempotencyRecord: Sendable, Equatable {
    /// The client's `Idempotency-Key`.
    public let key: String
    /// A hash of the request body, to detect reuse of a key for a different request.
    public let requestHash: String
    /// The HTTP status first answered.
    public let status: Int
    /// The JSON body first answered.
    public let body: String

    /// Creates a record.
    public init(key: String, requestHash: String, status: Int, body: String) {
        self.key = key
        self.requestHash = requestHash
        self.status = status
        self.body = body
    }
}

/// The result of an idempotent write.
public enum IdempotentOutcome: Sendable, Equatable {
    /// Written now.
    case stored
    /// Written before under the same key: answer what was answered then.
    case replay(status: Int, body: String)
    /// The key was used before for a different request body.
    case keyReused
}

extension RecordStore {
    /// Stores interactions in one transaction; with `idempotency`, a key seen before replays instead of writing again.
    public func insertInteractions(tenantID: String, _ interactions: [Interaction], idempotency: IdempotencyRecord?, now: Int64) async throws -> IdempotentOutcome {
        try await measure("insert_interactions") {
            do {
                return try await writeInteractions(tenantID: tenantID, interactions, idempotency: idempotency, now: now)
            } catch let error as StoreError where error.isUniqueViolation && idempotency != nil {
                // A concurrent request with the same key committed first: answer as it did.
                return try await writeInteractions(tenantID: tenantID, interactions, idempotency: idempotency, now: now)
            }
        }
    }

    private func writeInteractions(tenantID: String, _ interactions: [Interaction], idempotency: IdempotencyRecord?, now: Int64) async throws -> IdempotentOutcome {
        try await database.transaction { db in
            if let idempotency {
                if let row = try await db.query("SELECT request_hash, status, body FROM idempotency_keys WHERE tenant_id = \(tenantID) AND key = \(idempotency.key)").first {
                    guard row.string("request_hash") == idempotency.requestHash else { return .keyReused }
                    return .replay(status: Int(row.int("status") ?? 200), body: row.string("body") ?? "{}")
                }
            }
            try await Self.insertInteractionRows(tenantID: tenantID, interactions, now: now, into: db)
            if let idempotency {
                try await db.execute("""
                    INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, body, created_at)
                    VALUES (\(tenantID), \(idempotency.key), \(idempotency.requestHash), \(idempotency.status), \(idempotency.body), \(now))
                    """)
            }
            return .stored
        }
    }

    /// Appends interactions inside an open transaction (used by the API and by imports).
    static func insertInteractionRows(tenantID: String, _ interactions: [Interaction], now: Int64, into db: any SQLExecutor) async throws {
        guard !interactions.isEmpty else { return }
        let rows = interactions.map { event -> [SQLValue] in
            [.text(tenantID), .text(event.userID), .text(event.itemID), .text(event.type), .double(event.weight), .int(event.timestamp),
             event.recommendationID.sqlValue, .int(now)]
        }
        try await db.insertMany(
            table: "interactions", columns: ["tenant_id", "user_id", "item_id", "type", "weight", "ts", "recommendation_id", "created_at"],
            rows: rows, suffix: ""
        )
    }

    /// How many interactions a tenant has stored.
    public func interactionCount(tenantID: String) async throws -> Int {
        try await measure("count_interactions") {
            Int(try await database.query("SELECT COUNT(*) AS n FROM interactions WHERE tenant_id = \(tenantID)").first?.int("n") ?? 0)
        }
    }

    /// A user's most recent interactions, newest first. Scans the tenant's events (there is no per-user index, by
    /// design: see the migration); meant for inspection and tests, not for hot paths.
    public func interactions(tenantID: String, userID: String, limit: Int) async throws -> [Interaction] {
        try await measure("user_interactions") {
            try await database.query("""
                SELECT * FROM interactions WHERE tenant_id = \(tenantID) AND user_id = \(userID) ORDER BY ts DESC, id DESC LIMIT \(limit)
                """).map { row in
                Interaction(
                    userID: try row.requiredString("user_id"), itemID: try row.requiredString("item_id"), type: try row.requiredString("type"),
                    weight: row.double("weight") ?? 0, timestamp: row.int("ts") ?? 0, recommendationID: row.string("recommendation_id")
                )
            }
        }
    }

    /// Deletes idempotency records older than `before` so the table stays bounded.
    public func pruneIdempotencyKeys(before: Int64) async throws {
        try await measure("prune_idempotency_keys") {
            try await database.execute("DELETE FROM idempotency_keys WHERE created_at < \(before)")
        }
    }
}
