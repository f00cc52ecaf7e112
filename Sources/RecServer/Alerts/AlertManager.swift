import Logging
import RecCore
import RecModels
import RecStore
import RecTelemetry
import ServiceLifecycle

/// Decides which alerts fire and announces every change: SLO burn-rate alerts from the in-process evaluator, the model
/// monitors' conditions (drift, stale models), failed trainings, and the experiments' (sample-ratio mismatches, canary
/// rollouts decided). A transition is stored and its webhook deliveries
/// queued in one transaction, by whichever replica makes it first (see `RecordStore.transitionAlert`); the delivery
/// service sends them.
final class AlertManager: Service, Sendable {
    private let store: RecordStore
    private let slo: SLOEvaluator?
    private let monitors: MonitorService
    private let experiments: ExperimentService
    private let metrics: AlertMetrics
    private let readiness: Readiness
    private let instanceID: String
    private let interval: Duration
    private let externalURL: String
    private let deliveries: WakeSignal
    private let logger: Logger
    /// Names this manager raises, and so may resolve: the monitors' and the spec's burn-rate alerts.
    private let managed: Set<String>
    /// Every (name, severity) it can raise, so `rec_alerts_firing` shows them at 0 while quiet.
    private let known: [(name: String, severity: String)]
    /// How long a replica may be silent before its SLO alerts are anyone's to resolve: five intervals, at least 2 min.
    private let silenceMillis: Int64

    /// Alert names this manager raises and may therefore resolve.
    static let monitorAlerts: Set<String> = ["ModelInputDrift", "ModelStale", "TrainingFailed"]
    /// Alerts only a monitor cycle that evaluated their tenant can clear.
    static let tenantMonitorAlerts: Set<String> = ["ModelInputDrift", "ModelStale"]

    init(store: RecordStore, slo: SLOEvaluator?, monitors: MonitorService, experiments: ExperimentService, metrics: AlertMetrics, readiness: Readiness,
         instanceID: String, interval: Duration, externalURL: String, deliveries: WakeSignal, logger: Logger) {
        self.store = store
        self.experiments = experiments
        self.slo = slo
        self.monitors = monitors
        self.metrics = metrics
        self.readiness = readiness
        self.instanceID = instanceID
        self.interval = interval
        self.externalURL = externalURL
        self.deliveries = deliveries
        self.logger = logger
        let objectives = slo?.spec.objectives ?? []
        managed = Self.monitorAlerts.union(objectives.map(\.alerting.name)).union(ExperimentService.alertNames)
        known = Self.monitorAlerts.map { ($0, "warning") } + [("ExperimentSampleRatioMismatch", "warning"), ("CanaryPromoted", "info"), ("CanaryRolledBack", "warning")]
            + objectives.flatMap { objective in
            [(objective.alerting.name, objective.alerting.pageLabels["severity"] ?? "page"), (objective.alerting.name, objective.alerting.ticketLabels["severity"] ?? "ticket")]
        }
        silenceMillis = max(120_000, Int64(interval.seconds * 5_000))
    }

