import RecCore

extension RecordStore {
    /// Stores a new job; `owner` pins it to one instance (imports read a file only that instance holds).
    public func createJob(_ job: Job, owner: String?) async throws {
        try await measure("create_job") {
            try await database.execute("""
                INSERT INTO jobs (id, tenant_id, kind, status, params, progress, accepted, rejected, errors, message, created_at, owner, attempts, cancel_requested)
                VALUES (\(job.id), \(job.tenantID), \(job.kind), \(job.status.rawValue), \(try JSONColumn.encode(job.params)), \(job.progress),
                        \(job.accepted), \(job.rejected), \(try JSONColumn.encode(job.errors)), \(job.message), \(job.createdAt), \(owner), \(0), \(0))
                """)
        }
    }

    /// One job of a tenant.
    public func job(tenantID: String, id: String) async throws -> Job? {
        try await measure("get_job") {
            try await database.query("SELECT * FROM jobs WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.job)
        }
    }

    /// The status of a job of any tenant (for housekeeping), nil when there is no such job.
    public func jobStatus(id: String) async throws -> Job.Status? {
        try await measure("get_job_status") {
            try await database.query("SELECT status FROM jobs WHERE id = \(id)").first?.string("status").flatMap(Job.Status.init)
        }
    }

    /// A tenant's most recent jobs.
    public func jobs(tenantID: String, limit: Int) async throws -> [Job] {
        try await measure("list_jobs") {
            try await database.query("SELECT * FROM jobs WHERE tenant_id = \(tenantID) ORDER BY created_at DESC, id LIMIT \(limit)").map(Self.job)
        }
    }

    /// Leases the oldest runnable job of `kind` for `owner` until `leaseUntil`: a queued one, or a running one whose lease
    /// expired (its worker died). On PostgreSQL concurrent workers skip each other's rows (`FOR UPDATE SKIP LOCKED`).
    /// Jobs created with an owner (imports, whose file only that instance holds) are only ever leased by it; with
    /// `anyOwner` (training) any instance takes queued or expired jobs of `kind`.
    public func claimJob(kind: String, owner: String, now: Int64, leaseUntil: Int64, anyOwner: Bool = false) async throws -> Job? {
        try await measure("claim_job") {
            let lock = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let ownership: SQLQuery = anyOwner ? "" : " AND (owner IS NULL OR owner = \(owner))"
            let query: SQLQuery = """
                UPDATE jobs SET status = 'running', owner = \(owner), lease_expires_at = \(leaseUntil), attempts = attempts + 1,
                    started_at = COALESCE(started_at, \(now))
                WHERE id = (
                    SELECT id FROM jobs WHERE kind = \(kind)
                """
            let rows = try await database.query(query + ownership + """
                      AND (status = 'queued' OR (status = 'running' AND lease_expires_at < \(now)))
                    ORDER BY created_at, id LIMIT 1\(raw: lock)
                )
                RETURNING *
                """)
            return try rows.first.map(Self.job)
        }
    }

    /// Moves a running job to a final status with its final counts.
    public func finishJob(id: String, status: Job.Status, progress: Double, accepted: Int, rejected: Int, errors: [RowError], message: String?, now: Int64) async throws {
        try await measure("finish_job") {
            try await database.execute("""
                UPDATE jobs SET status = \(status.rawValue), progress = \(progress), accepted = \(accepted), rejected = \(rejected),
                    errors = \(try JSONColumn.encode(errors)), message = \(message), finished_at = \(now), lease_expires_at = NULL
                WHERE id = \(id) AND status IN ('queued', 'running')
                """)
        }
    }

    /// Records a running job's stage and progress and extends its lease (a heartbeat). Returns whether cancellation
    /// was requested; throws `StoreError.leaseLost` when the job is no longer leased by `owner` (its lease expired and
    /// another worker took it).
    public func updateJobProgress(id: String, owner: String, stage: String, progress: Double, leaseUntil: Int64) async throws -> Bool {
        try await measure("update_job_progress") {
            let rows = try await database.query("""
                UPDATE jobs SET stage = \(stage), progress = \(progress), lease_expires_at = \(leaseUntil)
                WHERE id = \(id) AND status = 'running' AND owner = \(owner) RETURNING cancel_requested
                """)
            guard let row = rows.first else { throw StoreError.leaseLost(job: id) }
            return row.int("cancel_requested") == 1
        }
    }

    /// Finishes a running job leased by `owner` with a stage, message and result; false when the lease was lost.
    @discardableResult
    public func finishLeasedJob(id: String, owner: String, status: Job.Status, stage: String?, message: String?, result: [String: JSONValue], now: Int64) async throws -> Bool {
        try await measure("finish_job") {
            let rows = try await database.query("""
                UPDATE jobs SET status = \(status.rawValue), stage = \(stage), message = \(message), result = \(try JSONColumn.encode(result)),
                    progress = \(status == .succeeded ? 1.0 : 0.0) + progress * \(status == .succeeded ? 0.0 : 1.0),
                    finished_at = \(now), lease_expires_at = NULL
                WHERE id = \(id) AND status = 'running' AND owner = \(owner) RETURNING id
                """)
            return !rows.isEmpty
        }
    }

    /// Hands a running job leased by `owner` back to the queue at once (its worker is shutting down), so another
    /// worker need not wait for the lease to expire.
    public func releaseJob(id: String, owner: String) async throws {
        try await measure("release_job") {
            try await database.execute("""
                UPDATE jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, attempts = attempts - 1
                WHERE id = \(id) AND status = 'running' AND owner = \(owner)
                """)
        }
    }

    /// Whether `tenantID` has a training job queued or running (so a schedule does not pile them up).
    public func hasActiveJob(tenantID: String, kind: String) async throws -> Bool {
        try await measure("has_active_job") {
            !(try await database.query("""
                SELECT id FROM jobs WHERE tenant_id = \(tenantID) AND kind = \(kind) AND status IN ('queued', 'running') LIMIT 1
                """)).isEmpty
        }
    }

    /// Asks a job to stop: a queued job is cancelled at once, a running one at its next checkpoint. Nil when not found.
    public func cancelJob(tenantID: String, id: String, now: Int64) async throws -> Job? {
        try await measure("cancel_job") {
            try await database.transaction { db in
                try await db.execute("""
                    UPDATE jobs SET status = 'cancelled', finished_at = \(now), message = 'cancelled before it started'
                    WHERE tenant_id = \(tenantID) AND id = \(id) AND status = 'queued'
                    """)
                try await db.execute("UPDATE jobs SET cancel_requested = 1 WHERE tenant_id = \(tenantID) AND id = \(id) AND status = 'running'")
                return try await db.query("SELECT * FROM jobs WHERE tenant_id = \(tenantID) AND id = \(id)").first.map(Self.job)
            }
        }
    }

    /// Queued jobs of `kind`, for the queue-depth gauge.
    public func queuedJobCount(kind: String) async throws -> Int {
        try await measure("count_queued_jobs") {
            Int(try await database.query("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(kind) AND status = 'queued'").first?.int("n") ?? 0)
        }
    }

    /// The rows of one import chunk, by kind.
    public enum ImportRows: Sendable {
        case interactions([Interaction])
        case items([Item])
        case users([User])
    }

    /// Writes one import chunk and the job's progress in one transaction, so a restarted import resumes exactly after
    /// the last committed record (`checkpoint`). Returns whether cancellation was requested; throws
    /// `StoreError.leaseLost` when the job is no longer leased by `owner`.
    public func commitImportChunk(jobID: String, tenantID: String, owner: String, rows: ImportRows, checkpoint: Int, progress: Double, accepted: Int, rejected: Int, errors: [RowError], leaseUntil: Int64) async throws -> Bool {
        try await measure("commit_import_chunk") {
            let now = WallClock.nowMillis()
            return try await database.transaction { db in
                let updated = try await db.query("""
                    UPDATE jobs SET checkpoint = \(checkpoint), progress = \(progress), accepted = \(accepted), rejected = \(rejected),
                        errors = \(try JSONColumn.encode(errors)), lease_expires_at = \(leaseUntil)
                    WHERE id = \(jobID) AND status = 'running' AND owner = \(owner) RETURNING cancel_requested
                    """)
                guard let row = updated.first else { throw StoreError.leaseLost(job: jobID, what: "import job") }
                switch rows {
                case .interactions(let events): try await Self.insertInteractionRows(tenantID: tenantID, events, now: now, into: db)
                case .items(let items): try await Self.upsertItemRows(tenantID: tenantID, items, into: db)
                case .users(let users): try await Self.upsertUserRows(tenantID: tenantID, users, into: db)
                }
                return row.int("cancel_requested") == 1
            }
        }
    }

    /// Where a leased import resumes: records already committed.
    public func jobCheckpoint(id: String) async throws -> Int {
        try await measure("get_job_checkpoint") {
            Int(try await database.query("SELECT checkpoint FROM jobs WHERE id = \(id)").first?.int("checkpoint") ?? 0)
        }
    }

    static func job(_ row: SQLRow) throws -> Job {
        Job(
            id: try row.requiredString("id"),
            tenantID: try row.requiredString("tenant_id"),
            kind: try row.requiredString("kind"),
            status: Job.Status(rawValue: try row.requiredString("status")) ?? .failed,
            params: JSONColumn.decode([String: JSONValue].self, row.string("params"), default: [:]),
            progress: row.double("progress") ?? 0,
            accepted: Int(row.int("accepted") ?? 0),
            rejected: Int(row.int("rejected") ?? 0),
            errors: JSONColumn.decode([RowError].self, row.string("errors"), default: []),
            message: row.string("message"),
            attempts: Int(row.int("attempts") ?? 0),
            createdAt: row.int("created_at") ?? 0,
            startedAt: row.int("started_at"),
            finishedAt: row.int("finished_at"),
            stage: row.string("stage"),
            result: JSONColumn.decode([String: JSONValue].self, row.string("result"), default: [:])
        )
    }
}
