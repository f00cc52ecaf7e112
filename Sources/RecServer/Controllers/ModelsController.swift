import Hummingbird
import RecCore
import RecModels
import RecServing
import RecStore

/// Training, versions, promotion and rollback, and the retraining schedule (scope `manage`).
struct ModelsController {
    let store: RecordStore
    let artifacts: any ArtifactStore
    let trainer: TrainerService
    let serving: ServingRegistry
    let experiments: ExperimentsController

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "models/train", use: train)
        routes.on(.get, "models", use: list)
        routes.on(.get, "models/{version}", use: get)
        routes.on(.post, "models/{version}/promote", use: promote)
        routes.on(.post, "models/{version}/rollback", use: rollback)
        routes.on(.get, "training-schedule", use: getSchedule)
        routes.on(.put, "training-schedule", use: putSchedule)
        routes.on(.delete, "training-schedule", use: deleteSchedule)
    }

    @Sendable func train(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        guard let body = try await BatchBody.json(request, context: context).objectValue else {
            throw RecError.malformedBody("send a JSON object: {\"model\": \"ials\", \"params\": {...}}")
        }
        let training = try TrainingRequest(json: body)
        let job = Job(id: Identifier.random(prefix: "j"), tenantID: caller.tenantID, kind: "train", status: .queued, params: training.jobParams, createdAt: WallClock.nowMillis())
        try await store.createJob(job, owner: nil)
        trainer.wake()
        struct Accepted: Encodable {
            let job_id: String
            let status: String
        }
        return try JSONResponse.make(.accepted, Accepted(job_id: job.id, status: job.status.rawValue))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.manage, .recommend])
        let serving = try await store.servingVersion(tenantID: caller.tenantID)
        let models = try await store.models(tenantID: caller.tenantID, limit: 100)
        struct List: Encodable {
            let serving_version: String?
            let models: [ModelPayload]
        }
        return try JSONResponse.make(.ok, List(serving_version: serving, models: models.map { ModelPayload($0, serving: $0.version == serving) }))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.manage, .recommend])
        let version = try PathID.require(context, "version")
        guard let model = try await store.model(tenantID: caller.tenantID, version: version) else { throw RecError.notFound("model version") }
        let serving = try await store.servingVersion(tenantID: caller.tenantID)
        return try JSONResponse.make(.ok, ModelPayload(model, serving: serving == version))
    }

    @Sendable func promote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        let version = try PathID.require(context, "version")
        guard try await store.model(tenantID: caller.tenantID, version: version) != nil else { throw RecError.notFound("model version") }
        let canary = try CanaryRequest.parse(try await BatchBody.optionalJSON(request, context: context))
        try await experiments.requireNoRollout(tenantID: caller.tenantID)
        if let canary {
            let rollout = try await experiments.startCanary(tenantID: caller.tenantID, version: version, canary: canary)
            struct Started: Encodable {
                let rollout_id: String
                let status: String
                let candidate_version: String
                let baseline_version: String
                let traffic: Int
            }
            return try JSONResponse.make(.accepted, Started(
                rollout_id: rollout.id, status: rollout.status.rawValue, candidate_version: version,
                baseline_version: rollout.variants[0].model_version, traffic: canary.traffic
            ))
        }
        // Never serve bytes that do not match what training wrote: the registry verifies the artifact (off the event
        // loop) before the store commits, and swaps before answering, so this replica's next request is served by the
        // new version (others poll for it).
        let store = store
        let tenantID = caller.tenantID
        let previous = try await serving.promote(tenantID: tenantID, version: version) {
            try await store.promote(tenantID: tenantID, version: version, action: "promote", now: WallClock.nowMillis())
        }
        struct Promoted: Encodable {
            let serving_version: String
            let previous_version: String?
        }
        return try JSONResponse.make(.ok, Promoted(serving_version: version, previous_version: previous == version ? nil : previous))
    }

    @Sendable func rollback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        let version = try PathID.require(context, "version")
        guard try await store.model(tenantID: caller.tenantID, version: version) != nil else { throw RecError.notFound("model version") }
        try await experiments.requireNoRollout(tenantID: caller.tenantID)
        guard try await store.servingVersion(tenantID: caller.tenantID) == version else {
            throw RecError.conflict("\(version) is not the serving version")
        }
        guard let previous = try await store.versionBefore(tenantID: caller.tenantID, version: version),
              try await store.model(tenantID: caller.tenantID, version: previous) != nil else {
            throw RecError.conflict("no version was served before \(version)")
        }
        // Never roll back onto bytes that do not match what training wrote (verified once, before the commit).
        let store = store
        let tenantID = caller.tenantID
        let now = try await serving.promote(tenantID: tenantID, version: previous) {
            try await store.rollback(tenantID: tenantID, version: version, expected: previous, now: WallClock.nowMillis())
        }
        struct RolledBack: Encodable {
            let serving_version: String
            let rolled_back_version: String
        }
        return try JSONResponse.make(.ok, RolledBack(serving_version: now, rolled_back_version: version))
    }

    @Sendable func getSchedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        guard let schedule = try await store.schedule(tenantID: caller.tenantID) else { throw RecError.notFound("training schedule") }
        return try JSONResponse.make(.ok, SchedulePayload(schedule))
    }

    @Sendable func putSchedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        guard var body = try await BatchBody.json(request, context: context).objectValue else {
            throw RecError.malformedBody("send a JSON object: {\"model\": \"ials\", \"every_hours\": 24}")
        }
        guard let hours = body.removeValue(forKey: "every_hours") else { throw RecError.invalidField("every_hours", "required: hours between trainings") }
        guard let every = hours.numberValue, every >= 1.0 / 60, every <= 24 * 365 else {
            throw RecError.invalidField("every_hours", "must be a number of hours between 1/60 and 8760")
        }
        let training = try TrainingRequest(json: body)
        let interval = Int64((every * 3600).rounded())
        let now = WallClock.nowMillis()
        let schedule = TrainingSchedule(
            tenantID: caller.tenantID, model: training.kind.rawValue, params: training.parameters.values,
            promote: training.promote.rawValue, intervalSeconds: interval, nextRunAt: now + interval * 1000
        )
        try await store.putSchedule(schedule, now: now)
        return try JSONResponse.make(.ok, SchedulePayload(schedule))
    }

    @Sendable func deleteSchedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        guard try await store.deleteSchedule(tenantID: caller.tenantID) else { throw RecError.notFound("training schedule") }
        return Response(status: .noContent)
    }
}

