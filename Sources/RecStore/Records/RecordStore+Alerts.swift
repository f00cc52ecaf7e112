import RecCore

extension RecordStore {
    /// Registers a webhook.
    public func createWebhook(_ webhook: Webhook) async throws {
        try await measure("create_webhook") {
            try await database.execute("""
                INSERT INTO webhooks (id, tenant_id, url, secret, created_at)
                VALUES (\(webhook.id), \(webhook.tenantID.sqlValue), \(webhook.url), \(webhook.secret), \(webhook.createdAt))
                """)
        }
    }

    /// A tenant's webhooks, or the operator's when `tenantID` is nil, oldest first.
    public func webhooks(tenantID: String?) async throws -> [Webhook] {
        try await measure("list_webhooks") {
            let rows = if let tenantID {
                try await database.query("SELECT * FROM webhooks WHERE tenant_id = \(tenantID) ORDER BY created_at, id")
            } else {
                try await database.query("SELECT * FROM webhooks WHERE tenant_id IS NULL ORDER BY created_at, id")
            }
            return try rows.map(Self.webhook)
        }
    }

    /// One webhook of a tenant (of the operator when `tenantID` is nil).
    public func webhook(id: String, tenantID: String?) async throws -> Webhook? {
        try await webhooks(tenantID: tenantID).first { $0.id == id }
    }

    /// Removes a webhook and abandons its pending deliveries; false when it does not exist.
    public func deleteWebhook(id: String, tenantID: String?) async throws -> Bool {
        try await measure("delete_webhook") {
            try await database.transaction { db in
                let deleted = if let tenantID {
                    try await db.query("DELETE FROM webhooks WHERE id = \(id) AND tenant_id = \(tenantID) RETURNING id")
                } else {
                    try await db.query("DELETE FROM webhooks WHERE id = \(id) AND tenant_id IS NULL RETURNING id")
                }
                guard !deleted.isEmpty else { return false }
                try await db.execute("UPDATE webhook_deliveries SET status = 'abandoned', last_error = 'webhook deleted' WHERE webhook_id = \(id) AND status = 'pending'")
                return true
            }
        }
    }

    /// Moves an alert to `alert.status` (`firing` or `resolved`) if it is not there already and, in the same
    /// transaction, queues one delivery per receiving webhook (the alert's tenant's and every operator webhook),
    /// built by `payload`. Only a state last changed before `observedAt` (when the caller read the conditions it acts
    /// on) is overturned, so a replica acting on an older view than another's transition leaves it be. Returns whether
    /// this call made the transition: of replicas racing on one alert, one does.
    public func transitionAlert(_ alert: AlertRecord, now: Int64, observedAt: Int64, payload: @escaping @Sendable (Webhook, AlertRecord) -> String) async throws -> Bool {
        try await measure("transition_alert") {
            try await database.transaction { db in
                let rows: [SQLRow]
                if alert.status == "firing" {
                    rows = try await db.query("""
                        INSERT INTO alerts (fingerprint, tenant_id, name, labels, annotations, status, starts_at, ends_at, updated_at)
                        VALUES (\(alert.fingerprint), \(alert.tenantID.sqlValue), \(alert.name), \(try JSONColumn.encode(alert.labels)),
                                \(try JSONColumn.encode(alert.annotations)), 'firing', \(alert.startsAt), NULL, \(now))
                        ON CONFLICT (fingerprint) DO UPDATE SET status = 'firing', starts_at = excluded.starts_at, ends_at = NULL,
                            labels = excluded.labels, annotations = excluded.annotations, updated_at = excluded.updated_at
                        WHERE alerts.status <> 'firing' AND alerts.updated_at < \(observedAt)
                        RETURNING *
                        """)
                } else {
                    rows = try await db.query("""
                        UPDATE alerts SET status = 'resolved', ends_at = \(alert.endsAt ?? now), updated_at = \(now)
                        WHERE fingerprint = \(alert.fingerprint) AND status = 'firing' AND updated_at < \(observedAt) RETURNING *
                        """)
                }
                guard let row = rows.first else { return false }
                let stored = try Self.alert(row)
                let receivers = if let tenantID = stored.tenantID {
                    try await db.query("SELECT * FROM webhooks WHERE tenant_id = \(tenantID) OR tenant_id IS NULL ORDER BY created_at, id")
                } else {
                    try await db.query("SELECT * FROM webhooks WHERE tenant_id IS NULL ORDER BY created_at, id")
                }
                let event = "\(stored.fingerprint):\(stored.status):\(stored.startsAt)"
                for webhook in try receivers.map(Self.webhook) {
                    try await db.execute("""
                        INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event, payload, status, attempts, next_attempt_at, created_at)
                        VALUES (\(Identifier.random(prefix: "dl")), \(webhook.id), \(webhook.tenantID.sqlValue), \(event),
                                \(payload(webhook, stored)), 'pending', 0, \(now), \(now))
                        ON CONFLICT (webhook_id, event) DO NOTHING
                        """)
                }
                return true
            }
        }
    }

