import RecCore

extension RecordStore {
    /// How a finished training's version is promoted when it is registered.
    public enum PromotionPolicy: String, Sendable {
        /// Always serve it.
        case always
        /// Serve it when nothing serves yet or its `metric` is at least the serving version's.
        case ifBetter = "if_better"
        /// Leave the serving version alone.
        case never
    }

    /// Registers a trained version and finishes its job in one transaction, promoting by `policy` (comparing
    /// `metric`). Returns whether it was promoted, or nil when `owner` no longer holds the job's lease: then nothing
    /// is written, so a job taken over by another worker is registered exactly once. A job whose cancellation was
    /// requested registers nothing either (nil too: the caller tells the two apart by the job's state).
    public func registerTrainedModel(_ model: ModelVersion, jobID: String, owner: String, policy: PromotionPolicy, metric: String, result: [String: JSONValue], now: Int64) async throws -> Bool? {
        try await measure("register_model") {
            try await database.transaction { db -> Bool? in
                try await Self.lockServing(tenantID: model.tenantID, in: db)
                let serving = try await db.query("SELECT version FROM serving_models WHERE tenant_id = \(model.tenantID)").first?.string("version")
                var promote = policy == .always
                if policy == .ifBetter {
                    promote = true
                    if let serving, let row = try await db.query("SELECT metrics FROM models WHERE tenant_id = \(model.tenantID) AND version = \(serving)").first {
                        let metrics = JSONColumn.decode([String: Double].self, row.string("metrics"), default: [:])
                        if let current = metrics[metric], (model.metrics[metric] ?? 0) < current { promote = false }
                    }
                }
                var finalResult = result
                finalResult["promoted"] = .bool(promote)
                let finished = try await db.query("""
                    UPDATE jobs SET status = 'succeeded', stage = 'done', progress = 1.0, result = \(try JSONColumn.encode(finalResult)),
                        finished_at = \(now), lease_expires_at = NULL
                    WHERE id = \(jobID) AND status = 'running' AND owner = \(owner) AND cancel_requested = 0 RETURNING id
                    """)
                guard !finished.isEmpty else { return nil }
                try await db.execute("""
                    INSERT INTO models (tenant_id, version, kind, params, metrics, job_id, checksum, artifact_bytes, users, items, interactions, train_seconds, created_at)
                    VALUES (\(model.tenantID), \(model.version), \(model.kind), \(try JSONColumn.encode(model.params)), \(try JSONColumn.encode(model.metrics)),
                            \(model.jobID), \(model.checksum), \(model.artifactBytes), \(model.users), \(model.items), \(model.interactions),
                            \(model.trainSeconds), \(model.createdAt))
                    """)
                if promote {
                    try await db.execute("""
                        INSERT INTO serving_models (tenant_id, version, updated_at) VALUES (\(model.tenantID), \(model.version), \(now))
                        ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
                        """)
                    try await db.execute("""
                        INSERT INTO model_promotions (tenant_id, version, previous_version, action, created_at)
                        VALUES (\(model.tenantID), \(model.version), \(serving), 'auto', \(now))
                        """)
                }
                return promote
            }
        }
    }

    /// A tenant's versions, newest first.
    public func models(tenantID: String, limit: Int) async throws -> [ModelVersion] {
        try await measure("list_models") {
            try await database.query("SELECT * FROM models WHERE tenant_id = \(tenantID) ORDER BY created_at DESC, version DESC LIMIT \(limit)").map(Self.model)
        }
    }

    /// One version of a tenant.
    public func model(tenantID: String, version: String) async throws -> ModelVersion? {
        try await measure("get_model") {
            try await database.query("SELECT * FROM models WHERE tenant_id = \(tenantID) AND version = \(version)").first.map(Self.model)
        }
    }

    /// The version a tenant serves, if any.
    public func servingVersion(tenantID: String) async throws -> String? {
        try await measure("get_serving_model") {
            try await database.query("SELECT version FROM serving_models WHERE tenant_id = \(tenantID)").first?.string("version")
        }
    }

    /// Makes `version` the serving one and records the change (`action` is `promote` or `auto`); returns the previous.
    @discardableResult
    public func promote(tenantID: String, version: String, action: String, now: Int64) async throws -> String? {
        try await measure("promote_model") {
            try await database.transaction { db in
                try await Self.lockServing(tenantID: tenantID, in: db)
                return try await Self.serve(version: version, tenantID: tenantID, action: action, now: now, in: db)
            }
        }
    }

