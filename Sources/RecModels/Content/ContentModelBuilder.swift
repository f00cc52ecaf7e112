import Foundation
import RecMath

/// Builds a `ContentModel` from a dataset's item features: categorical tokens (category, tags, string properties;
/// title words when `title_weight` > 0) and numeric properties cut into quantile buckets (`release_year#3`), every token
/// weighted by its smoothed inverse document frequency over the items with features, then each item scaled to unit length.
public struct ContentModelBuilder: Sendable {
    /// The parameters content accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("numeric_buckets", default: 10, 0, 100, scale: .integer, tuned: true, search: 2...20,
                      "quantile buckets per numeric property (release year, age, …); 0 leaves numbers out"),
        ParameterSpec("numeric_weight", default: 1, 0, 10, scale: .linear, tuned: true, search: 0...3,
                      "weight of a numeric bucket token relative to a categorical token"),
        ParameterSpec("title_weight", default: 0, 0, 10, scale: .linear, tuned: true, search: 0...1,
                      "weight of title-word tokens; 0 leaves titles out"),
        ParameterSpec.halfLifeDays("recency decay of the profile's interaction weights; 0 turns it off"),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A builder with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Builds the item vectors from `dataset.itemFeatures`; `matrix` only sizes the user side (profiles are read from
    /// the history at scoring time). Fails when no item has a feature.
    public func build(dataset: Dataset, matrix: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> ContentModel {
        let features = dataset.itemFeatures
        guard features.contains(where: { !$0.isEmpty }) else {
            throw .insufficientData("content needs item features (--item-features): none of the \(dataset.itemCount) items has any")
        }
        try context.checkCancellation()
        let buckets = parameters.int("numeric_buckets")
        let numericWeight = parameters.float("numeric_weight")
        let titleWeight = parameters.float("title_weight")
        let boundaries = buckets > 0 ? Self.quantileBoundaries(features, buckets: buckets) : [:]
        // Each item's tokens with their field weight, before IDF.
        var vocabulary: [String] = []
        var columnOf: [String: Int32] = [:]
        var itemTokens: [[(column: Int32, weight: Float)]] = []
        itemTokens.reserveCapacity(features.count)
        func column(_ token: String) -> Int32 {
            if let known = columnOf[token] { return known }
            let next = Int32(vocabulary.count)
            columnOf[token] = next
            vocabulary.append(token)
            return next
        }
        for entry in features {
            var tokens: [Int32: Float] = [:]
            for token in entry.tokens {
                let weight: Float = token.hasPrefix("title=") ? titleWeight : 1
                if weight > 0 { tokens[column(token)] = weight }
            }
            if numericWeight > 0 {
                for (name, value) in entry.numbers.sorted(by: { $0.key < $1.key }) {
                    guard let cuts = boundaries[name] else { continue }
                    let bucket = cuts.firstIndex { value < $0 } ?? cuts.count
                    tokens[column("\(name)#\(bucket)")] = numericWeight
                }
            }
            // In column order, so the floating-point sums (and the ties they break) are the same on every run.
            itemTokens.append(tokens.sorted { $0.key < $1.key }.map { (column: $0.key, weight: $0.value) })
        }
        // Smoothed IDF (as scikit-learn's): log((1 + n) / (1 + df)) + 1, n = items with any token.
        var documentFrequency = [Int](repeating: 0, count: vocabulary.count)
        for tokens in itemTokens { for token in tokens { documentFrequency[Int(token.column)] += 1 } }
        let documents = Double(itemTokens.filter { !$0.isEmpty }.count)
        let idf = documentFrequency.map { Float(log((1 + documents) / (1 + Double($0))) + 1) }
        var entries: [(row: Int32, col: Int32, value: Float)] = []
        for (item, tokens) in itemTokens.enumerated() {
            let weighted = tokens.map { (column: $0.column, value: $0.weight * idf[Int($0.column)]) }
            let norm = weighted.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
            guard norm > 0 else { continue }
            for token in weighted { entries.append((row: Int32(item), col: token.column, value: token.value / norm)) }
        }
        context.report(.init(stage: "vectors", epoch: 1, epochs: 1))
        let vectors = SparseMatrix(rows: dataset.itemCount, cols: vocabulary.count, entries: entries)
        return ContentModel(itemVectors: vectors, vocabulary: vocabulary, userCount: matrix.userCount)
    }

    /// Per numeric property, the distinct values that start buckets 1…: the `buckets`-quantiles of its values over
    /// the items that have it (ties collapse, so a property with few distinct values gets fewer buckets).
    static func quantileBoundaries(_ features: [EntityFeatures], buckets: Int) -> [String: [Double]] {
        var values: [String: [Double]] = [:]
        for entry in features { for (name, value) in entry.numbers { values[name, default: []].append(value) } }
        return values.mapValues { list in
            let sorted = list.sorted()
            var cuts: [Double] = []
            for step in 1..<max(1, buckets) {
                let cut = sorted[min(sorted.count - 1, step * sorted.count / buckets)]
                if cut > (cuts.last ?? sorted[0]) { cuts.append(cut) }
            }
            return cuts
        }
    }
}