    /// Alerts firing now: a tenant's, or all of them when `tenantID` is nil.
    public func firingAlerts(tenantID: String?) async throws -> [AlertRecord] {
        try await measure("list_firing_alerts") {
            let rows = if let tenantID {
                try await database.query("SELECT * FROM alerts WHERE status = 'firing' AND tenant_id = \(tenantID) ORDER BY starts_at, fingerprint")
            } else {
                try await database.query("SELECT * FROM alerts WHERE status = 'firing' ORDER BY starts_at, fingerprint")
            }
            return try rows.map(Self.alert)
        }
    }

    /// Queues one delivery outside any alert transition (a webhook test); returns its id.
    public func enqueueDelivery(webhook: Webhook, event: String, payload: String, now: Int64) async throws -> String {
        let id = Identifier.random(prefix: "dl")
        try await measure("enqueue_delivery") {
            try await database.execute("""
                INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event, payload, status, attempts, next_attempt_at, created_at)
                VALUES (\(id), \(webhook.id), \(webhook.tenantID.sqlValue), \(event), \(payload), 'pending', 0, \(now), \(now))
                """)
        }
        return id
    }

    /// Claims up to `limit` deliveries due at `now`, pushing their next attempt `leaseMillis` ahead so no other
    /// sender takes them meanwhile (a sender that dies mid-attempt leaves them to be retried after the lease).
    public func claimDueDeliveries(now: Int64, limit: Int, leaseMillis: Int64) async throws -> [PendingDelivery] {
        try await measure("claim_deliveries") {
            // Joined with the webhook (left: a delivery whose webhook was deleted meanwhile has nothing to go to).
            let due = try await database.query("""
                SELECT d.id, d.next_attempt_at, d.webhook_id, d.payload, d.attempts, w.url, w.secret FROM webhook_deliveries d
                LEFT JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(now) ORDER BY d.next_attempt_at, d.id LIMIT \(Int64(limit))
                """)
            var claimed: [PendingDelivery] = []
            for row in due {
                let id = try row.requiredString("id")
                guard let url = row.string("url"), let secret = row.string("secret") else {
                    try await database.execute("UPDATE webhook_deliveries SET status = 'abandoned', last_error = 'webhook deleted' WHERE id = \(id) AND status = 'pending'")
                    continue
                }
                let claim = try await database.query("""
                    UPDATE webhook_deliveries SET next_attempt_at = \(now + leaseMillis)
                    WHERE id = \(id) AND status = 'pending' AND next_attempt_at = \(try row.requiredInt("next_attempt_at")) RETURNING id
                    """)
                guard !claim.isEmpty else { continue }
                claimed.append(PendingDelivery(
                    id: id, webhookID: try row.requiredString("webhook_id"), url: url, secret: secret,
                    payload: try row.requiredString("payload"), attempts: Int(row.int("attempts") ?? 0)
                ))
            }
            return claimed
        }
    }

    /// Marks a delivery accepted by its receiver.
    public func completeDelivery(id: String, now: Int64) async throws {
        try await measure("complete_delivery") {
            try await database.execute("""
                UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = \(now), last_error = NULL
                WHERE id = \(id) AND status = 'pending'
                """)
        }
    }

