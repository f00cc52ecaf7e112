import RecMath

/// Exact maximum-inner-product search that reads the longest vectors first and stops as soon as no vector left can
/// enter the top k: by Cauchy–Schwarz, q·v ≤ ‖q‖·‖v‖, so once the k-th best score exceeds ‖q‖ times the next norm the
/// answer is proven. Factor models put most of the mass on few long vectors (popular items; on Gowalla's iALS factors a
/// top 10 is proven after about 4,000 of 41,000 items), so this is both exact and cheaper than walking a graph. It holds
/// only the `limit` longest vectors, in norm order; when they cannot prove the answer, `search` says so and the caller
/// searches its approximate index instead.
///
/// The scan reads half-precision copies (half the memory traffic, which bounds it) and keeps exactness with error
/// bounds: each copy's error ‖v − v̂‖ is known, so q·v lies within ‖q‖·‖v − v̂‖ of q·v̂. Items are ranked by their lower
/// bounds, every item whose upper bound can still reach the k-th lower bound is kept, and those few are rescored
/// exactly from the full-precision vectors at the end.
public struct NormOrderedScan: Sendable {
    /// Width of the vectors held (a query's first `dimension` entries are read).
    public let dimension: Int
    /// How many vectors the scan holds.
    public let count: Int
    /// Item id of each held vector, longest first (then -1 for the padding to a multiple of four rows).
    private let items: [Int32]
    /// Norm of each held vector, descending.
    private let norms: [Float]
    /// The held vectors, row-major in norm order (read only to rescore candidates).
    private let vectors: [Float]
    /// Half-precision copies of the held vectors (what the scan reads).
    private let halves: [Float16]
    /// ‖v − v̂‖ of each held vector, rounded up, plus a margin for rounding in the sums.
    private let errors: [Float]
    /// The largest norm among the vectors not held.
    private let remainderNorm: Float
    /// Whether every vector is held (then a full read proves any answer).
    private let holdsAll: Bool

