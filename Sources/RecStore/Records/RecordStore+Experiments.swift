import RecCore

extension RecordStore {
    /// Stores a new running experiment or rollout; `StoreError.experimentRunning` when the tenant already runs one.
    public func createExperiment(_ experiment: ExperimentRecord) async throws {
        try await measure("create_experiment") {
            do {
                try await database.execute("""
                    INSERT INTO experiments (id, tenant_id, kind, name, status, salt, variants, settings, decision, created_at, ended_at, updated_at)
                    VALUES (\(experiment.id), \(experiment.tenantID), \(experiment.kind.rawValue), \(experiment.name), \(experiment.status.rawValue),
                            \(experiment.salt), \(try JSONColumn.encode(experiment.variants)), \(try JSONColumn.encode(experiment.settings)),
                            NULL, \(experiment.createdAt), NULL, \(experiment.createdAt))
                    """)
            } catch let error as StoreError where error.code == .uniqueViolation {
                // The only unique key a new random id can meet: the tenant's one running experiment.
                throw StoreError.experimentRunning("the tenant already runs an experiment or rollout; stop it first")
            }
        }
    }

    /// One of a tenant's experiments or rollouts.
    public func experiment(tenantID: String, id: String) async throws -> ExperimentRecord? {
        try await measure("get_experiment") {
            try await database.query("SELECT * FROM experiments WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.experiment)
        }
    }

    /// A tenant's experiments and rollouts of `kind`, newest first, at most `limit`.
    public func experiments(tenantID: String, kind: ExperimentRecord.Kind, limit: Int) async throws -> [ExperimentRecord] {
        try await measure("list_experiments") {
            try await database.query("""
                SELECT * FROM experiments WHERE tenant_id = \(tenantID) AND kind = \(kind.rawValue)
                ORDER BY created_at DESC, id DESC LIMIT \(Int64(limit))
                """).map(Self.experiment)
        }
    }

    /// A tenant's running experiment or rollout, if any.
    public func runningExperiment(tenantID: String) async throws -> ExperimentRecord? {
        try await measure("get_running_experiment") {
            try await database.query("SELECT * FROM experiments WHERE tenant_id = \(tenantID) AND status = 'running'").first.map(Self.experiment)
        }
    }

    /// Every tenant's running experiment or rollout (at most one each).
    public func runningExperiments() async throws -> [ExperimentRecord] {
        try await measure("list_running_experiments") {
            try await database.query("SELECT * FROM experiments WHERE status = 'running' ORDER BY tenant_id").map(Self.experiment)
        }
    }

    /// Rollouts of any tenant that ended after `since`, for the alerts that announce them.
    public func rolloutsEnded(since: Int64) async throws -> [ExperimentRecord] {
        try await measure("list_ended_rollouts") {
            try await database.query("""
                SELECT * FROM experiments WHERE kind = 'rollout' AND status <> 'running' AND ended_at > \(since) ORDER BY ended_at, id
                """).map(Self.experiment)
        }
    }

    /// Ends a running experiment or rollout with `status` and `decision`, and when `promote` names a version, makes it
    /// the serving one in the same transaction. Returns false when it was no longer running: of replicas deciding
    /// at once, one does.
    public func endExperiment(tenantID: String, id: String, status: ExperimentRecord.Status, decision: JSONValue,
                              promote version: String? = nil, now: Int64) async throws -> Bool {
        try await measure("end_experiment") {
            try await database.transaction { db in
                if version != nil { try await Self.lockServing(tenantID: tenantID, in: db) }
                let ended = try await db.query("""
                    UPDATE experiments SET status = \(status.rawValue), decision = \(try JSONColumn.encode(decision)), ended_at = \(now), updated_at = \(now)
                    WHERE tenant_id = \(tenantID) AND id = \(id) AND status = 'running' RETURNING id
                    """)
                guard !ended.isEmpty else { return false }
                if let version { try await Self.serve(version: version, tenantID: tenantID, action: "canary", now: now, in: db) }
                return true
            }
        }
    }

    /// Each arm's exposure (users and lists served) and evaluated outcomes, by arm name.
    public func experimentTotals(tenantID: String, id: String) async throws -> [String: VariantTotals] {
        try await measure("experiment_totals") {
            var totals: [String: VariantTotals] = [:]
            for row in try await database.query("""
                SELECT variant, COUNT(DISTINCT user_id) AS users, COUNT(*) AS lists FROM recommendations
                WHERE experiment_id = \(id) AND tenant_id = \(tenantID) GROUP BY variant
                """) {
                guard let variant = row.string("variant") else { continue }
                totals[variant, default: VariantTotals()].users = Int(row.int("users") ?? 0)
                totals[variant, default: VariantTotals()].lists = Int(row.int("lists") ?? 0)
            }
            // Per user first (the unit of assignment), then per arm: the sums the delta method needs (as doubles: a
            // PostgreSQL sum of integers is NUMERIC).
            for row in try await database.query("""
                SELECT variant, COUNT(*) AS users, SUM(n) AS sum_n, SUM(n * n) AS sum_nn,
                       SUM(h) AS sum_h, SUM(h * h) AS sum_hh, SUM(h * n) AS sum_hn,
                       SUM(g) AS sum_g, SUM(g * g) AS sum_gg, SUM(g * n) AS sum_gn,
                       SUM(c) AS sum_c, SUM(c * c) AS sum_cc, SUM(c * n) AS sum_cn
                FROM (SELECT variant, user_id, CAST(COUNT(*) AS DOUBLE PRECISION) AS n, CAST(SUM(hit) AS DOUBLE PRECISION) AS h,
                             CAST(SUM(ndcg) AS DOUBLE PRECISION) AS g, CAST(SUM(converted) AS DOUBLE PRECISION) AS c
                      FROM recommendations
                      WHERE experiment_id = \(id) AND tenant_id = \(tenantID) AND evaluated_at IS NOT NULL
                      GROUP BY variant, user_id) AS per_user
                GROUP BY variant
                """) {
                guard let variant = row.string("variant") else { continue }
                let users = Int(row.int("users") ?? 0)
                let n = row.double("sum_n") ?? 0, nn = row.double("sum_nn") ?? 0
                func moments(_ x: String) -> RatioMoments {
                    RatioMoments(users: users, sumX: row.double("sum_\(x)") ?? 0, sumY: n, sumX2: row.double("sum_\(x)\(x)") ?? 0,
                                 sumY2: nn, sumXY: row.double("sum_\(x)n") ?? 0)
                }
                var entry = totals[variant] ?? VariantTotals()
                entry.evaluatedLists = Int(n)
                entry.hitRate = moments("h")
                entry.ndcg = moments("g")
                entry.conversion = moments("c")
                totals[variant] = entry
            }
            return totals
        }
    }

    /// Records the outcomes of experiment lists whose attribution window has closed; a list already evaluated (by
    /// another replica's monitors) keeps its first outcome.
    public func recordListOutcomes(tenantID: String, _ outcomes: [ListOutcome], now: Int64) async throws {
        guard !outcomes.isEmpty else { return }
        try await measure("record_list_outcomes") {
            try await database.transaction { db in
                for outcome in outcomes {
                    try await db.execute("""
                        UPDATE recommendations SET evaluated_at = \(now), hit = \(outcome.hit), ndcg = \(outcome.ndcg), converted = \(outcome.converted)
                        WHERE id = \(outcome.id) AND tenant_id = \(tenantID) AND evaluated_at IS NULL
                        """)
                }
            }
        }
    }

    static func experiment(_ row: SQLRow) throws -> ExperimentRecord {
        guard let kind = ExperimentRecord.Kind(rawValue: try row.requiredString("kind")),
              let status = ExperimentRecord.Status(rawValue: try row.requiredString("status")) else {
            throw StoreError.corruptRow(detail: "experiments: unknown kind or status")
        }
        let decision = try row.string("decision").map { try JSONParser.parse(Array($0.utf8)) }
        return ExperimentRecord(
            id: try row.requiredString("id"), tenantID: try row.requiredString("tenant_id"), kind: kind, name: try row.requiredString("name"),
            status: status, salt: try row.requiredString("salt"),
            variants: JSONColumn.decode([ExperimentVariant].self, row.string("variants"), default: []),
            settings: JSONColumn.decode(ExperimentSettings.self, row.string("settings"), default: ExperimentSettings(primaryMetric: "hit_rate", alpha: 0.05, conversionType: "purchase")),
            decision: decision, createdAt: try row.requiredInt("created_at"), endedAt: row.int("ended_at")
        )
    }
}