    /// Evaluates every interval until shutdown.
    func run() async throws {
        while !readiness.migrated {
            try await Task.sleep(for: .milliseconds(100))
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.evaluate()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// One evaluation: the conditions now, against the alerts stored as firing.
    func evaluate() async {
        do {
            // The conditions are read first: a transition another replica makes after this moment is newer than
            // this evaluation's view, and is left alone (a resolved training alert is not fired again from a stale read).
            let observedAt = WallClock.nowMillis()
            // The monitors' conditions are as old as their last cycle: their alerts act on that view.
            let monitorsObservedAt = min(observedAt, monitors.observedAt())
            // So are the experiments' (0 before their first cycle: none of their alerts may be resolved yet).
            let experimentsObservedAt = min(observedAt, experiments.observedAt())
            let observed: (String) -> Int64 = { name in
                if Self.tenantMonitorAlerts.contains(name) { return monitorsObservedAt }
                if ExperimentService.alertNames.contains(name) { return experimentsObservedAt }
                return observedAt
            }
            var conditions = monitors.conditions()
            conditions += experiments.conditions()
            conditions += sloConditions()
            conditions += try await trainingConditions()
            let now = WallClock.nowMillis()
            try await store.heartbeat(instanceID: instanceID, now: now)
            let firing = try await store.firingAlerts(tenantID: nil)
            let heartbeats = try await store.heartbeats()
            let externalURL = externalURL
            let payload: @Sendable (Webhook, AlertRecord) -> String = { webhook, alert in AlertPayload.json(webhook: webhook, alert: alert, externalURL: externalURL) }
            var changed = false
            let firingPrints = Set(firing.map(\.fingerprint))
            for condition in conditions where !firingPrints.contains(condition.fingerprint) {
                if try await store.transitionAlert(condition.firing(since: now), now: now, observedAt: observed(condition.name), payload: payload) {
                    changed = true
                    metrics.transition("firing")
                    logger.notice("alert firing", metadata: ["alert": "\(condition.name)", "fingerprint": "\(condition.fingerprint)", "tenant": "\(condition.tenantID ?? "")"])
                }
            }
            let wanted = Set(conditions.map(\.fingerprint))
            for alert in firing where !wanted.contains(alert.fingerprint) && managed.contains(alert.name) {
                // SLO alerts are each replica's own view of its traffic: another replica's are left to it while it is
                // alive, and resolved by anyone once it has been silent for five intervals (at least two minutes).
                if let owner = alert.labels["instance"], owner != instanceID, now - (heartbeats[owner] ?? 0) < silenceMillis { continue }
                // A monitor alert clears only when a cycle looked at its tenant and no longer found it (not at start-up,
                // not when the tenant's cycle failed, not for tenants this replica does not serve).
                if Self.tenantMonitorAlerts.contains(alert.name), !monitors.judged(tenantID: alert.tenantID ?? "") { continue }
                if ExperimentService.alertNames.contains(alert.name), experimentsObservedAt == 0 { continue }
                if try await store.transitionAlert(alert.resolved(at: now), now: now, observedAt: observed(alert.name), payload: payload) {
                    changed = true
                    metrics.transition("resolved")
                    logger.notice("alert resolved", metadata: ["alert": "\(alert.name)", "fingerprint": "\(alert.fingerprint)", "tenant": "\(alert.tenantID ?? "")"])
                }
            }
            if changed { deliveries.wake() }
            let current = changed ? try await store.firingAlerts(tenantID: nil) : firing
            var counts: [String: (name: String, severity: String, count: Int)] = [:]
            for alert in current {
                let severity = alert.labels["severity"] ?? "none"
                counts["\(alert.name)|\(severity)", default: (alert.name, severity, 0)].count += 1
            }
            metrics.setFiring(Array(counts.values), known: known)
        } catch {
            logger.warning("alert evaluation failed", metadata: ["error": "\(error)"])
        }
    }

    /// The SLO evaluator's page and ticket alerts (freshness samples first, from the monitors).
    private func sloConditions() -> [AlertCondition] {
        guard let slo else { return [] }
        slo.recordFreshness(monitors.freshness())
        var conditions: [AlertCondition] = []
        for status in slo.evaluate() {
            guard let objective = slo.spec.objectives.first(where: { $0.name == status.slo }) else { continue }
            for (fires, severityLabels) in [(status.page, objective.alerting.pageLabels), (status.ticket, objective.alerting.ticketLabels)] where fires {
                var labels = slo.spec.labels.merging(objective.alerting.labels) { _, new in new }.merging(severityLabels) { _, new in new }
                labels["slo"] = objective.name
                labels["service"] = slo.spec.service
                labels["instance"] = instanceID
                var annotations = objective.alerting.annotations
                let burn = status.burnRates.map { "\($0.key.rawValue) \((($0.value * 10).rounded() / 10))x" }.sorted().joined(separator: ", ")
                annotations["description"] = "The \(objective.name) SLO (\(status.objective * 100)%) is burning its error budget: \(burn); \(((status.errorBudgetRemaining * 1000).rounded() / 10))% of the 30-day budget left."
                if annotations["summary"] == nil { annotations["summary"] = "\(objective.name) is burning its error budget too fast" }
                conditions.append(AlertCondition(
                    name: objective.alerting.name, severity: labels["severity"] ?? "page", tenantID: status.tenant, labels: labels, annotations: annotations
                ))
            }
        }
        return conditions
    }

    /// A tenant whose latest training (of the last 30 days) failed has a `TrainingFailed` alert until a later one succeeds.
    private func trainingConditions() async throws -> [AlertCondition] {
        try await store.latestTrainingOutcomes(since: WallClock.nowMillis() - 30 * 86_400_000).filter(\.failed).map { outcome in
            AlertCondition(
                // One alert per failed job: a second failure in a row is announced too (and the first one resolves).
                name: "TrainingFailed", severity: "warning", tenantID: outcome.tenantID, labels: ["model": outcome.model, "job_id": outcome.jobID],
                annotations: [
                    "summary": "The latest training of a \(outcome.model) model failed.",
                    "description": "Job \(outcome.jobID) failed: \(outcome.message ?? "no message"). The previous serving version stays in place.",
                    "runbook_url": "docs/runbook.md#trainingfailed",
                ]
            )
        }
    }
}
