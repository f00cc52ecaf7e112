import Foundation
import RecCore
import RecMath

/// Hyper-parameter search on a validation split: random trials first, then a tree-structured Parzen estimator
/// (TPE, Bergstra et al. 2011) proposes where good trials cluster. Only the data it is given is ever looked at.
public struct Tuner: Sendable {
    /// One finished trial.
    public struct Trial: Sendable {
        /// Its 1-based number.
        public let number: Int
        /// The full parameters it ran with.
        public let parameters: ModelParameters
        /// Its validation metrics.
        public let result: EvaluationResult
        /// The objective value (higher is better).
        public let score: Double
        /// Training seconds.
        public let trainSeconds: Double
    }

    /// The model tuned.
    public let model: OfflineModel
    /// Values held fixed (and the defaults for everything not searched).
    public let fixed: [String: Double]
    /// The parameters searched.
    public let searched: [ParameterSpec]
    /// Number of trials.
    public let trials: Int
    /// Cut-off K.
    public let k: Int
    /// The metric maximised: `recall` or `ndcg`.
    public let metric: String
    /// Seed of the search.
    public let seed: UInt64

    /// A tuner for `model` searching `searched` (names), or every parameter marked tuned when empty.
    public init(model: OfflineModel, fixed: [String: Double], searched names: [String], ranges: [String: ClosedRange<Double>] = [:],
                trials: Int, k: Int, metric: String, seed: UInt64) throws(RecError) {
        let specs = model.parameters
        var searched: [ParameterSpec] = []
        for name in names {
            guard let spec = specs.first(where: { $0.name == name }) else {
                throw .invalidField("search", "\(name) is not a parameter of \(model.name)")
            }
            searched.append(spec)
        }
        if names.isEmpty { searched = specs.filter(\.tuned) }
        searched.removeAll { fixed[$0.name] != nil }
        for (name, range) in ranges {
            guard let index = searched.firstIndex(where: { $0.name == name }) else {
                throw .invalidField("range", "\(name) is not searched")
            }
            let spec = searched[index]
            guard range.lowerBound >= spec.minimum, range.upperBound <= spec.maximum else {
                throw .invalidField("range", "\(name) accepts \(ModelParameters.format(spec.minimum))...\(ModelParameters.format(spec.maximum))")
            }
            searched[index] = spec.searching(range)
        }
        guard metric == "recall" || metric == "ndcg" else { throw .invalidField("metric", "must be recall or ndcg") }
        _ = try model.validate(fixed)
        self.model = model
        self.fixed = fixed
        self.searched = searched
        self.trials = max(1, trials)
        self.k = k
        self.metric = metric
        self.seed = seed
    }

    /// Runs every trial on `train` / `validation` (ranking among `candidates` when given, as for cold-items), calling
    /// `onTrial` after each; returns them all.
    public func run(
        train: Dataset, validation: Dataset, candidates: [Bool]? = nil, threads: Int,
        onTrial: (Trial) -> Void
    ) throws(TrainingError) -> [Trial] {
        var generator = SeededGenerator(seed: seed)
        var done: [Trial] = []
        let startup = min(trials, max(5, trials / 3))
        for number in 1...trials {
            let point = number <= startup || searched.isEmpty
                ? searched.map { randomValue($0, &generator) }
                : propose(from: done, &generator)
            var values = fixed
            for (spec, value) in zip(searched, point) { values[spec.name] = value }
            let parameters: ModelParameters
            do { parameters = try model.validate(values) } catch {
                throw .insufficientData("tuning proposed invalid parameters: \(error.message)")
            }
            let context = TrainingContext(threads: threads, seed: seed &+ UInt64(number))
            let outcome = try Experiment(model: model, parameters: parameters, k: k)
                .run(train: train, test: validation, candidates: candidates, context: context)
            let score = metric == "ndcg" ? outcome.result.ndcg : outcome.result.recall
            let trial = Trial(number: number, parameters: parameters, result: outcome.result, score: score, trainSeconds: outcome.trainSeconds)
            done.append(trial)
            onTrial(trial)
        }
        return done
    }

    // MARK: Sampling

    /// Maps a value to the unit interval of its search range (log scale where the spec says so).
    private func unit(_ value: Double, _ spec: ParameterSpec) -> Double {
        let (low, high) = bounds(spec)
        let x = isLog(spec) ? log(max(value, 1e-12)) : value
        return high > low ? (x - low) / (high - low) : 0.5
    }

    /// Maps a unit-interval position back to a (rounded, where integer) value.
    private func value(_ unit: Double, _ spec: ParameterSpec) -> Double {
        let (low, high) = bounds(spec)
        let x = low + min(1, max(0, unit)) * (high - low)
        let raw = isLog(spec) ? exp(x) : x
        let clamped = min(spec.searchRange.upperBound, max(spec.searchRange.lowerBound, raw))
        return spec.isInteger ? clamped.rounded() : clamped
    }

    private func isLog(_ spec: ParameterSpec) -> Bool {
        (spec.scale == .logarithmic || spec.scale == .integerLogarithmic) && spec.searchRange.lowerBound > 0
    }

    private func bounds(_ spec: ParameterSpec) -> (Double, Double) {
        isLog(spec)
            ? (log(spec.searchRange.lowerBound), log(spec.searchRange.upperBound))
            : (spec.searchRange.lowerBound, spec.searchRange.upperBound)
    }

    private func randomValue(_ spec: ParameterSpec, _ generator: inout SeededGenerator) -> Double {
        value(Double(generator.nextUnitFloat()), spec)
    }

    /// TPE: split trials into the best quarter and the rest, draw candidates around good trials, and keep the
    /// candidate with the highest ratio of good to bad density (product of per-parameter Parzen windows).
    private func propose(from trials: [Trial], _ generator: inout SeededGenerator) -> [Double] {
        let ranked = trials.sorted { $0.score > $1.score }
        let goodCount = max(1, Int((Double(ranked.count) * 0.25).rounded(.up)))
        let good = ranked.prefix(goodCount).map { trial in searched.map { unit(trial.parameters[$0.name], $0) } }
        let bad = ranked.dropFirst(goodCount).map { trial in searched.map { unit(trial.parameters[$0.name], $0) } }
        let width = max(0.05, 0.5 / Double(trials.count).squareRoot())
        var best: [Double] = []
        var bestRatio = -Double.infinity
        for _ in 0..<32 {
            let centre = good[generator.nextIndex(below: good.count)]
            let candidate = centre.map { c -> Double in
                // A normal perturbation around a good point.
                let normal = Double(generator.nextGaussian())
                return min(1, max(0, c + normal * width))
            }
            let ratio = density(candidate, good, width) / max(1e-12, density(candidate, bad.isEmpty ? [candidate] : bad, width))
            if ratio > bestRatio {
                bestRatio = ratio
                best = candidate
            }
        }
        return zip(best, searched).map { value($0, $1) }
    }

    private func density(_ x: [Double], _ points: [[Double]], _ width: Double) -> Double {
        var total = 0.0
        for point in points {
            var product = 1.0
            for (a, b) in zip(x, point) { product *= exp(-((a - b) * (a - b)) / (2 * width * width)) }
            total += product
        }
        return total / Double(points.count) + 1e-12
    }
}
