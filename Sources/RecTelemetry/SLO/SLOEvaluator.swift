import Prometheus
import RecCore
import Synchronization

/// Keeps every SLO's good and total events over all its windows in bounded memory and evaluates SLIs, burn rates,
/// error budgets and the multi-window, multi-burn-rate alert state. Events are recorded on hot paths (a lock and a few
/// additions); `evaluate` exports the result as metrics, and runs on the alert manager's timer (`AlertManager.run`,
/// every alert interval) and whenever the SLO status is read (`GET /api/v1/monitors` and `/admin/v1/monitors`).
public final class SLOEvaluator: Sendable {
    /// The spec evaluated.
    public let spec: SLOSpec
    private let clock: @Sendable () -> Double
    private let metrics: SLOMetrics
    /// Series 0..<objectives.count are service-wide, in spec order; tenant overrides follow.
    private let series: Mutex<[SLIBuckets]>
    private let descriptors: [Descriptor]
    /// Request-based SLOs by route, to find the few that care about a request quickly.
    private let byRoute: [String: [Int]]
    private let personalisation: [Int]
    private let freshness: [Int]
    /// Override series by (objective index, tenant).
    private let overrides: [OverrideKey: Int]

    private struct Descriptor: Sendable {
        let objective: Int
        let tenant: String?
        let target: Double
    }

    private struct OverrideKey: Hashable, Sendable {
        let objective: Int
        let tenant: String
    }

    /// Creates the evaluator; `clock` gives the time in Unix seconds (injected by tests).
    public init(spec: SLOSpec, registry: PrometheusCollectorRegistry, clock: @escaping @Sendable () -> Double = SLOEvaluator.systemClock) {
        self.spec = spec
        self.clock = clock
        self.metrics = SLOMetrics(registry: registry)
        var descriptors = spec.objectives.indices.map { Descriptor(objective: $0, tenant: nil, target: spec.objectives[$0].objective) }
        var overrides: [OverrideKey: Int] = [:]
        for override in spec.tenantOverrides {
            guard let index = spec.objectives.firstIndex(where: { $0.name == override.slo }) else { continue }
            overrides[OverrideKey(objective: index, tenant: override.tenant)] = descriptors.count
            descriptors.append(Descriptor(objective: index, tenant: override.tenant, target: override.objective))
        }
        self.descriptors = descriptors
        self.overrides = overrides
        self.series = Mutex([SLIBuckets](repeating: SLIBuckets(), count: descriptors.count))
        var byRoute: [String: [Int]] = [:]
        for (index, objective) in spec.objectives.enumerated() {
            switch objective.indicator {
            case .availability(let routes, _), .latency(let routes, _, _):
                for route in Set(routes) { byRoute[route, default: []].append(index) }
            case .freshness, .personalisation:
                break
            }
        }
        self.byRoute = byRoute
        self.personalisation = spec.objectives.indices.filter { spec.objectives[$0].indicator == .personalisation }
        self.freshness = spec.objectives.indices.filter { if case .freshness = spec.objectives[$0].indicator { true } else { false } }
    }

    /// The system clock in Unix seconds.
    public static let systemClock: @Sendable () -> Double = { Double(WallClock.nowMillis()) / 1_000 }

    /// Records one finished HTTP request (its route template, method, status and duration in seconds).
    public func recordRequest(route: String, method: String, status: Int, seconds: Double, tenant: String?) {
        guard let candidates = byRoute[route] else { return }
        let now = clock()
        series.withLock { series in
            for index in candidates {
                let objective = spec.objectives[index]
                guard objective.indicator.matches(route: route, method: method) else { continue }
                let good: Bool
                switch objective.indicator {
                case .availability: good = status < 500
                case .latency(_, _, let threshold): good = seconds <= threshold
                case .freshness, .personalisation: continue
                }
                add(&series, objective: index, tenant: tenant, good: good, at: now)
            }
        }
    }

    /// Records one served recommendation list: personalised when a model (or a fold-in) ranked it.
    public func recordServed(tenant: String, personalised: Bool) {
        guard !personalisation.isEmpty else { return }
        let now = clock()
        series.withLock { series in
            for index in personalisation { add(&series, objective: index, tenant: tenant, good: personalised, at: now) }
        }
    }

    /// Records one freshness sample per tenant with a training schedule: whether its serving model is younger than the
    /// schedule allows (the caller applies each objective's grace through `freshnessGrace`).
    public func recordFreshness(_ samples: [(tenant: String, ageSeconds: Double, allowedSeconds: Double)]) {
        guard !freshness.isEmpty, !samples.isEmpty else { return }
        let now = clock()
        series.withLock { series in
            for index in freshness {
                guard case .freshness(let grace) = spec.objectives[index].indicator else { continue }
                for sample in samples {
                    add(&series, objective: index, tenant: sample.tenant, good: sample.ageSeconds <= sample.allowedSeconds + grace, at: now)
                }
            }
        }
    }

    private func add(_ series: inout [SLIBuckets], objective: Int, tenant: String?, good: Bool, at now: Double) {
        series[objective].add(good: good ? 1 : 0, total: 1, at: now)
        if let tenant, let override = overrides[OverrideKey(objective: objective, tenant: tenant)] {
            series[override].add(good: good ? 1 : 0, total: 1, at: now)
        }
    }

    /// Evaluates every series now and exports the result.
    @discardableResult
    public func evaluate() -> [SLOStatus] {
        let now = clock()
        let sums = series.withLock { series in
            series.map { buckets in
                Dictionary(uniqueKeysWithValues: SLOWindow.allCases.map { ($0, buckets.sum($0, at: now)) })
            }
        }
        let statuses = descriptors.indices.map { index in
            Self.status(objective: spec.objectives[descriptors[index].objective], tenant: descriptors[index].tenant, target: descriptors[index].target, sums: sums[index])
        }
        for status in statuses { metrics.export(status) }
        return statuses
    }

    static func status(objective: SLODefinition, tenant: String?, target: Double, sums: [SLOWindow: (good: Double, total: Double)]) -> SLOStatus {
        let budget = 1 - target
        var sli: [SLOWindow: Double] = [:]
        var burn: [SLOWindow: Double] = [:]
        for (window, sum) in sums where sum.total > 0 {
            let ratio = sum.good / sum.total
            sli[window] = ratio
            burn[window] = (1 - ratio) / budget
        }
        let month = sums[.thirtyDays] ?? (0, 0)
        let remaining = month.total > 0 ? 1 - ((month.total - month.good) / month.total) / budget : 1
        return SLOStatus(
            slo: objective.name, tenant: tenant, objective: target, sli: sli, burnRates: burn, errorBudgetRemaining: remaining,
            page: BurnRatePolicy.fires(BurnRatePolicy.page, burnRates: burn), ticket: BurnRatePolicy.fires(BurnRatePolicy.ticket, burnRates: burn),
            events: month.total
        )
    }
}
