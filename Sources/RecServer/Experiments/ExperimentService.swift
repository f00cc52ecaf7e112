import Logging
import RecCore
import RecServing
import RecStore
import RecTelemetry
import ServiceLifecycle
import Synchronization
import Tracing

/// Watches every running experiment and canary rollout, on every replica: each cycle computes their results from the
/// store (so all replicas agree), exports them as metrics, and decides running rollouts. A decision is a conditional
/// store change (`RecordStore.endExperiment`), so of replicas deciding at once exactly one does. It also hands the
/// alert manager its conditions: a sample-ratio mismatch, a rollout promoted or rolled back in the last hour.
actor ExperimentService: Service {
    private let store: RecordStore
    private let serving: ServingRegistry
    private let guardrails: ArmGuardrails
    private let slowShareLimit: Double
    private let metrics: ExperimentMetrics
    private let readiness: Readiness
    private let interval: Duration
    private let logger: Logger
    private let latest = Mutex<Latest>(Latest())

    /// How long a rollout's end stays announced (its alert firing, its status series exported).
    static let announcedMillis: Int64 = 3_600_000
    /// Users an experiment needs in all before its split is checked (fewer are noise).
    static let srmMinimumUsers = 100
    /// The alerts this service raises (and, through the alert manager, resolves).
    static let alertNames: Set<String> = ["ExperimentSampleRatioMismatch", "CanaryPromoted", "CanaryRolledBack"]

    /// What the last cycle found.
    struct Latest: Sendable {
        var conditions: [AlertCondition] = []
        /// When the last successful cycle began (0 before the first).
        var observedAt: Int64 = 0
    }

    /// A service over `store`; a canary's candidate trips the latency guardrail when its share of answers slower than
    /// the latency SLO's threshold (counted in `guardrails`) is at least `slowShareLimit` (the SLO's fast-burn share)
    /// and significantly above the baseline's.
    init(store: RecordStore, serving: ServingRegistry, guardrails: ArmGuardrails, slowShareLimit: Double, metrics: ExperimentMetrics,
         readiness: Readiness, interval: Duration, logger: Logger) {
        self.store = store
        self.serving = serving
        self.guardrails = guardrails
        self.slowShareLimit = slowShareLimit
        self.metrics = metrics
        self.readiness = readiness
        self.interval = interval
        self.logger = logger
    }

    /// Runs a cycle every interval until shutdown.
    func run() async throws {
        while !readiness.migrated {
            try await Task.sleep(for: .milliseconds(100))
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.cycle()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// The alert conditions of the last successful cycle.
    nonisolated func conditions() -> [AlertCondition] {
        latest.withLock { $0.conditions }
    }

    /// When the last successful cycle began reading (0 before the first): its conditions are that old, and until
    /// then none of its alerts may be resolved.
    nonisolated func observedAt() -> Int64 {
        latest.withLock { $0.observedAt }
    }

    /// One pass: every running experiment's results, the running rollouts' decisions, the conditions.
    func cycle() async {
        let now = WallClock.nowMillis()
        do {
            var conditions: [AlertCondition] = []
            var exported: Set<String> = []
            for experiment in try await store.runningExperiments() {
                exported.insert(experiment.id)
                let totals = try await store.experimentTotals(tenantID: experiment.tenantID, id: experiment.id)
                let results = ExperimentAnalysis.results(experiment, totals: totals)
                export(experiment, results)
                if results.sample_ratio_mismatch, results.variants.reduce(0, { $0 + $1.users }) >= Self.srmMinimumUsers {
                    conditions.append(Self.mismatch(experiment, results))
                }
                if experiment.kind == .rollout {
                    try await decide(experiment, totals: totals, guardrail: latencyGuardrail(experiment), now: now)
                }
            }
            for rollout in try await store.rolloutsEnded(since: now - Self.announcedMillis) {
                exported.insert(rollout.id)
                metrics.setRollout(tenant: rollout.tenantID, rollout: rollout.id, status: rollout.status.rawValue)
                conditions.append(Self.ended(rollout))
            }
            metrics.retain(exported)
            guardrails.retain(exported)
            latest.withLock { $0 = Latest(conditions: conditions, observedAt: now) }
        } catch {
            logger.warning("experiment cycle failed", metadata: ["error": "\(error)"])
        }
    }

    /// Judges a running rollout and carries out its verdict.
    private func decide(_ rollout: ExperimentRecord, totals: [String: VariantTotals], guardrail: String?, now: Int64) async throws {
        try await withSpan("experiments.decide", ofKind: .internal) { span in
            span.attributes["rec.rollout"] = rollout.id
            let (verdict, comparison) = RolloutJudge.judge(rollout, totals: totals, guardrail: guardrail)
            let status: ExperimentRecord.Status
            let reason: String
            switch verdict {
            case .collecting:
                span.attributes["rec.verdict"] = "collecting"
                return
            case .promote(let why):
                (status, reason) = (.promoted, why)
            case .rollBack(let why):
                (status, reason) = (.rolledBack, why)
            }
            span.attributes["rec.verdict"] = status.rawValue
            let candidate = rollout.variants[1].model_version
            let decision = Self.decision(rollout, totals: totals, comparison: comparison, reason: reason)
            let ended = try await store.endExperiment(
                tenantID: rollout.tenantID, id: rollout.id, status: status, decision: decision, promote: status == .promoted ? candidate : nil, now: now
            )
            guard ended else { return }
            logger.notice("canary rollout decided", metadata: [
                "tenant": "\(rollout.tenantID)", "rec.rollout": "\(rollout.id)", "rec.status": "\(status.rawValue)", "rec.version": "\(candidate)", "rec.reason": "\(reason)",
            ])
            if status == .promoted { try await serving.activate(tenantID: rollout.tenantID, version: candidate) }
            try await serving.experimentChanged(tenantID: rollout.tenantID)
        }
    }

    /// Why the candidate's latency rolls it back on this replica's counts, if it does (`LatencyGuardrail`).
    private func latencyGuardrail(_ rollout: ExperimentRecord) -> String? {
        guard rollout.variants.count == 2 else { return nil }
        let counts = guardrails.counts(experiment: rollout.id)
        return LatencyGuardrail.check(
            baseline: counts[rollout.variants[0].name] ?? ArmGuardrails.Counts(), candidate: counts[rollout.variants[1].name] ?? ArmGuardrails.Counts(),
            limit: slowShareLimit, thresholdSeconds: guardrails.slowSeconds
        )
    }

    private func export(_ experiment: ExperimentRecord, _ results: ExperimentResults) {
        for variant in results.variants {
            for (metric, estimate) in [("hit_rate", variant.hit_rate), ("ndcg@10", variant.ndcg_at_10), ("conversion", variant.conversion)] {
                metrics.setRate(tenant: experiment.tenantID, experiment: experiment.id, variant: variant.name, metric: metric, value: estimate?.value ?? 0)
            }
        }
        metrics.setPValues(tenant: experiment.tenantID, experiment: experiment.id, pValue: results.p_value, srmPValue: results.srm_p_value)
        if experiment.kind == .rollout { metrics.setRollout(tenant: experiment.tenantID, rollout: experiment.id, status: "running") }
    }

    /// What a rollout's end records: the reason and the comparison that decided it.
    static func decision(_ rollout: ExperimentRecord, totals: [String: VariantTotals], comparison: VariantComparison?, reason: String) -> JSONValue {
        var arms: [String: JSONValue] = [:]
        for variant in rollout.variants {
            let total = totals[variant.name] ?? VariantTotals()
            arms[variant.name] = .object([
                "model_version": .string(variant.model_version), "users": .number(Double(total.users)), "lists": .number(Double(total.lists)),
                "evaluated_lists": .number(Double(total.evaluatedLists)), "hit_rate": .number(total.hitRate.mean),
            ])
        }
        var object: [String: JSONValue] = ["reason": .string(reason), "metric": .string("hit_rate"), "arms": .object(arms)]
        if let comparison {
            object["lift"] = .object(["value": .number(comparison.lift), "lower": .number(comparison.lower), "upper": .number(comparison.upper)])
            object["p_value"] = .number(comparison.pValue)
        }
        return .object(object)
    }

    private static func mismatch(_ experiment: ExperimentRecord, _ results: ExperimentResults) -> AlertCondition {
        let split = results.variants.map { "\($0.name) \($0.users) users (\($0.traffic)%)" }.joined(separator: ", ")
        return AlertCondition(
            name: "ExperimentSampleRatioMismatch", severity: "warning", tenantID: experiment.tenantID, labels: ["experiment_id": experiment.id],
            annotations: [
                "summary": "An experiment's users do not fit its traffic split: its comparison cannot be trusted.",
                "description": "Experiment \(experiment.id) (\(experiment.name)): \(split); chi-square p = \(results.srm_p_value ?? 1).",
                "runbook_url": "docs/runbook.md#experimentsampleratiomismatch",
            ]
        )
    }

    private static func ended(_ rollout: ExperimentRecord) -> AlertCondition {
        let promoted = rollout.status == .promoted
        let reason = rollout.decision?.objectValue?["reason"]?.stringValue ?? "no reason recorded"
        let candidate = rollout.variants.count > 1 ? rollout.variants[1].model_version : "?"
        return AlertCondition(
            name: promoted ? "CanaryPromoted" : "CanaryRolledBack", severity: promoted ? "info" : "warning", tenantID: rollout.tenantID,
            labels: ["rollout_id": rollout.id, "model_version": candidate],
            annotations: [
                "summary": promoted ? "A canary rollout promoted its candidate version." : "A canary rollout rolled its candidate version back.",
                "description": "Rollout \(rollout.id): \(candidate) \(promoted ? "is now the serving version" : "was withdrawn"): \(reason).",
                "runbook_url": promoted ? "docs/runbook.md#canarypromoted" : "docs/runbook.md#canaryrolledback",
            ]
        )
    }
}
