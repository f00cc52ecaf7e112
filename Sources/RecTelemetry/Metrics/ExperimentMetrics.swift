import Prometheus
import Synchronization

/// Experiments and canary rollouts: lists served per arm, each arm's rates, the test's p-values and each rollout's
/// status. Series exist only for running experiments (and a rollout's outcome for an hour after it ends): `retain`
/// drops the rest.
public final class ExperimentMetrics: Sendable {
    struct ArmKey: Hashable, Sendable {
        let tenant: String
        let experiment: String
        let variant: String
    }

    struct RateKey: Hashable, Sendable {
        let arm: ArmKey
        let metric: String
    }

    struct ExperimentKey: Hashable, Sendable {
        let tenant: String
        let experiment: String
        let name: String
    }

    struct RolloutKey: Hashable, Sendable {
        let tenant: String
        let rollout: String
        let status: String
    }

    /// The statuses a rollout's series can take.
    public static let rolloutStatuses = ["running", "promoted", "rolled_back"]

    private let lists: MetricCache<ArmKey, Counter>
    private let rates: MetricCache<RateKey, Gauge>
    private let pValues: MetricCache<ExperimentKey, Gauge>
    private let rollouts: MetricCache<RolloutKey, Gauge>
    private let registry: PrometheusCollectorRegistry
    private let made = MetricCache<String, Made> { _ in Made() }

    /// The label sets made for one experiment, so its series can all be dropped.
    final class Made: Sendable {
        struct Keys {
            var arms: Set<ArmKey> = []
            var rates: Set<RateKey> = []
            var experiments: Set<ExperimentKey> = []
            var rollouts: Set<RolloutKey> = []
        }

        let keys = Mutex(Keys())
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        lists = MetricCache { key in
            registry.makeCounter(name: "rec_experiment_lists_total", labels: [("tenant", key.tenant), ("experiment", key.experiment), ("variant", key.variant)],
                                 help: "Recommendation lists served by each arm of a running experiment or rollout.")
        }
        rates = MetricCache { key in
            registry.makeGauge(name: "rec_experiment_rate", labels: [("tenant", key.arm.tenant), ("experiment", key.arm.experiment), ("variant", key.arm.variant), ("metric", key.metric)],
                               help: "Each arm's rate per evaluated list (hit_rate, ndcg@10, conversion), users as the unit.")
        }
        pValues = MetricCache { key in
            registry.makeGauge(name: key.name, labels: [("tenant", key.tenant), ("experiment", key.experiment)],
                               help: key.name == "rec_experiment_p_value"
                                   ? "The always-valid p-value of the experiment's primary metric (best arm against control)."
                                   : "The sample-ratio-mismatch p-value (chi-square of users per arm against the traffic split).")
        }
        rollouts = MetricCache { key in
            registry.makeGauge(name: "rec_rollout_status", labels: [("tenant", key.tenant), ("rollout", key.rollout), ("status", key.status)],
                               help: "1 for a canary rollout's current status (running, promoted, rolled_back); outcomes stay an hour.")
        }
    }

    /// Counts a list served by an experiment's arm.
    public func served(tenant: String, experiment: String, variant: String) {
        let key = ArmKey(tenant: tenant, experiment: experiment, variant: variant)
        remember(experiment) { $0.arms.insert(key) }
        lists(key).increment()
    }

    /// Sets an arm's rate for `metric`.
    public func setRate(tenant: String, experiment: String, variant: String, metric: String, value: Double) {
        let key = RateKey(arm: ArmKey(tenant: tenant, experiment: experiment, variant: variant), metric: metric)
        remember(experiment) { $0.rates.insert(key) }
        rates(key).set(value)
    }

    /// Sets the experiment's p-value and sample-ratio-mismatch p-value.
    public func setPValues(tenant: String, experiment: String, pValue: Double?, srmPValue: Double?) {
        for (name, value) in [("rec_experiment_p_value", pValue), ("rec_experiment_srm_p_value", srmPValue)] {
            guard let value else { continue }
            let key = ExperimentKey(tenant: tenant, experiment: experiment, name: name)
            remember(experiment) { $0.experiments.insert(key) }
            pValues(key).set(value)
        }
    }

    /// Sets a rollout's status series (1 for `status`, 0 for the others).
    public func setRollout(tenant: String, rollout: String, status: String) {
        for candidate in Self.rolloutStatuses {
            let key = RolloutKey(tenant: tenant, rollout: rollout, status: candidate)
            remember(rollout) { $0.rollouts.insert(key) }
            rollouts(key).set(Double(candidate == status ? 1 : 0))
        }
    }

    /// Drops every series of experiments and rollouts not in `ids`.
    public func retain(_ ids: Set<String>) {
        for id in made.keys() where !ids.contains(id) {
            guard let set = made.remove(id) else { continue }
            let keys = set.keys.withLock { $0 }
            for key in keys.arms { if let counter = lists.remove(key) { registry.unregisterCounter(counter) } }
            for key in keys.rates { if let gauge = rates.remove(key) { registry.unregisterGauge(gauge) } }
            for key in keys.experiments { if let gauge = pValues.remove(key) { registry.unregisterGauge(gauge) } }
            for key in keys.rollouts { if let gauge = rollouts.remove(key) { registry.unregisterGauge(gauge) } }
        }
    }

    private func remember(_ id: String, _ insert: (inout Made.Keys) -> Void) {
        made(id).keys.withLock { insert(&$0) }
    }
}
