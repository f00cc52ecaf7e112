import Hummingbird
import RecCore
import RecServing
import RecStore

/// A/B experiments of model versions and canary rollouts (scope `manage`): create, list, read with live results,
/// stop. Every replica routes a tenant's users by the running one, read from the store.
struct ExperimentsController {
    let store: RecordStore
    let serving: ServingRegistry

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "experiments", use: create)
        routes.on(.get, "experiments", use: list)
        routes.on(.get, "experiments/{experiment_id}", use: get)
        routes.on(.post, "experiments/{experiment_id}/stop", use: stop)
        routes.on(.get, "rollouts", use: listRollouts)
        routes.on(.get, "rollouts/{rollout_id}", use: getRollout)
        routes.on(.post, "rollouts/{rollout_id}/stop", use: stopRollout)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        let parsed = try ExperimentRequest(json: try await BatchBody.json(request, context: context))
        for (index, variant) in parsed.variants.enumerated() {
            try await verify(tenantID: caller.tenantID, version: variant.model_version, field: "variants[\(index)].model_version")
        }
        try await requireServing(tenantID: caller.tenantID)
        let now = WallClock.nowMillis()
        let experiment = ExperimentRecord(
            id: Identifier.random(prefix: "exp"), tenantID: caller.tenantID, kind: .experiment, name: parsed.name, status: .running,
            salt: Identifier.randomHex(bytes: 8), variants: parsed.variants, settings: parsed.settings, createdAt: now
        )
        try await store.createExperiment(experiment)
        try await serving.experimentChanged(tenantID: caller.tenantID)
        return try JSONResponse.make(.created, ExperimentPayload(experiment, ExperimentAnalysis.results(experiment, totals: [:])))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        var payloads: [ExperimentPayload] = []
        for experiment in try await store.experiments(tenantID: caller.tenantID, kind: .experiment, limit: 50) {
            payloads.append(ExperimentPayload(experiment, try await results(experiment)))
        }
        struct List: Encodable {
            let experiments: [ExperimentPayload]
        }
        return try JSONResponse.make(.ok, List(experiments: payloads))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        let experiment = try await find(tenantID: caller.tenantID, id: try PathID.require(context, "experiment_id"), kind: .experiment)
        return try JSONResponse.make(.ok, ExperimentPayload(experiment, try await results(experiment)))
    }

    @Sendable func stop(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        var experiment = try await find(tenantID: caller.tenantID, id: try PathID.require(context, "experiment_id"), kind: .experiment)
        guard experiment.status == .running else { throw RecError.conflict("the experiment is \(experiment.status.rawValue) already") }
        let results = try await results(experiment)
        let now = WallClock.nowMillis()
        let decision: JSONValue = .object([
            "reason": .string("stopped by the tenant"), "decision": .string(results.decision), "winner": results.winner.map(JSONValue.string) ?? .null,
            "p_value": results.p_value.map(JSONValue.number) ?? .null,
        ])
        guard try await store.endExperiment(tenantID: caller.tenantID, id: experiment.id, status: .stopped, decision: decision, now: now) else {
            throw RecError.conflict("the experiment ended meanwhile")
        }
        try await serving.experimentChanged(tenantID: caller.tenantID)
        experiment.status = .stopped
        experiment.endedAt = now
        experiment.decision = decision
        return try JSONResponse.make(.ok, ExperimentPayload(experiment, results))
    }

    @Sendable func listRollouts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        var payloads: [RolloutPayload] = []
        for rollout in try await store.experiments(tenantID: caller.tenantID, kind: .rollout, limit: 50) {
            payloads.append(try await rolloutPayload(rollout))
        }
        struct List: Encodable {
            let rollouts: [RolloutPayload]
        }
        return try JSONResponse.make(.ok, List(rollouts: payloads))
    }

    @Sendable func getRollout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        let rollout = try await find(tenantID: caller.tenantID, id: try PathID.require(context, "rollout_id"), kind: .rollout)
        return try JSONResponse.make(.ok, try await rolloutPayload(rollout))
    }

    @Sendable func stopRollout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        var rollout = try await find(tenantID: caller.tenantID, id: try PathID.require(context, "rollout_id"), kind: .rollout)
        guard rollout.status == .running else { throw RecError.conflict("the rollout is \(rollout.status.rawValue) already") }
        let totals = try await store.experimentTotals(tenantID: caller.tenantID, id: rollout.id)
        let comparison = RolloutJudge.judge(rollout, totals: totals, guardrail: nil).comparison
        let now = WallClock.nowMillis()
        let decision = ExperimentService.decision(rollout, totals: totals, comparison: comparison, reason: "stopped by the tenant")
        guard try await store.endExperiment(tenantID: caller.tenantID, id: rollout.id, status: .rolledBack, decision: decision, now: now) else {
            throw RecError.conflict("the rollout ended meanwhile")
        }
        try await serving.experimentChanged(tenantID: caller.tenantID)
        rollout.status = .rolledBack
        rollout.endedAt = now
        rollout.decision = decision
        return try JSONResponse.make(.ok, RolloutPayload(rollout, ExperimentAnalysis.results(rollout, totals: totals), comparison: comparison))
    }

    // MARK: - Shared with promotion

    /// Starts a canary of `version` against the serving version (`POST /models/{version}/promote` with
    /// `"strategy":"canary"`); returns the rollout.
    func startCanary(tenantID: String, version: String, canary: CanaryRequest) async throws -> ExperimentRecord {
        try await verify(tenantID: tenantID, version: version, field: "version")
        guard let baseline = try await store.servingVersion(tenantID: tenantID) else {
            throw RecError.conflict("nothing is served yet, so there is no baseline: promote a first version immediately")
        }
        guard baseline != version else { throw RecError.conflict("\(version) is the serving version already") }
        let rollout = ExperimentRecord(
            id: Identifier.random(prefix: "ro"), tenantID: tenantID, kind: .rollout, name: "canary of \(version)", status: .running,
            salt: Identifier.randomHex(bytes: 8),
            variants: [
                ExperimentVariant(name: "baseline", modelVersion: baseline, traffic: 100 - canary.traffic),
                ExperimentVariant(name: "candidate", modelVersion: version, traffic: canary.traffic),
            ],
            settings: ExperimentSettings(primaryMetric: "hit_rate", alpha: canary.alpha, conversionType: "purchase",
                                         minLists: canary.minLists, maxLists: canary.maxLists, margin: canary.margin),
            createdAt: WallClock.nowMillis()
        )
        try await store.createExperiment(rollout)
        try await serving.experimentChanged(tenantID: tenantID)
        return rollout
    }

    /// Refuses a manual change of the serving version while a canary decides it.
    func requireNoRollout(tenantID: String) async throws {
        if let running = try await store.runningExperiment(tenantID: tenantID), running.kind == .rollout {
            throw RecError.conflict("canary rollout \(running.id) is running and promotes or rolls back by itself; wait for it, or stop it (POST /api/v1/rollouts/\(running.id)/stop)")
        }
    }

    // MARK: - Helpers

    private func find(tenantID: String, id: String, kind: ExperimentRecord.Kind) async throws -> ExperimentRecord {
        guard let record = try await store.experiment(tenantID: tenantID, id: id), record.kind == kind else {
            throw RecError.notFound(kind == .experiment ? "experiment" : "rollout")
        }
        return record
    }

    private func results(_ experiment: ExperimentRecord) async throws -> ExperimentResults {
        ExperimentAnalysis.results(experiment, totals: try await store.experimentTotals(tenantID: experiment.tenantID, id: experiment.id))
    }

    private func rolloutPayload(_ rollout: ExperimentRecord) async throws -> RolloutPayload {
        let totals = try await store.experimentTotals(tenantID: rollout.tenantID, id: rollout.id)
        let comparison = RolloutJudge.judge(rollout, totals: totals, guardrail: nil).comparison
        return RolloutPayload(rollout, ExperimentAnalysis.results(rollout, totals: totals), comparison: comparison)
    }

    /// A version that exists and whose artifact matches its checksum, or a 4xx naming `field`.
    private func verify(tenantID: String, version: String, field: String) async throws {
        guard try await store.model(tenantID: tenantID, version: version) != nil else {
            throw RecError.invalidField(field, "no model version \(version)")
        }
        do {
            try await serving.verifyArtifact(tenantID: tenantID, version: version)
        } catch let error as StoreError where error.code == .artifactMissing || error.code == .artifactCorrupt {
            throw RecError.invalidField(field, error.message)
        }
    }

    /// Experiments are measured by the monitors, which watch tenants that serve a version.
    private func requireServing(tenantID: String) async throws {
        guard try await store.servingVersion(tenantID: tenantID) != nil else {
            throw RecError.conflict("nothing is served yet: promote a version first (the monitors measure experiments of serving tenants)")
        }
    }
}
