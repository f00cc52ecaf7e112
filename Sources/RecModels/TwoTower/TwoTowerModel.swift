import Foundation
import RecMath

/// A two-tower retrieval model: an item tower (the item's id embedding, for items seen in training, plus the mean
/// of its feature embeddings, through a linear layer) and a user tower (the mean of their recent items' id
/// embeddings plus the mean of their property embeddings, through another), both L2-normalised, scored by the dot
/// product. Every trained user and item has its vector precomputed (`vectors`), so it scores and serves like the
/// other factor models; the towers stay for the items and users that arrive after training.
public struct TwoTowerModel: RecommendationModel {
    /// Output dimensions.
    public let factors: Int
    /// How features map to rows of `featureEmbeddings`.
    public let vocabulary: FeatureVocabulary
    /// Id embedding of each training item, in both towers (rows of items with no training interaction are unused).
    public let itemEmbeddings: DenseMatrix
    /// The shared (hashed) feature table, items' and users' features alike.
    public let featureEmbeddings: DenseMatrix
    /// The item tower's `factors × factors` layer (row vector × matrix).
    public let itemLayer: DenseMatrix
    /// The user tower's layer.
    public let userLayer: DenseMatrix
    /// Whether each training item had interactions (and so a trained id embedding).
    public let trainedItems: [Bool]
    /// How many of a user's most recent items the user tower pools.
    public let historyLength: Int
    /// The unit-length vectors of the training users (from their training history and properties) and items.
    public let vectors: FactorModel

    /// Assembles a model; `vectors` holds the towers' outputs for the training users and items.
    public init(vocabulary: FeatureVocabulary, itemEmbeddings: DenseMatrix, featureEmbeddings: DenseMatrix,
                itemLayer: DenseMatrix, userLayer: DenseMatrix, trainedItems: [Bool], historyLength: Int, vectors: FactorModel) {
        precondition(trainedItems.count == itemEmbeddings.rows, "one row per item")
        precondition(featureEmbeddings.rows == vocabulary.buckets, "one feature row per bucket")
        factors = itemEmbeddings.cols
        self.vocabulary = vocabulary
        self.itemEmbeddings = itemEmbeddings
        self.featureEmbeddings = featureEmbeddings
        self.itemLayer = itemLayer
        self.userLayer = userLayer
        self.trainedItems = trainedItems
        self.historyLength = historyLength
        self.vectors = vectors
    }

    /// The model family.
    public var kind: ModelKind { .twoTower }
    /// Number of items it scores.
    public var itemCount: Int { vectors.itemCount }
    /// Number of users it was trained with.
    public var userCount: Int { vectors.userCount }

    /// Scores the training users' precomputed vectors against every item's.
    public func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        vectors.scores(users: users, history: history, into: output)
    }

    /// The item tower's unit vector for an item with `features`, using the id embedding of training item `item`
    /// when it had interactions (nil, or an item without any: features alone). Zero when there is nothing to go on.
    public func itemVector(item: Int32?, features: EntityFeatures) -> [Float] {
        var input = [Float](repeating: 0, count: factors)
        if let item, Int(item) < trainedItems.count, trainedItems[Int(item)] {
            Self.add(itemEmbeddings, row: Int(item), scale: 1, into: &input)
        }
        addMean(vocabulary.rows(features, side: .item), into: &input)
        return Self.project(input, layer: itemLayer)
    }

    /// The user tower's unit vector for a user whose most recent items (training item numbers, oldest first; only
    /// the last `historyLength` trained ones count) and properties are given. Zero when there is nothing to go on.
    public func userVector(history: [Int32], features: EntityFeatures) -> [Float] {
        var input = [Float](repeating: 0, count: factors)
        let known = history.filter { Int($0) >= 0 && Int($0) < trainedItems.count && trainedItems[Int($0)] }.suffix(historyLength)
        if !known.isEmpty {
            let share = 1 / Float(known.count)
            for item in known { Self.add(itemEmbeddings, row: Int(item), scale: share, into: &input) }
        }
        addMean(vocabulary.rows(features, side: .user), into: &input)
        return Self.project(input, layer: userLayer)
    }

    /// Adds the mean of feature-table `rows` to `input`.
    private func addMean(_ rows: [Int32], into input: inout [Float]) {
        guard !rows.isEmpty else { return }
        let share = 1 / Float(rows.count)
        for row in rows { Self.add(featureEmbeddings, row: Int(row), scale: share, into: &input) }
    }

    private static func add(_ table: DenseMatrix, row: Int, scale: Float, into input: inout [Float]) {
        let width = table.cols
        table.values.withUnsafeBufferPointer { values in
            input.withUnsafeMutableBufferPointer { out in
                BLAS.axpy(scale, values.baseAddress! + row * width, out.baseAddress!, count: width)
            }
        }
    }

    /// `input · layer`, scaled to unit length (zero stays zero).
    static func project(_ input: [Float], layer: DenseMatrix) -> [Float] {
        let width = layer.cols
        var output = [Float](repeating: 0, count: width)
        guard input.contains(where: { $0 != 0 }) else { return output }
        input.withUnsafeBufferPointer { x in
            layer.values.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    BLAS.gemm(m: 1, n: width, k: layer.rows, a: x.baseAddress!, lda: layer.rows, b: w.baseAddress!, ldb: width, c: y.baseAddress!, ldc: width)
                }
            }
        }
        let norm = output.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else { return [Float](repeating: 0, count: width) }
        return output.map { $0 / norm }
    }
}
