import RecMath

/// Content-based scoring from item features, an offline baseline (`OfflineModel.content`): each item is a unit-length
/// vector of IDF-weighted feature tokens; a user's profile sums their training items' vectors (weighted by the
/// interaction weight), and an item scores the cosine between the profile and its vector. Items need no interactions,
/// so it ranks cold-start items; a user with no history scores every item 0.
public struct ContentModel: RecommendationModel {
    /// Row i is item i's token weights, scaled to unit length (an item without features has an empty row).
    public let itemVectors: SparseMatrix
    /// The token behind each column of `itemVectors` (`tag=Comedy`, `release_year#3`, …).
    public let vocabulary: [String]
    /// Users seen in training.
    public let userCount: Int

    /// Creates a model from unit-length item vectors over `vocabulary`.
    public init(itemVectors: SparseMatrix, vocabulary: [String], userCount: Int) {
        precondition(itemVectors.cols == vocabulary.count, "one vocabulary entry per column")
        self.itemVectors = itemVectors
        self.vocabulary = vocabulary
        self.userCount = userCount
    }

    /// Number of items.
    public var itemCount: Int { itemVectors.rows }

    /// Builds each user's profile from their history in `history` and writes its cosine with every item.
    public func scores(users: Range<Int>, history: SparseMatrix, into output: UnsafeMutablePointer<Float>) {
        let n = itemCount
        var profile = [Float](repeating: 0, count: vocabulary.count)
        var touched: [Int32] = []
        for (local, user) in users.enumerated() {
            let row = output + local * n
            row.update(repeating: 0, count: n)
            guard user < history.rows else { continue }
            for token in touched { profile[Int(token)] = 0 }
            touched.removeAll(keepingCapacity: true)
            for slot in history.range(ofRow: user) {
                let item = Int(history.columns[slot])
                let weight = history.values[slot]
                guard item < n, weight > 0 else { continue }
                for entry in itemVectors.range(ofRow: item) {
                    let token = itemVectors.columns[entry]
                    if profile[Int(token)] == 0 { touched.append(token) }
                    profile[Int(token)] += weight * itemVectors.values[entry]
                }
            }
            var squared: Float = 0
            for token in touched { squared += profile[Int(token)] * profile[Int(token)] }
            guard squared > 0 else { continue }
            let scale = 1 / squared.squareRoot()
            for item in 0..<n {
                var dot: Float = 0
                for entry in itemVectors.range(ofRow: item) {
                    dot += itemVectors.values[entry] * profile[Int(itemVectors.columns[entry])]
                }
                row[item] = dot * scale
            }
        }
    }
}