    /// Records a failed attempt: retried at `nextAttemptAt`, or abandoned when it is nil.
    public func failDelivery(id: String, error: String, nextAttemptAt: Int64?) async throws {
        try await measure("fail_delivery") {
            if let nextAttemptAt {
                try await database.execute("""
                    UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = \(nextAttemptAt), last_error = \(error)
                    WHERE id = \(id) AND status = 'pending'
                    """)
            } else {
                try await database.execute("""
                    UPDATE webhook_deliveries SET attempts = attempts + 1, status = 'abandoned', last_error = \(error)
                    WHERE id = \(id) AND status = 'pending'
                    """)
            }
        }
    }

    /// Records that `instanceID` is alive at `now`.
    public func heartbeat(instanceID: String, now: Int64) async throws {
        try await measure("heartbeat") {
            try await database.execute("""
                INSERT INTO instance_heartbeats (instance_id, seen_at) VALUES (\(instanceID), \(now))
                ON CONFLICT (instance_id) DO UPDATE SET seen_at = excluded.seen_at
                """)
        }
    }

    /// When each instance was last seen (Unix milliseconds).
    public func heartbeats() async throws -> [String: Int64] {
        try await measure("list_heartbeats") {
            var seen: [String: Int64] = [:]
            for row in try await database.query("SELECT instance_id, seen_at FROM instance_heartbeats") {
                seen[try row.requiredString("instance_id")] = row.int("seen_at") ?? 0
            }
            return seen
        }
    }

    /// Deliveries waiting to be sent or retried (read through the `(status, next_attempt_at)` index).
    public func pendingDeliveryCount() async throws -> Int {
        try await measure("count_pending_deliveries") {
            Int(try await database.query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'pending'").first?.int("n") ?? 0)
        }
    }

    /// Deletes delivered and abandoned deliveries, and resolved alerts, that ended before `before`.
    public func pruneAlertHistory(before: Int64) async throws {
        try await measure("prune_alert_history") {
            try await database.execute("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < \(before)")
            try await database.execute("DELETE FROM alerts WHERE status = 'resolved' AND ends_at < \(before)")
        }
    }

    static func webhook(_ row: SQLRow) throws -> Webhook {
        Webhook(
            id: try row.requiredString("id"), tenantID: row.string("tenant_id"), url: try row.requiredString("url"),
            secret: try row.requiredString("secret"), createdAt: row.int("created_at") ?? 0
        )
    }

    static func alert(_ row: SQLRow) throws -> AlertRecord {
        AlertRecord(
            fingerprint: try row.requiredString("fingerprint"), tenantID: row.string("tenant_id"), name: try row.requiredString("name"),
            labels: JSONColumn.decode([String: String].self, row.string("labels"), default: [:]),
            annotations: JSONColumn.decode([String: String].self, row.string("annotations"), default: [:]),
            status: try row.requiredString("status"), startsAt: row.int("starts_at") ?? 0, endsAt: row.int("ends_at")
        )
    }
}

extension RecordStore {
    /// Every tenant's most recent training that succeeded or failed since `since` (cancelled ones say nothing about
    /// health).
    public func latestTrainingOutcomes(since: Int64) async throws -> [TrainingOutcome] {
        try await measure("latest_training_outcomes") {
            var latest: [String: TrainingOutcome] = [:]
            let rows = try await database.query("""
                SELECT id, tenant_id, status, params, message, finished_at FROM jobs
                WHERE kind = 'train' AND status IN ('succeeded', 'failed') AND finished_at >= \(since) ORDER BY finished_at, id
                """)
            for row in rows {
                let params = (try? JSONParser.parse(Array((row.string("params") ?? "{}").utf8)))?.objectValue
                let outcome = TrainingOutcome(
                    tenantID: try row.requiredString("tenant_id"), jobID: try row.requiredString("id"),
                    model: params?["model"]?.stringValue ?? "unknown", failed: row.string("status") == "failed",
                    message: row.string("message"), finishedAt: row.int("finished_at") ?? 0
                )
                latest[outcome.tenantID] = outcome
            }
            return latest.values.sorted { $0.tenantID < $1.tenantID }
        }
    }
}