/// A model version as the API shows it.
struct ModelPayload: Encodable {
    let version: String
    let model: String
    let params: [String: Double]
    let metrics: [String: Double]
    let serving: Bool
    let job_id: String?
    let checksum: String
    let artifact_bytes: Int
    let users: Int
    let items: Int
    let interactions: Int
    let train_seconds: Double
    let created_at: String

    init(_ model: ModelVersion, serving: Bool) {
        version = model.version
        self.model = model.kind
        params = model.params
        metrics = model.metrics
        self.serving = serving
        job_id = model.jobID
        checksum = model.checksum
        artifact_bytes = model.artifactBytes
        users = model.users
        items = model.items
        interactions = model.interactions
        train_seconds = model.trainSeconds
        created_at = Timestamp.formatRFC3339(model.createdAt)
    }
}

/// A training schedule as the API shows it.
struct SchedulePayload: Encodable {
    let model: String
    let params: [String: Double]
    let promote: String
    let every_hours: Double
    let next_run_at: String

    init(_ schedule: TrainingSchedule) {
        model = schedule.model
        params = schedule.params
        promote = schedule.promote
        every_hours = Double(schedule.intervalSeconds) / 3600
        next_run_at = Timestamp.formatRFC3339(schedule.nextRunAt)
    }
}
