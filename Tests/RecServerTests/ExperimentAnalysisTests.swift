import RecCore
@testable import RecServer
import RecStore
import Testing

/// The results an experiment reports, on fixed totals: collecting below the minimum, the winner among several arms,
/// and the sample-ratio check.
@Suite("Experiment results")
struct ExperimentAnalysisTests {
    static func experiment(_ arms: [(String, Int)]) -> ExperimentRecord {
        ExperimentRecord(
            id: "exp_test", tenantID: "t", kind: .experiment, name: "test", status: .running, salt: "s",
            variants: arms.map { ExperimentVariant(name: $0.0, modelVersion: "v-\($0.0)", traffic: $0.1) },
            settings: ExperimentSettings(primaryMetric: "hit_rate", alpha: 0.05, conversionType: "purchase"), createdAt: 0
        )
    }

    /// `users` users with one evaluated list each, `hits` of them hits (the canary rules' fixture).
    static func arm(users: Int, hits: Int) -> VariantTotals { RolloutJudgeTests.arm(users: users, hits: hits) }

    @Test("collecting until each arm has 150 users; then the significantly best of several treatments wins")
    func winner() {
        let three = Self.experiment([("control", 34), ("b", 33), ("c", 33)])
        let early = ExperimentAnalysis.results(three, totals: ["control": Self.arm(users: 100, hits: 10), "b": Self.arm(users: 100, hits: 50), "c": Self.arm(users: 100, hits: 12)])
        #expect(early.decision == "collecting" && early.winner == nil && early.p_value == nil)
        let later = ExperimentAnalysis.results(three, totals: ["control": Self.arm(users: 400, hits: 40), "b": Self.arm(users: 400, hits: 200), "c": Self.arm(users: 400, hits: 44)])
        #expect(later.decision == "significant")
        #expect(later.winner == "b")
        #expect((later.p_value ?? 1) < 0.01)
        #expect((later.lift?.lower ?? 0) > 1, "b's hit rate is five times control's")
        #expect(later.variants.first { $0.name == "c" }?.lift.map { $0.lower < 0 && $0.upper > 0 } == true)
        #expect(later.sample_ratio_mismatch == false)
        // Every treatment worse: control wins.
        let worse = ExperimentAnalysis.results(Self.experiment([("control", 50), ("b", 50)]),
                                               totals: ["control": Self.arm(users: 400, hits: 200), "b": Self.arm(users: 400, hits: 40)])
        #expect(worse.winner == "control" && worse.decision == "significant")
    }

    @Test("users far from the split are a sample-ratio mismatch")
    func sampleRatio() {
        let split = Self.experiment([("control", 50), ("b", 50)])
        let skewed = ExperimentAnalysis.results(split, totals: ["control": Self.arm(users: 600, hits: 60), "b": Self.arm(users: 400, hits: 40)])
        #expect(skewed.sample_ratio_mismatch)
        #expect((skewed.srm_p_value ?? 1) < 0.001)
        let fair = ExperimentAnalysis.results(split, totals: ["control": Self.arm(users: 510, hits: 60), "b": Self.arm(users: 490, hits: 40)])
        #expect(!fair.sample_ratio_mismatch)
    }
}
