/// Turns features into rows of the two-tower model's shared feature table: every categorical token is hashed
/// (FNV-1a, 64-bit, with the side it belongs to: items and users never share a row by design), and every numeric
/// property becomes the token of its quantile bucket, `name#bucket`, with boundaries learned from the training
/// entities. Deterministic, so the serving path encodes a new item exactly as training would have.
public struct FeatureVocabulary: Sendable, Equatable {
    /// Which tower a feature feeds.
    public enum Side: String, Sendable {
        case item
        case user
    }

    /// Rows of the feature table.
    public let buckets: Int
    /// Quantile boundaries of each numeric item property (ascending; a value's bucket is how many are ≤ it).
    public let itemBoundaries: [String: [Double]]
    /// Quantile boundaries of each numeric user property.
    public let userBoundaries: [String: [Double]]

    /// Quantile buckets per numeric property.
    public static let quantiles = 8

    /// A vocabulary over `buckets` rows with the given boundaries.
    public init(buckets: Int, itemBoundaries: [String: [Double]], userBoundaries: [String: [Double]]) {
        self.buckets = buckets
        self.itemBoundaries = itemBoundaries
        self.userBoundaries = userBoundaries
    }

    /// A vocabulary whose numeric boundaries are the quantiles of `items`' and `users`' values.
    public init(buckets: Int, items: [EntityFeatures], users: [EntityFeatures]) {
        self.init(buckets: buckets, itemBoundaries: Self.boundaries(items), userBoundaries: Self.boundaries(users))
    }

    /// The feature-table rows of `features` on `side`: one per token, one per numeric property (duplicates kept
    /// once, ascending).
    public func rows(_ features: EntityFeatures, side: Side) -> [Int32] {
        let boundaries = side == .item ? itemBoundaries : userBoundaries
        var rows = Set<Int32>()
        for token in features.tokens { rows.insert(row(token, side: side)) }
        for (name, value) in features.numbers {
            let cuts = boundaries[name] ?? []
            var bucket = 0
            while bucket < cuts.count, cuts[bucket] <= value { bucket += 1 }
            rows.insert(row("\(name)#\(bucket)", side: side))
        }
        return rows.sorted()
    }

    /// The row of one token on `side`.
    func row(_ token: String, side: Side) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in side.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0x1F) &* 0x100_0000_01b3
        for byte in token.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int32(truncatingIfNeeded: hash % UInt64(buckets))
    }

    /// Up to `quantiles − 1` distinct inner quantiles of each numeric property over `entities`.
    static func boundaries(_ entities: [EntityFeatures]) -> [String: [Double]] {
        var values: [String: [Double]] = [:]
        for entity in entities {
            for (name, value) in entity.numbers { values[name, default: []].append(value) }
        }
        var result: [String: [Double]] = [:]
        for (name, list) in values {
            let sorted = list.sorted()
            var cuts: [Double] = []
            for q in 1..<quantiles {
                let cut = sorted[min(sorted.count - 1, sorted.count * q / quantiles)]
                if cut > (cuts.last ?? -.infinity), cut > sorted[0] { cuts.append(cut) }
            }
            result[name] = cuts
        }
        return result
    }
}