    /// Inside a transaction holding the serving lock: makes `version` the serving one and records the change; returns
    /// the previous version (nothing changes when it is `version` already).
    @discardableResult
    static func serve(version: String, tenantID: String, action: String, now: Int64, in db: any SQLExecutor) async throws -> String? {
        let previous = try await db.query("SELECT version FROM serving_models WHERE tenant_id = \(tenantID)").first?.string("version")
        guard previous != version else { return previous }
        try await db.execute("""
            INSERT INTO serving_models (tenant_id, version, updated_at) VALUES (\(tenantID), \(version), \(now))
            ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
            """)
        try await db.execute("""
            INSERT INTO model_promotions (tenant_id, version, previous_version, action, created_at)
            VALUES (\(tenantID), \(version), \(previous), \(action), \(now))
            """)
        return previous
    }

    /// The version served before `version` was (last) promoted, if any.
    public func versionBefore(tenantID: String, version: String) async throws -> String? {
        try await measure("get_previous_model") {
            try await database.query("""
                SELECT previous_version FROM model_promotions
                WHERE tenant_id = \(tenantID) AND version = \(version) AND action <> 'rollback'
                ORDER BY id DESC LIMIT 1
                """).first?.string("previous_version")
        }
    }

    /// Rolls the serving version `version` back to the one served before it was promoted, which must be `expected`
    /// (the version the caller checked). Returns the version now served; throws `StoreError.notServing` when `version`
    /// is not the serving one, `.nothingServedBefore` when nothing preceded it, `.servingHistoryChanged` when the
    /// history changed meanwhile.
    public func rollback(tenantID: String, version: String, expected: String, now: Int64) async throws -> String {
        try await measure("rollback_model") {
            try await database.transaction { db in
                try await Self.lockServing(tenantID: tenantID, in: db)
                let current = try await db.query("SELECT version FROM serving_models WHERE tenant_id = \(tenantID)").first?.string("version")
                guard current == version else {
                    throw StoreError.notServing(version, current: current)
                }
                let previous = try await db.query("""
                    SELECT previous_version FROM model_promotions
                    WHERE tenant_id = \(tenantID) AND version = \(version) AND action <> 'rollback'
                    ORDER BY id DESC LIMIT 1
                    """).first?.string("previous_version")
                guard let previous else { throw StoreError.nothingServedBefore(version) }
                guard previous == expected else { throw StoreError.servingHistoryChanged }
                try await db.execute("UPDATE serving_models SET version = \(previous), updated_at = \(now) WHERE tenant_id = \(tenantID)")
                try await db.execute("""
                    INSERT INTO model_promotions (tenant_id, version, previous_version, action, created_at)
                    VALUES (\(tenantID), \(previous), \(version), 'rollback', \(now))
                    """)
                return previous
            }
        }
    }

    /// Serialises changes to a tenant's serving version (PostgreSQL's default isolation would let two concurrent
    /// promotions both read the old version; SQLite transactions are serial already).
    static func lockServing(tenantID: String, in db: any SQLExecutor) async throws {
        if db.dialect == .postgres {
            try await db.execute("SELECT pg_advisory_xact_lock(hashtext(\("serving:" + tenantID)))")
        }
    }

    static func model(_ row: SQLRow) throws -> ModelVersion {
        ModelVersion(
            version: try row.requiredString("version"),
            tenantID: try row.requiredString("tenant_id"),
            kind: try row.requiredString("kind"),
            params: JSONColumn.decode([String: Double].self, row.string("params"), default: [:]),
            metrics: JSONColumn.decode([String: Double].self, row.string("metrics"), default: [:]),
            jobID: row.string("job_id"),
            checksum: try row.requiredString("checksum"),
            artifactBytes: Int(row.int("artifact_bytes") ?? 0),
            users: Int(row.int("users") ?? 0),
            items: Int(row.int("items") ?? 0),
            interactions: Int(row.int("interactions") ?? 0),
            trainSeconds: row.double("train_seconds") ?? 0,
            createdAt: row.int("created_at") ?? 0
        )
    }
}
