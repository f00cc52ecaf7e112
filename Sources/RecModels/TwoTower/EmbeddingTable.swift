import Foundation
import RecMath

/// A trainable table of rows (embeddings, or a dense layer as one table) with Adam's moments and a gradient that
/// collects only the rows a step touched: the step updates those rows alone ("lazy" Adam, as sparse embeddings are
/// trained), with the bias correction of the global step count.
struct EmbeddingTable {
    /// Row width.
    let width: Int
    /// The parameters, row-major.
    var values: [Float]
    private var first: [Float]
    private var second: [Float]
    /// The gradient being collected, row-major (zero outside the touched rows).
    var gradient: [Float]
    private var touched: [Int32] = []
    private var marked: [Bool]

    /// A table of `rows × width` values drawn from N(0, scale²).
    init(rows: Int, width: Int, scale: Float, generator: inout SeededGenerator) {
        self.width = width
        values = (0..<(rows * width)).map { _ in generator.nextGaussian() * scale }
        first = [Float](repeating: 0, count: rows * width)
        second = first
        gradient = first
        marked = [Bool](repeating: false, count: rows)
    }

    /// A table with the given values (e.g. an identity layer).
    init(values: [Float], width: Int) {
        self.width = width
        self.values = values
        first = [Float](repeating: 0, count: values.count)
        second = first
        gradient = first
        marked = [Bool](repeating: false, count: values.count / width)
    }

    /// Number of rows.
    var rows: Int { marked.count }

    /// Adds `scale · delta` to row `row`'s gradient.
    mutating func accumulate(row: Int, scale: Float, _ delta: UnsafePointer<Float>) {
        if !marked[row] {
            marked[row] = true
            touched.append(Int32(row))
        }
        gradient.withUnsafeMutableBufferPointer { g in
            BLAS.axpy(scale, delta, g.baseAddress! + row * width, count: width)
        }
    }

    /// Marks every row touched (a dense layer whose whole gradient was written directly).
    mutating func touchAll() {
        for row in 0..<rows where !marked[row] {
            marked[row] = true
            touched.append(Int32(row))
        }
    }

    /// One Adam step (β₁ 0.9, β₂ 0.999, ε 10⁻⁸) on the touched rows, with L2 `decay` on them, then clears the gradient.
    mutating func step(rate: Float, decay: Float, count t: Int) {
        let correction1 = 1 - powf(0.9, Float(t)), correction2 = 1 - powf(0.999, Float(t))
        let size = rate * correction2.squareRoot() / correction1
        let width = width
        values.withUnsafeMutableBufferPointer { v in
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { s in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for row in touched {
                            let start = Int(row) * width
                            for index in start..<(start + width) {
                                let grad = g[index] + decay * v[index]
                                m[index] = 0.9 * m[index] + 0.1 * grad
                                s[index] = 0.999 * s[index] + 0.001 * grad * grad
                                v[index] -= size * m[index] / (s[index].squareRoot() + 1e-8)
                                g[index] = 0
                            }
                        }
                    }
                }
            }
        }
        for row in touched { marked[Int(row)] = false }
        touched.removeAll(keepingCapacity: true)
    }

    /// The values as a matrix.
    var matrix: DenseMatrix { DenseMatrix(rows: rows, cols: width, values: values) }
}
