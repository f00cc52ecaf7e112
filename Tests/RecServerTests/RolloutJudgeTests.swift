import RecCore
@testable import RecServer
import RecStore
import RecTelemetry
import Testing

/// The canary rules on fixed totals: what each verdict needs, in the order the rules apply.
@Suite("Canary rules")
struct RolloutJudgeTests {
    static func rollout(minLists: Int = 300, maxLists: Int = 3_000, margin: Double = 0.05) -> ExperimentRecord {
        ExperimentRecord(
            id: "ro_test", tenantID: "t_test", kind: .rollout, name: "canary", status: .running, salt: "salt",
            variants: [ExperimentVariant(name: "baseline", modelVersion: "v1", traffic: 50), ExperimentVariant(name: "candidate", modelVersion: "v2", traffic: 50)],
            settings: ExperimentSettings(primaryMetric: "hit_rate", alpha: 0.05, conversionType: "purchase", minLists: minLists, maxLists: maxLists, margin: margin),
            createdAt: 0
        )
    }

    /// `users` users with one evaluated list each, `hits` of them hits.
    static func arm(users: Int, hits: Int) -> VariantTotals {
        var totals = VariantTotals()
        totals.users = users
        totals.lists = users
        totals.evaluatedLists = users
        for user in 0..<users { totals.hitRate.add(x: user < hits ? 1 : 0, y: 1) }
        return totals
    }

    @Test("significantly worse rolls back before min_lists; equal promotes once both arms have them; a wide interval waits, then is inconclusive")
    func verdicts() {
        let worse = RolloutJudge.judge(Self.rollout(), totals: ["baseline": Self.arm(users: 200, hits: 180), "candidate": Self.arm(users: 200, hits: 60)], guardrail: nil)
        guard case .rollBack(let reason) = worse.verdict else { Issue.record("\(worse.verdict)"); return }
        #expect(reason.contains("significantly below"))
        #expect((worse.comparison?.upper ?? 0) < 0)

        // Too few users for any decision, however bad it looks.
        let few = RolloutJudge.judge(Self.rollout(), totals: ["baseline": Self.arm(users: 100, hits: 90), "candidate": Self.arm(users: 100, hits: 10)], guardrail: nil)
        #expect(few.verdict == .collecting)

        // Equal and tight: promoted once each arm has min_lists, not before.
        let early = RolloutJudge.judge(Self.rollout(minLists: 5_000, maxLists: 50_000, margin: 0.1),
                                       totals: ["baseline": Self.arm(users: 4_000, hits: 3_600), "candidate": Self.arm(users: 4_000, hits: 3_600)], guardrail: nil)
        #expect(early.verdict == .collecting)
        let equal = RolloutJudge.judge(Self.rollout(minLists: 3_000, maxLists: 30_000, margin: 0.1),
                                       totals: ["baseline": Self.arm(users: 4_000, hits: 3_600), "candidate": Self.arm(users: 4_000, hits: 3_600)], guardrail: nil)
        guard case .promote = equal.verdict else { Issue.record("\(equal.verdict)"); return }

        // Equal but noisy (hit rate 0.1 at 300 users): the interval is wider than a 5% margin, so it waits, and at
        // max_lists it is rolled back as inconclusive.
        let noisy: [String: VariantTotals] = ["baseline": Self.arm(users: 300, hits: 30), "candidate": Self.arm(users: 300, hits: 30)]
        #expect(RolloutJudge.judge(Self.rollout(minLists: 200, maxLists: 1_000), totals: noisy, guardrail: nil).verdict == .collecting)
        guard case .rollBack(let why) = RolloutJudge.judge(Self.rollout(minLists: 200, maxLists: 300), totals: noisy, guardrail: nil).verdict else {
            Issue.record("expected a rollback at max_lists"); return
        }
        #expect(why.contains("inconclusive"))

        // A tripped guardrail wins over everything.
        #expect(RolloutJudge.judge(Self.rollout(minLists: 3_000, maxLists: 30_000, margin: 0.1),
                                   totals: ["baseline": Self.arm(users: 4_000, hits: 3_600), "candidate": Self.arm(users: 4_000, hits: 3_600)],
                                   guardrail: "slow").verdict == .rollBack("guardrail: slow"))
    }

    @Test("the latency guardrail trips on a candidate slower than the baseline, not on load that slows both")
    func latencyGuardrail() {
        func counts(_ requests: Int, _ slow: Int) -> ArmGuardrails.Counts {
            var counts = ArmGuardrails.Counts()
            counts.requests = requests
            counts.slow = slow
            return counts
        }
        let limit = 0.144
        // The candidate is slow, the baseline is not: rolled back, saying so.
        let reason = LatencyGuardrail.check(baseline: counts(500, 10), candidate: counts(500, 150), limit: limit, thresholdSeconds: 0.025)
        #expect(reason?.contains("slower than 25 ms") == true, "\(reason ?? "nil")")
        // Everything is slow (load): both arms alike, nothing trips.
        #expect(LatencyGuardrail.check(baseline: counts(500, 200), candidate: counts(500, 210), limit: limit, thresholdSeconds: 0.025) == nil)
        // Slower than the baseline but under the SLO's fast-burn share: nothing trips.
        #expect(LatencyGuardrail.check(baseline: counts(500, 0), candidate: counts(500, 40), limit: limit, thresholdSeconds: 0.025) == nil)
        // Too few answers to judge.
        #expect(LatencyGuardrail.check(baseline: counts(50, 0), candidate: counts(50, 50), limit: limit, thresholdSeconds: 0.025) == nil)
    }

    @Test("guardrail counts are per arm and slow only above the threshold; retain forgets ended experiments")
    func guardrailCounts() {
        let guardrails = ArmGuardrails(slowSeconds: 0.025)
        let candidate = ServedArm(experimentID: "ro_a", variant: "candidate")
        guardrails.record(candidate, seconds: 0.030)
        guardrails.record(candidate, seconds: 0.010)
        guardrails.record(ServedArm(experimentID: "ro_a", variant: "baseline"), seconds: 0.025)
        #expect(guardrails.counts(experiment: "ro_a")["candidate"]?.requests == 2)
        #expect(guardrails.counts(experiment: "ro_a")["candidate"]?.slow == 1)
        #expect(guardrails.counts(experiment: "ro_a")["baseline"]?.slow == 0)
        guardrails.retain([])
        #expect(guardrails.counts(experiment: "ro_a").isEmpty)
    }
}
