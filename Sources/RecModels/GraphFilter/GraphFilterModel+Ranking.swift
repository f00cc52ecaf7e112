import RecMath

/// Ranking one history exactly without scoring the whole catalogue: the serving path.
extension GraphFilterModel {
    /// The best `count` items for one history (`items` in this model's numbering, with `weights`) that pass `allows`,
    /// best first, with the scores `scores(users:history:into:)` gives them. With `candidates`, only those are scored.
    /// Otherwise the two-hop term is computed for every item (it is sparse and cheap), and the eigenvector term, the
    /// costly one (`rank` multiplications an item), is bounded instead: item i scores at most
    /// d_iᵝ·(linear_i + ‖V_i‖·‖c‖) with c = x'·V·diag(g), so items are scored in the order of their bounds and the
    /// walk stops once the k-th best score beats the next bound. `examined` is set to the items scored exactly.
    public func best(
        items: [Int32], weights: [Float], count: Int, candidates: [Int32]?, allows: (Int32) -> Bool, examined: inout Int
    ) -> [(index: Int32, score: Float)] {
        examined = 0
        let n = itemCount, r = rank
        guard count > 0, n > 0 else { return [] }
        var linear = [Float](repeating: 0, count: n)
        var spectral = [Float](repeating: 0, count: max(1, r))  // never empty: its base address is passed on
        var hop = [Float](repeating: 0, count: graph.rows)
        var reached: [Int32] = []
        let found = items.withUnsafeBufferPointer { items in
            weights.withUnsafeBufferPointer { weights in
                linear.withUnsafeMutableBufferPointer { linear in
                    spectral.withUnsafeMutableBufferPointer { spectral in
                        filter(items: items, weights: weights, linear: linear.baseAddress!, spectral: spectral.baseAddress!, hop: &hop, reached: &reached)
                    }
                }
            }
        }
        guard found else { return [] }  // no item of the history is in the graph: nothing to rank by
        let reach = spectral.withUnsafeBufferPointer { BLAS.dot($0.baseAddress!, $0.baseAddress!, count: r) }.squareRoot()
        return basis.values.withUnsafeBufferPointer { v in
            spectral.withUnsafeBufferPointer { c in
                let exact = { (item: Int32) -> Float in
                    let dense = r > 0 ? BLAS.dot(v.baseAddress! + Int(item) * r, c.baseAddress!, count: r) : 0
                    return postScale[Int(item)] * (linear[Int(item)] + dense)
                }
                var top = TopK(k: count)
                if let candidates {
                    for item in candidates where allows(item) {
                        top.offer(item, exact(item))
                        examined += 1
                    }
                    return top.sorted()
                }
                // Slack for rounding: an r-term float dot product errs by at most about r·ε·‖Vᵢ‖·‖c‖.
                var bounds = [Float](repeating: 0, count: n)
                let slack = Float(r + 8) * 4 * .ulpOfOne
                for item in 0..<n {
                    let reachable = basisNorms[item] * reach
                    bounds[item] = postScale[item] * (linear[item] + reachable + (abs(linear[item]) + reachable) * slack) + 1e-6
                }
                var scored = [Bool](repeating: false, count: n)
                var width = min(n, max(256, 8 * count))
                while true {
                    var widest = TopK(k: width)
                    bounds.withUnsafeBufferPointer { widest.offer(all: $0) }
                    for entry in widest.sorted() {
                        if top.threshold > entry.score { return top.sorted() }  // nothing left can enter the top
                        let item = Int(entry.index)
                        guard !scored[item] else { continue }
                        scored[item] = true
                        if allows(entry.index) {
                            top.offer(entry.index, exact(entry.index))
                            examined += 1
                        }
                    }
                    if width == n { return top.sorted() }
                    width = min(n, width * 4)
                }
            }
        }
    }
}
