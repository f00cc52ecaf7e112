import RecCore

/// A validated `POST /api/v1/models/{version}/promote` body: `immediate` (the default, also for an empty body) or a
/// `canary` with its share of users and the lists each arm needs before the candidate may be promoted.
struct CanaryRequest: Sendable {
    /// The candidate's share of users, in percent.
    let traffic: Int
    /// Lists each arm needs before the candidate can be promoted.
    let minLists: Int
    /// Lists each arm may collect before an inconclusive candidate is rolled back.
    let maxLists: Int
    /// How far (relative) the candidate's hit rate may fall below the baseline's and still be promoted.
    let margin: Double
    /// The sequential test's significance level.
    let alpha: Double

    /// The canary in `body`, or nil for an immediate promotion; `RecError.invalidField` names the first bad field.
    static func parse(_ body: JSONValue?) throws -> CanaryRequest? {
        guard let body else { return nil }
        var reader = FieldReader(body, path: "")
        reader.rejectUnknownKeys(["strategy", "traffic", "min_lists", "max_lists", "margin", "alpha"])
        let strategy = reader.optionalString("strategy", maxBytes: 32) ?? "immediate"
        if !["immediate", "canary"].contains(strategy) { reader.fail("strategy", "must be immediate or canary") }
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        guard strategy == "canary" else {
            for key in ["traffic", "min_lists", "max_lists", "margin", "alpha"] where reader.object[key] != nil {
                throw RecError.invalidField(key, "applies only to \"strategy\":\"canary\"")
            }
            return nil
        }
        let traffic = reader.optionalNumber("traffic", in: 1...99)
        if traffic == nil, reader.object["traffic"] == nil { reader.fail("traffic", "is required for a canary: the candidate's share of users, 1 to 99") }
        let minLists = reader.optionalNumber("min_lists", in: 1...100_000_000) ?? 1_000
        let maxLists = reader.optionalNumber("max_lists", in: 1...1_000_000_000) ?? minLists * 10
        let margin = reader.optionalNumber("margin", in: 0...0.99) ?? RolloutJudge.defaultMargin
        let alpha = reader.optionalNumber("alpha", in: 0.000_1...0.5) ?? 0.05
        for (key, value) in [("traffic", traffic), ("min_lists", minLists), ("max_lists", maxLists)] {
            if let value, value != value.rounded() { reader.fail(key, "must be a whole number") }
        }
        if reader.errors.isEmpty, maxLists < minLists { reader.fail("max_lists", "must be at least min_lists (\(Int(minLists)))") }
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        return CanaryRequest(traffic: Int(traffic ?? 0), minLists: Int(minLists), maxLists: Int(maxLists), margin: margin, alpha: alpha)
    }
}
