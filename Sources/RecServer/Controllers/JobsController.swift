import Hummingbird
import RecCore
import RecStore

/// A tenant's jobs: status, progress, row report, cancellation.
struct JobsController {
    let store: RecordStore

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "jobs", use: list)
        routes.on(.get, "jobs/{job_id}", use: get)
        routes.on(.post, "jobs/{job_id}/cancel", use: cancel)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.ingest, .manage])
        struct List: Encodable { let jobs: [JobPayload] }
        return try JSONResponse.make(.ok, List(jobs: try await store.jobs(tenantID: caller.tenantID, limit: 100).map(JobPayload.init)))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.ingest, .manage])
        guard let job = try await store.job(tenantID: caller.tenantID, id: PathID.require(context, "job_id")) else { throw RecError.notFound("job") }
        return try JSONResponse.make(.ok, JobPayload(job))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.ingest, .manage])
        guard let job = try await store.cancelJob(tenantID: caller.tenantID, id: PathID.require(context, "job_id"), now: WallClock.nowMillis()) else {
            throw RecError.notFound("job")
        }
        return try JSONResponse.make(.accepted, JobPayload(job))
    }
}
