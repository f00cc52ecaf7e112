import RecMath

/// Counts each item's aggregated weight; with `half_life_days` recent events count more.
public struct PopularityTrainer: Sendable {
    /// The parameters popularity accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec.halfLifeDays(),
        ParameterSpec("binary", default: 0, 0, 1, scale: .integer, "1 counts each user once per item (ignoring weights and decay); 0 sums the weights"),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Trains on `data`.
    public func train(_ data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> PopularityModel {
        guard data.pairCount > 0 else { throw .insufficientData("there are no interactions to train on") }
        let binary = parameters.int("binary") == 1
        var scores = [Float](repeating: 0, count: data.itemCount)
        for item in 0..<data.itemCount {
            let range = data.itemUsers.range(ofRow: item)
            scores[item] = binary ? Float(range.count) : data.itemUsers.values[range].reduce(0, +)
        }
        context.report(.init(stage: "count", epoch: 1, epochs: 1))
        return PopularityModel(itemScores: scores, userCount: data.userCount)
    }
}
