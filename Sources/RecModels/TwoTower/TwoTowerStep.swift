import Foundation
import RecMath

/// One training step of the two towers on a batch of pairs, forward and backward, with its buffers kept between steps.
///
/// Forward: user inputs `x` (the pooled id embeddings of the user's recent items, the pair's own item left out, plus the mean of the user's
/// feature rows) and item inputs `y` (the id embedding unless dropped, plus the mean of the item's feature rows);
/// `a = x·W_u`, `b = y·W_i`; `u = a/‖a‖`, `v = b/‖b‖`; logits `S = u·vᵀ/τ − log q` with the other copies of a row's
/// own item masked out; either part may be dropped for the step (the candidates are the batch's items and any extra negatives); loss `−log softmax(S)ᵢᵢ`, averaged. Backward: `G = (softmax(S) − I)/B`, `∂u = G·v/τ`,
/// `∂v = Gᵀ·u/τ`, through the normalisations (`∂a = (∂u − u(u·∂u))/‖a‖`), the layers (`∂W_u = xᵀ·∂a`,
/// `∂x = ∂a·W_uᵀ`), and scattered into the embedding rows with the same shares the pooling used.
struct TwoTowerStep {
    private let batch: Int
    private let width: Int
    private let threads: Int
    private var x: [Float], y: [Float], a: [Float], b: [Float], u: [Float], v: [Float]
    private var du: [Float], dv: [Float], dx: [Float], dy: [Float]
    private var normA: [Float], normB: [Float], losses: [Double]
    private var logits: [Float]

    /// Buffers for batches of up to `batch` pairs and `columns` candidate items (the pairs' items and the extra
    /// negatives) of `width`-wide vectors, computed on `threads` workers.
    init(batch: Int, columns: Int, width: Int, threads: Int) {
        self.batch = batch
        self.width = width
        self.threads = threads
        let userVectors = [Float](repeating: 0, count: batch * width), itemVectors = [Float](repeating: 0, count: columns * width)
        (x, a, u, du, dx) = (userVectors, userVectors, userVectors, userVectors, userVectors)
        (y, b, v, dv, dy) = (itemVectors, itemVectors, itemVectors, itemVectors, itemVectors)
        normA = [Float](repeating: 0, count: batch)
        normB = [Float](repeating: 0, count: columns)
        losses = [Double](repeating: 0, count: batch)
        logits = [Float](repeating: 0, count: batch * columns)
    }

