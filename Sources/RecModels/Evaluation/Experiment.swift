import Foundation
import RecMath

/// One train-and-evaluate run: what the eval command prints, the tuner compares and the trainer records.
public struct Experiment: Sendable {
    /// What a run produced.
    public struct Outcome: Sendable {
        /// The trained model.
        public let model: any RecommendationModel
        /// Metrics on the test side.
        public let result: EvaluationResult
        /// Seconds spent training (matrix building included).
        public let trainSeconds: Double
        /// Seconds spent evaluating.
        public let evaluateSeconds: Double
    }

    /// The model measured.
    public let model: OfflineModel
    /// Its validated parameters.
    public let parameters: ModelParameters
    /// Cut-off K.
    public let k: Int

    /// An experiment for `model` with `parameters`, measured at `k`.
    public init(model: OfflineModel, parameters: ModelParameters, k: Int) {
        self.model = model
        self.parameters = parameters
        self.k = k
    }

    /// An experiment for the trained family `kind` with `parameters`, measured at `k`.
    public init(kind: ModelKind, parameters: ModelParameters, k: Int) {
        self.init(model: .trained(kind), parameters: parameters, k: k)
    }

    /// Trains on `train` and evaluates on `test` (same id space); with `candidates` (one flag per item, as
    /// `Split.candidates(test:)` gives for cold-items) test users are ranked among those items only.
    public func run(train: Dataset, test: Dataset, candidates: [Bool]? = nil, context: TrainingContext) throws(TrainingError) -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let matrix = train.matrix(halfLifeDays: parameters["half_life_days"])
        let model = try self.model.train(parameters: parameters, dataset: train, matrix: matrix, context: context)
        let trained = clock.now
        let testMatrix = test.with(test.interactions.map { IndexedInteraction(user: $0.user, item: $0.item) }).matrix().userItems
        let result = Evaluator(k: k, threads: context.threads).evaluate(model, train: matrix.userItems, test: testMatrix, candidates: candidates)
        let evaluated = clock.now
        return Outcome(model: model, result: result, trainSeconds: (trained - started).seconds, evaluateSeconds: (evaluated - trained).seconds)
    }
}

extension Duration {
    /// The duration in seconds as a double.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