    /// Holds the `limit` longest of the vectors in `source` (`dimension` wide, row-major; item id = row). Holding stops
    /// at the first vector with an entry beyond half precision's range (or not a number): the scan then never proves an
    /// answer past it.
    public init(vectors source: UnsafeBufferPointer<Float>, dimension: Int, limit: Int) {
        self.dimension = dimension
        let rows = dimension == 0 ? 0 : source.count / dimension
        var norms = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            let norm = BLAS.dot(source.baseAddress! + row * dimension, source.baseAddress! + row * dimension, count: dimension).squareRoot()
            norms[row] = norm.isNaN ? .infinity : norm  // sorts first, is not held, and so stops the holding
        }
        let order = (0..<rows).sorted { norms[$0] > norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }
        var held = Array(order.prefix(max(0, limit)))
        // Half precision tops out at 65,504: stop holding at the first vector that does not fit.
        if let unfit = held.firstIndex(where: { row in source[(row * dimension)..<((row + 1) * dimension)].contains { !(abs($0) < 60_000) } }) {
            held.removeSubrange(unfit...)
        }
        var values = [Float]()
        var halves = [Float16]()
        var errors = [Float]()
        values.reserveCapacity(held.count * dimension)
        halves.reserveCapacity(held.count * dimension)
        errors.reserveCapacity(held.count)
        for row in held {
            var squared: Double = 0
            for value in source[(row * dimension)..<((row + 1) * dimension)] {
                let half = Float16(value)
                values.append(value)
                halves.append(half)
                squared += Double(value - Float(half)) * Double(value - Float(half))
            }
            // Plus a margin for float rounding in a `dimension`-term sum (far above dimension × 2⁻²⁴ relative).
            errors.append(Float(squared.squareRoot() * (1 + 1e-6)).nextUp + 1e-6 * Float(max(dimension, 16)) * norms[row])
        }
        count = held.count
        // Padding to whole blocks of four: zero rows, never selected (item -1), whose norm 0 never stops the scan early.
        var padded = held.map { Int32($0) }
        var heldNorms = held.map { norms[$0] }
        while padded.count % 4 != 0 {
            padded.append(-1)
            heldNorms.append(0)
            errors.append(0)
            values.append(contentsOf: repeatElement(0, count: dimension))
            halves.append(contentsOf: repeatElement(0, count: dimension))
        }
        items = padded
        self.norms = heldNorms
        vectors = values
        self.halves = halves
        self.errors = errors
        holdsAll = held.count == rows
        remainderNorm = held.count < rows ? norms[order[held.count]] : 0
    }

    /// The exact best `k` selected items for `query`, best first; nil when the held vectors cannot prove them (search
    /// an index instead). `examined` is set to the number of vectors scored.
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, selection: SelectionBitmap?, examined: inout Int) -> [IndexMatch]? {
        precondition(query.count >= dimension, "query narrower than the scan")
        examined = 0
        guard k > 0 else { return [] }
        let q = query.baseAddress!
        // A little slack over the bounds: rounding in the sums must not end the scan one vector early.
        let queryNorm = BLAS.dot(q, q, count: dimension).squareRoot() * (1 + 1e-4 + 1e-6 * Float(dimension))
        var lower = TopK(k: k)  // the k best lower bounds: the true k-th best score is at least their threshold
        var candidates: [(position: Int, upper: Float)] = []
        var proven = false
        var read = 0
        halves.withUnsafeBufferPointer { halves in
            norms.withUnsafeBufferPointer { norms in
                errors.withUnsafeBufferPointer { errors in
                    items.withUnsafeBufferPointer { items in
                        var bar = lower.threshold
                        var position = 0
                        // Four rows at a time (the held rows are padded to a multiple of four): four independent sums
                        // keep the FMA units busy, the stop is checked against the block's first (longest) row, which
                        // bounds the other three, and a block none of whose upper bounds reaches the bar costs one
                        // comparison.
                        while position < items.count {
                            if bar > queryNorm * norms[position] {
                                proven = true
                                return
                            }
                            let approximate = Self.dots4(halves.baseAddress! + position * dimension, dimension: dimension, query: q)
                            let slack = queryNorm * UnsafeRawPointer(errors.baseAddress! + position).loadUnaligned(as: SIMD4<Float>.self)
                            let upper = approximate + slack
                            read += 4
                            if any(upper .>= bar) {
                                for row in 0..<4 where upper[row] >= bar {
                                    let item = items[position + row]
                                    guard item >= 0, selection?.contains(Int(item)) ?? true else { continue }
                                    lower.offer(Int32(position + row), approximate[row] - slack[row])
                                    candidates.append((position + row, upper[row]))
                                    bar = lower.threshold
                                }
                            }
                            position += 4
                        }
                    }
                }
            }
        }
        examined = min(read, count)
        if !proven {
            // Every held vector was read: the answer stands if nothing is left, or nothing left can beat it.
            proven = holdsAll || lower.threshold > queryNorm * remainderNorm
        }
        guard proven else { return nil }
        let bar = lower.threshold
        var top = TopK(k: k)
        vectors.withUnsafeBufferPointer { values in
            for candidate in candidates where candidate.upper >= bar {
                top.offer(items[candidate.position], BLAS.dot(values.baseAddress! + candidate.position * dimension, q, count: dimension))
            }
        }
        return top.sorted().map { IndexMatch(id: Int($0.index), score: $0.score) }
    }

    /// Inner products of four consecutive half-precision rows with `query`.
    @inline(__always)
    private static func dots4(_ rows: UnsafePointer<Float16>, dimension: Int, query: UnsafePointer<Float>) -> SIMD4<Float> {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var index = 0
        while index + 8 <= dimension {
            let q = UnsafeRawPointer(query + index).loadUnaligned(as: SIMD8<Float>.self)
            s0 += SIMD8<Float>(UnsafeRawPointer(rows + index).loadUnaligned(as: SIMD8<Float16>.self)) * q
            s1 += SIMD8<Float>(UnsafeRawPointer(rows + dimension + index).loadUnaligned(as: SIMD8<Float16>.self)) * q
            s2 += SIMD8<Float>(UnsafeRawPointer(rows + 2 * dimension + index).loadUnaligned(as: SIMD8<Float16>.self)) * q
            s3 += SIMD8<Float>(UnsafeRawPointer(rows + 3 * dimension + index).loadUnaligned(as: SIMD8<Float16>.self)) * q
            index += 8
        }
        var sums = SIMD4<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
        while index < dimension {
            let q = query[index]
            sums += SIMD4(Float(rows[index]), Float(rows[dimension + index]), Float(rows[2 * dimension + index]), Float(rows[3 * dimension + index])) * q
            index += 1
        }
        return sums
    }
}
