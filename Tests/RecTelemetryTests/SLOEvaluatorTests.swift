import Prometheus
import RecTelemetry
import Synchronization
import Testing

/// The evaluator against the multi-window, multi-burn-rate method, driven by an injected clock.
@Suite struct SLOEvaluatorTests {
    /// A clock the test moves by hand (Unix seconds).
    final class ManualClock: Sendable {
        private let now = Mutex(1_800_000_000.0)
        var time: Double { now.withLock { $0 } }
        func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
    }

    static let spec = try! SLOSpec.parse(yaml: """
        version: recommender/v1
        service: recommender
        slos:
          - name: availability
            objective: 99.9
            sli: {availability: {routes: ["/api/v1/recommendations"]}}
            alerting: {name: AvailabilityBurn}
          - name: latency
            objective: 99
            sli: {latency: {routes: ["/api/v1/recommendations"], threshold: 25ms}}
            alerting: {name: LatencyBurn}
        tenants:
          - {tenant: acme, slo: availability, objective: 99}
        """)

    /// Sends `perMinute` requests a minute for `minutes`, `errorShare` of them failing, evaluating every `every` minutes.
    func drive(_ evaluator: SLOEvaluator, _ clock: ManualClock, minutes: Int, perMinute: Int = 100, errorShare: Double, tenant: String? = nil, every: Int = 1) -> [[SLOStatus]] {
        var history: [[SLOStatus]] = []
        for minute in 0..<minutes {
            let errors = Int((Double(perMinute) * errorShare).rounded())
            for request in 0..<perMinute {
                evaluator.recordRequest(route: "/api/v1/recommendations", method: "POST", status: request < errors ? 503 : 200, seconds: 0.004, tenant: tenant)
            }
            clock.advance(60)
            if (minute + 1) % every == 0 { history.append(evaluator.evaluate()) }
        }
        return history
    }

    @Test func pageFiresOnlyWhenBothWindowsBurnAndResolvesAfterwards() throws {
        let clock = ManualClock()
        let evaluator = SLOEvaluator(spec: Self.spec, registry: PrometheusCollectorRegistry(), clock: { clock.time })
        // Two healthy hours: 0.05% errors burn at 0.5x; nothing fires.
        let healthy = drive(evaluator, clock, minutes: 120, errorShare: 0.0005)
        #expect(healthy.allSatisfy { !$0[0].page && !$0[0].ticket })

        // A burst of 3% errors (30x): the 1h window needs 14.4/30 of an hour of it (29 minutes) to cross 14.4x.
        let burst = drive(evaluator, clock, minutes: 40, errorShare: 0.03)
        let firstPage = try #require(burst.firstIndex { $0[0].page })
        // Before: the 5m window burnt at 30x from the first minute, but the 1h window had not reached 14.4x.
        #expect(burst[firstPage - 1][0].burnRates[.fiveMinutes]! > 14.4)
        #expect(burst[firstPage - 1][0].burnRates[.oneHour]! <= 14.4)
        #expect(burst[firstPage][0].burnRates[.oneHour]! > 14.4)
        #expect((26...31).contains(firstPage))
        // The latency SLO saw no slow request: never fires.
        #expect(burst.allSatisfy { !$0[1].page && $0[1].sli[.oneHour] == 1 })

        // Recovery: the page resolves once the short windows clear (5m after a few minutes, 30m below 6x after about
        // 24), while both long windows still burn above their factors.
        let recovery = drive(evaluator, clock, minutes: 40, errorShare: 0)
        let resolved = try #require(recovery.firstIndex { !$0[0].page })
        #expect((20...27).contains(resolved))
        #expect(recovery[resolved][0].burnRates[.oneHour]! > 14.4)
        #expect(recovery[resolved][0].burnRates[.sixHours]! > 6)
        #expect(recovery[resolved...].allSatisfy { !$0[0].page })
        // Budget: 126 bad events of 20,000 against a budget of 20: overspent.
        let last = try #require(recovery.last?[0])
        #expect(last.errorBudgetRemaining < 0)
        #expect(last.events == 20_000)
    }

    @Test func ticketFiresOnASlowBurnThatNeverPages() throws {
        let clock = ManualClock()
        let evaluator = SLOEvaluator(spec: Self.spec, registry: PrometheusCollectorRegistry(), clock: { clock.time })
        // A healthy day, then 0.4% errors (4x): below both page factors. Evaluated every half hour.
        let healthy = drive(evaluator, clock, minutes: 24 * 60, perMinute: 250, errorShare: 0, every: 30)
        #expect(healthy.allSatisfy { !$0[0].ticket })
        let burn = drive(evaluator, clock, minutes: 24 * 60, perMinute: 250, errorShare: 0.004, every: 30)
        #expect(burn.allSatisfy { !$0[0].page })
        // The 6h window burns at 4x within hours; the 3d window (a day of healthy history) crosses 1x after 8 hours of
        // burn (4h / (24 + h) > 1), before the 1d window crosses 3x (after 18).
        let firstTicket = try #require(burn.firstIndex { $0[0].ticket })
        #expect((15...18).contains(firstTicket))
        #expect(burn[firstTicket - 1][0].burnRates[.threeDays]! <= 1)
        #expect(burn[firstTicket][0].burnRates[.threeDays]! > 1)
        #expect(burn.last![0].burnRates[.oneDay]! > 3)
    }

    @Test func tenantOverrideKeepsItsOwnSeries() {
        let clock = ManualClock()
        let evaluator = SLOEvaluator(spec: Self.spec, registry: PrometheusCollectorRegistry(), clock: { clock.time })
        // acme fails 0.5%: within its own 99% objective, but 5x the service-wide 99.9% budget.
        _ = drive(evaluator, clock, minutes: 10, perMinute: 200, errorShare: 0.005, tenant: "acme")
        let statuses = evaluator.evaluate()
        let service = statuses.first { $0.slo == "availability" && $0.tenant == nil }!
        let acme = statuses.first { $0.slo == "availability" && $0.tenant == "acme" }!
        #expect(abs(service.burnRates[.oneHour]! - 5) < 1e-6)
        #expect(abs(acme.burnRates[.oneHour]! - 0.5) < 1e-6)
        #expect(acme.objective == 0.99)
    }

    @Test func windowsForgetOldEvents() {
        let clock = ManualClock()
        let evaluator = SLOEvaluator(spec: Self.spec, registry: PrometheusCollectorRegistry(), clock: { clock.time })
        _ = drive(evaluator, clock, minutes: 5, errorShare: 0.5)
        clock.advance(2 * 3_600)
        let status = evaluator.evaluate()[0]
        #expect(status.sli[.fiveMinutes] == nil)
        #expect(status.sli[.oneHour] == nil)
        #expect(status.sli[.sixHours] == 0.5)
        #expect(status.sli[.thirtyDays] == 0.5)
        clock.advance(31 * 86_400)
        #expect(evaluator.evaluate()[0].sli[.thirtyDays] == nil)
    }
}
