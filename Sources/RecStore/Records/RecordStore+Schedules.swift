import RecCore

extension RecordStore {
    /// Sets (or replaces) a tenant's retraining schedule.
    public func putSchedule(_ schedule: TrainingSchedule, now: Int64) async throws {
        try await measure("put_schedule") {
            try await database.execute("""
                INSERT INTO training_schedules (tenant_id, model, params, promote, interval_seconds, next_run_at, updated_at)
                VALUES (\(schedule.tenantID), \(schedule.model), \(try JSONColumn.encode(schedule.params)), \(schedule.promote),
                        \(schedule.intervalSeconds), \(schedule.nextRunAt), \(now))
                ON CONFLICT (tenant_id) DO UPDATE SET model = excluded.model, params = excluded.params, promote = excluded.promote,
                    interval_seconds = excluded.interval_seconds, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
                """)
        }
    }

    /// A tenant's schedule, if any.
    public func schedule(tenantID: String) async throws -> TrainingSchedule? {
        try await measure("get_schedule") {
            try await database.query("SELECT * FROM training_schedules WHERE tenant_id = \(tenantID)").first.map(Self.schedule)
        }
    }

    /// Removes a tenant's schedule; false when there was none.
    public func deleteSchedule(tenantID: String) async throws -> Bool {
        try await measure("delete_schedule") {
            !(try await database.query("DELETE FROM training_schedules WHERE tenant_id = \(tenantID) RETURNING tenant_id")).isEmpty
        }
    }

    /// Claims every schedule due at `now` by moving its next run forward (so one replica enqueues it), returning them.
    public func claimDueSchedules(now: Int64) async throws -> [TrainingSchedule] {
        try await measure("claim_due_schedules") {
            try await database.query("""
                UPDATE training_schedules SET next_run_at = \(now) + interval_seconds * 1000
                WHERE next_run_at <= \(now) RETURNING *
                """).map(Self.schedule)
        }
    }

    static func schedule(_ row: SQLRow) throws -> TrainingSchedule {
        TrainingSchedule(
            tenantID: try row.requiredString("tenant_id"),
            model: try row.requiredString("model"),
            params: JSONColumn.decode([String: Double].self, row.string("params"), default: [:]),
            promote: try row.requiredString("promote"),
            intervalSeconds: row.int("interval_seconds") ?? 0,
            nextRunAt: row.int("next_run_at") ?? 0
        )
    }
}
