import Prometheus

/// The evaluator's exported state: SLI, burn rate per window, budget left, objective and alert state per SLO series.
final class SLOMetrics: Sendable {
    struct WindowKey: Hashable, Sendable {
        let slo: String
        let tenant: String
        let window: String
    }

    struct SeriesKey: Hashable, Sendable {
        let slo: String
        let tenant: String
    }

    struct AlertKey: Hashable, Sendable {
        let slo: String
        let tenant: String
        let severity: String
    }

    private let sli: MetricCache<WindowKey, Gauge>
    private let burn: MetricCache<WindowKey, Gauge>
    private let budget: MetricCache<SeriesKey, Gauge>
    private let objective: MetricCache<SeriesKey, Gauge>
    private let alert: MetricCache<AlertKey, Gauge>

    init(registry: PrometheusCollectorRegistry) {
        sli = MetricCache { key in
            registry.makeGauge(name: "rec_slo_sli_ratio", labels: [("slo", key.slo), ("tenant", key.tenant), ("window", key.window)], help: "Share of good events over the window (1 when the window saw none).")
        }
        burn = MetricCache { key in
            registry.makeGauge(name: "rec_slo_burn_rate", labels: [("slo", key.slo), ("tenant", key.tenant), ("window", key.window)], help: "Error budget burn rate over the window (1 = the sustainable rate).")
        }
        budget = MetricCache { key in
            registry.makeGauge(name: "rec_slo_error_budget_remaining_ratio", labels: [("slo", key.slo), ("tenant", key.tenant)], help: "Share of the 30-day error budget left (negative when overspent).")
        }
        objective = MetricCache { key in
            registry.makeGauge(name: "rec_slo_objective_ratio", labels: [("slo", key.slo), ("tenant", key.tenant)], help: "The SLO's target share of good events.")
        }
        alert = MetricCache { key in
            registry.makeGauge(name: "rec_slo_alert_firing", labels: [("slo", key.slo), ("tenant", key.tenant), ("severity", key.severity)], help: "1 while the SLO's burn-rate alert of this severity fires.")
        }
    }

    /// Exports one series' status (`tenant="all"` for the service-wide series).
    func export(_ status: SLOStatus) {
        let tenant = status.tenant ?? "all"
        for window in SLOWindow.allCases {
            let key = WindowKey(slo: status.slo, tenant: tenant, window: window.rawValue)
            sli(key).set(status.sli[window] ?? 1)
            burn(key).set(status.burnRates[window] ?? 0)
        }
        let series = SeriesKey(slo: status.slo, tenant: tenant)
        budget(series).set(status.errorBudgetRemaining)
        objective(series).set(status.objective)
        alert(AlertKey(slo: status.slo, tenant: tenant, severity: "page")).set(status.page ? 1.0 : 0.0)
        alert(AlertKey(slo: status.slo, tenant: tenant, severity: "ticket")).set(status.ticket ? 1.0 : 0.0)
    }
}