    /// Runs the step for pairs (`users[i]`, `items[i]`) against the candidates `items` (the pairs' own items first,
    /// then any extra negatives), leaving the gradients in the tables; returns the mean loss. `logQ` is each item's
    /// log share of the candidates, subtracted from its logits.
    mutating func run(
        users: [Int32], items: [Int32], keepID: [Bool], keepHistory: [Bool], inputs: TwoTowerInputs, logQ: [Float], inverseTemperature: Float,
        itemTable: inout EmbeddingTable, featureTable: inout EmbeddingTable,
        itemLayer: inout EmbeddingTable, userLayer: inout EmbeddingTable
    ) -> Double {
        let n = users.count, m = items.count, d = width, threads = threads
        precondition(n <= batch && m >= n && m * d <= y.count && m == keepID.count && n == keepHistory.count, "a batch within the buffers")
        let rowsPerWorker = max(1, (n + threads - 1) / threads)
        let columnsPerWorker = max(1, (m + threads - 1) / threads)

        // Inputs: pooled embeddings.
        x.withUnsafeMutableBufferPointer { xBuffer in
            y.withUnsafeMutableBufferPointer { yBuffer in
                itemTable.values.withUnsafeBufferPointer { e in
                        featureTable.values.withUnsafeBufferPointer { f in
                            let x = SharedBuffer(xBuffer), y = SharedBuffer(yBuffer)
                            let e = ReadOnlySharedBuffer(e), f = ReadOnlySharedBuffer(f)
                            ParallelLoop.run(count: m, threads: threads, chunkSize: 64) { range, _ in
                                for row in range {
                                    let item = items[row]
                                    if row < n {
                                        let xr = x.base + row * d
                                        xr.update(repeating: 0, count: d)
                                        let history = keepHistory[row] ? inputs.recent(Int(users[row])) : []
                                        let pooled = history.count - (history.contains(item) ? 1 : 0)
                                        if pooled > 0 {
                                            let share = 1 / Float(pooled)
                                            for other in history where other != item { BLAS.axpy(share, e.base + Int(other) * d, xr, count: d) }
                                        }
                                        let userRows = inputs.userRows(Int(users[row]))
                                        for feature in userRows { BLAS.axpy(1 / Float(userRows.count), f.base + Int(feature) * d, xr, count: d) }
                                    }
                                    let yr = y.base + row * d
                                    yr.update(repeating: 0, count: d)
                                    if keepID[row] { BLAS.axpy(1, e.base + Int(item) * d, yr, count: d) }
                                    let itemRows = inputs.itemRows(Int(item))
                                    for feature in itemRows { BLAS.axpy(1 / Float(itemRows.count), f.base + Int(feature) * d, yr, count: d) }
                                }
                            }
                        }
                }
            }
        }
        // Layers and normalisation.
        Self.layer(x, userLayer.values, into: &a, rows: n, width: d)
        Self.layer(y, itemLayer.values, into: &b, rows: m, width: d)
        Self.normalise(a, into: &u, norms: &normA, rows: n, width: d)
        Self.normalise(b, into: &v, norms: &normB, rows: m, width: d)

        // Logits, softmax, loss and G = (P − I)/n in place of the logits.
        logits.withUnsafeMutableBufferPointer { sBuffer in
            losses.withUnsafeMutableBufferPointer { lossBuffer in
                u.withUnsafeBufferPointer { uBuffer in
                    v.withUnsafeBufferPointer { vBuffer in
                        let s = SharedBuffer(sBuffer), loss = SharedBuffer(lossBuffer)
                        let u = ReadOnlySharedBuffer(uBuffer), v = ReadOnlySharedBuffer(vBuffer)
                        ParallelLoop.run(count: n, threads: threads, chunkSize: rowsPerWorker) { range, _ in
                            BLAS.gemm(transposeB: true, m: range.count, n: m, k: d, alpha: inverseTemperature,
                                      a: u.base + range.lowerBound * d, lda: d, b: v.base, ldb: d, c: s.base + range.lowerBound * m, ldc: m)
                            for row in range {
                                let logit = s.base + row * m
                                let own = items[row]
                                var highest = -Float.infinity
                                for column in 0..<m {
                                    if column != row, items[column] == own {
                                        logit[column] = -.infinity
                                    } else {
                                        logit[column] -= logQ[Int(items[column])]
                                        highest = max(highest, logit[column])
                                    }
                                }
                                var sum: Float = 0
                                for column in 0..<m {
                                    let p = logit[column] == -.infinity ? 0 : expf(logit[column] - highest)
                                    logit[column] = p
                                    sum += p
                                }
                                let positive = logit[row] / sum
                                loss[row] = -log(max(Double(positive), 1e-30))
                                let share = 1 / Float(n)
                                for column in 0..<m { logit[column] = logit[column] / sum * share }
                                logit[row] -= share
                            }
                        }
                    }
                }
            }
        }
        // ∂u = G·v/τ and ∂v = Gᵀ·u/τ, then back through the normalisations (in place).
        logits.withUnsafeBufferPointer { gBuffer in
            u.withUnsafeBufferPointer { uBuffer in
                v.withUnsafeBufferPointer { vBuffer in
                    du.withUnsafeMutableBufferPointer { duBuffer in
                        dv.withUnsafeMutableBufferPointer { dvBuffer in
                            let g = ReadOnlySharedBuffer(gBuffer), u = ReadOnlySharedBuffer(uBuffer), v = ReadOnlySharedBuffer(vBuffer)
                            let du = SharedBuffer(duBuffer), dv = SharedBuffer(dvBuffer)
                            ParallelLoop.run(count: n, threads: threads, chunkSize: rowsPerWorker) { range, _ in
                                BLAS.gemm(m: range.count, n: d, k: m, alpha: inverseTemperature, a: g.base + range.lowerBound * m, lda: m,
                                          b: v.base, ldb: d, c: du.base + range.lowerBound * d, ldc: d)
                            }
                            ParallelLoop.run(count: m, threads: threads, chunkSize: columnsPerWorker) { range, _ in
                                BLAS.gemm(transposeA: true, m: range.count, n: d, k: n, alpha: inverseTemperature, a: g.base + range.lowerBound, lda: m,
                                          b: u.base, ldb: d, c: dv.base + range.lowerBound * d, ldc: d)
                            }
                        }
                    }
                }
            }
        }
        Self.unnormalise(&du, unit: u, norms: normA, rows: n, width: d)
        Self.unnormalise(&dv, unit: v, norms: normB, rows: m, width: d)
        // Layers: ∂W = inputᵀ·∂a (the whole layer's gradient), ∂input = ∂a·Wᵀ.
        Self.layerBackward(input: x, gradient: du, layer: &userLayer, inputGradient: &dx, rows: n, width: d)
        Self.layerBackward(input: y, gradient: dv, layer: &itemLayer, inputGradient: &dy, rows: m, width: d)

        // Scatter into the embedding rows, with the pooling's shares.
        dx.withUnsafeBufferPointer { dxBuffer in
            dy.withUnsafeBufferPointer { dyBuffer in
                for row in 0..<m {
                    let gy = dyBuffer.baseAddress! + row * d
                    let item = items[row]
                    if row < n {
                        let gx = dxBuffer.baseAddress! + row * d
                        let history = keepHistory[row] ? inputs.recent(Int(users[row])) : []
                        let pooled = history.count - (history.contains(item) ? 1 : 0)
                        if pooled > 0 {
                            for other in history where other != item { itemTable.accumulate(row: Int(other), scale: 1 / Float(pooled), gx) }
                        }
                        let userRows = inputs.userRows(Int(users[row]))
                        for feature in userRows { featureTable.accumulate(row: Int(feature), scale: 1 / Float(userRows.count), gx) }
                    }
                    if keepID[row] { itemTable.accumulate(row: Int(item), scale: 1, gy) }
                    let itemRows = inputs.itemRows(Int(item))
                    for feature in itemRows { featureTable.accumulate(row: Int(feature), scale: 1 / Float(itemRows.count), gy) }
                }
            }
        }
        return losses[0..<n].reduce(0, +) / Double(n)
    }

