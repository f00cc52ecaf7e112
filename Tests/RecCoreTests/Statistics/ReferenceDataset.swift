import Testing
@testable import RecCore

/// Fixed control/treatment moments and what gbstats 0.8.0 says about them.
///
/// The sums were simulated once by Scripts/reference_values.py (numpy seed 20240601: users with 1–5 lists; x = hits,
/// or a summed NDCG-like score for `ndcgSmall`) and are pasted here exactly. Every expected number is gbstats' own:
/// `RatioStatistic` (mean, variance), `TwoSidedTTest` and `SequentialTwoSidedTTest` (τ = 5000) with alpha 0.05.
struct ReferenceDataset: Sendable, CustomTestStringConvertible {
    /// The gbstats numbers expected for one test on this dataset.
    struct Expected: Sendable {
        var lift: Double
        var lower: Double
        var upper: Double
        var pValue: Double
        var standardError: Double
    }

    var name: String
    var control: RatioMoments
    var treatment: RatioMoments
    var controlMean: Double
    var controlUserVariance: Double
    var treatmentMean: Double
    var treatmentUserVariance: Double
    var fixed: Expected
    var sequential: Expected

    var testDescription: String { name }

    /// 2000 vs 2100 users, hit rate 0.10 vs 0.115: fixed-horizon significant, sequential not.
    static let hits = ReferenceDataset(
        name: "hits",
        control: RatioMoments(users: 2000, sumX: 626, sumY: 5965, sumX2: 802, sumY2: 21727, sumXY: 2284),
        treatment: RatioMoments(users: 2100, sumX: 734, sumY: 6235, sumX2: 956, sumY2: 22739, sumXY: 2691),
        controlMean: 0.1049455155071249, controlUserVariance: 0.03159990251659996,
        treatmentMean: 0.11772253408179631, treatmentUserVariance: 0.03445609564953466,
        fixed: Expected(lift: 0.12174906676983219, lower: 0.009210742096258759, upper: 0.2342873914434056,
                        pValue: 0.033981315089208985, standardError: 0.05740160837426154),
        sequential: Expected(lift: 0.12174906676983219, lower: -0.05271636516952957, upper: 0.2962144987091939,
                             pValue: 0.3899394875582065, standardError: 0.05740160837426154)
    )

    /// 30 vs 24 users with a real-valued numerator: Welch df ≈ 42.3, so Student's t and the normal visibly differ.
    static let ndcgSmall = ReferenceDataset(
        name: "ndcgSmall",
        control: RatioMoments(users: 30, sumX: 25.544556466500552, sumY: 98, sumX2: 26.983356852128235,
                              sumY2: 376, sumXY: 95.80763013935844),
        treatment: RatioMoments(users: 24, sumX: 25.57865623938994, sumY: 77, sumX2: 33.73011959369991,
                                sumY2: 285, sumXY: 93.06171098674909),
        controlMean: 0.26065873945408724, controlUserVariance: 0.008349079017736,
        treatmentMean: 0.33219034077129794, treatmentUserVariance: 0.014156754439286996,
        fixed: Expected(lift: 0.27442625352606054, lower: 0.024582458172820343, upper: 0.5242700488793007,
                        pValue: 0.03211076148190939, standardError: 0.12383265545983597),
        sequential: Expected(lift: 0.27442625352606054, lower: -0.8117539889341664, upper: 1.3606064959862874,
                             pValue: 0.8583572117874401, standardError: 0.12383265545983597)
    )

    /// 500 vs 480 users, treatment worse: a negative lift, significant for neither test (sequential p capped at 1).
    static let negative = ReferenceDataset(
        name: "negative",
        control: RatioMoments(users: 500, sumX: 173, sumY: 1515, sumX2: 223, sumY2: 5581, sumXY: 640),
        treatment: RatioMoments(users: 480, sumX: 151, sumY: 1495, sumX2: 201, sumY2: 5623, sumXY: 595),
        controlMean: 0.11419141914191419, controlUserVariance: 0.032656767253870955,
        treatmentMean: 0.10100334448160535, treatmentUserVariance: 0.029735720464491983,
        fixed: Expected(lift: -0.11549094283449651, lower: -0.2982099112064317, upper: 0.0672280255374387,
                        pValue: 0.2151371788556844, standardError: 0.09311029950781471),
        sequential: Expected(lift: -0.11549094283449651, lower: -0.4296566991368498, upper: 0.19867481346785676,
                             pValue: 1.0, standardError: 0.09311029950781471)
    )

    static let all = [hits, ndcgSmall, negative]
}