    /// `output = input · layer` for `rows` row vectors.
    private static func layer(_ input: [Float], _ layer: [Float], into output: inout [Float], rows: Int, width: Int) {
        input.withUnsafeBufferPointer { x in
            layer.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { out in
                    BLAS.gemm(m: rows, n: width, k: width, a: x.baseAddress!, lda: width, b: w.baseAddress!, ldb: width, c: out.baseAddress!, ldc: width)
                }
            }
        }
    }

    /// Unit rows of `input` into `output`, their norms into `norms` (a zero row stays zero, with norm 0).
    private static func normalise(_ input: [Float], into output: inout [Float], norms: inout [Float], rows: Int, width: Int) {
        for row in 0..<rows {
            var sum: Float = 0
            for k in 0..<width { sum += input[row * width + k] * input[row * width + k] }
            let norm = sum.squareRoot()
            norms[row] = norm
            let scale = norm > 0 ? 1 / norm : 0
            for k in 0..<width { output[row * width + k] = input[row * width + k] * scale }
        }
    }

    /// Replaces the gradient on unit rows `unit` by the gradient on the rows before normalisation.
    private static func unnormalise(_ gradient: inout [Float], unit: [Float], norms: [Float], rows: Int, width: Int) {
        for row in 0..<rows {
            guard norms[row] > 0 else {
                for k in 0..<width { gradient[row * width + k] = 0 }
                continue
            }
            var along: Float = 0
            for k in 0..<width { along += unit[row * width + k] * gradient[row * width + k] }
            let scale = 1 / norms[row]
            for k in 0..<width { gradient[row * width + k] = (gradient[row * width + k] - along * unit[row * width + k]) * scale }
        }
    }

    /// Writes the layer's gradient (`inputᵀ·gradient`) and the gradient on the inputs (`gradient·layerᵀ`).
    private static func layerBackward(input: [Float], gradient: [Float], layer: inout EmbeddingTable, inputGradient: inout [Float], rows: Int, width: Int) {
        input.withUnsafeBufferPointer { x in
            gradient.withUnsafeBufferPointer { g in
                layer.gradient.withUnsafeMutableBufferPointer { w in
                    BLAS.gemm(transposeA: true, m: width, n: width, k: rows, a: x.baseAddress!, lda: width, b: g.baseAddress!, ldb: width,
                              beta: 1, c: w.baseAddress!, ldc: width)
                }
                layer.values.withUnsafeBufferPointer { w in
                    inputGradient.withUnsafeMutableBufferPointer { out in
                        BLAS.gemm(transposeB: true, m: rows, n: width, k: width, a: g.baseAddress!, lda: width, b: w.baseAddress!, ldb: width,
                                  c: out.baseAddress!, ldc: width)
                    }
                }
            }
        }
        layer.touchAll()
    }
}
