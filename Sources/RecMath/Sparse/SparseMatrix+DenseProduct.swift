import CBLAS

/// Sparse × dense products, the kernel of the graph models' propagation.
extension SparseMatrix {
    /// The product of this matrix and `dense` (`cols × dense.cols`, row-major), as a new `rows × dense.cols` matrix;
    /// row blocks on `threads` workers.
    public func times(_ dense: DenseMatrix, threads: Int) -> DenseMatrix {
        precondition(dense.rows == cols, "inner dimensions must agree")
        var result = DenseMatrix(rows: rows, cols: dense.cols)
        dense.values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                multiply(source.baseAddress!, width: dense.cols, into: target.baseAddress!, threads: threads)
            }
        }
        return result
    }

    /// Writes this matrix times the row-major `cols × width` matrix at `source` into the `rows × width` matrix at
    /// `target` (overwritten; it must not overlap `source`), row blocks on `threads` workers. For callers that reuse
    /// their buffers across many products.
    public func multiply(_ source: UnsafePointer<Float>, width: Int, into target: UnsafeMutablePointer<Float>, threads: Int) {
        guard rows > 0, width > 0 else { return }
        columns.withUnsafeBufferPointer { columns in
            values.withUnsafeBufferPointer { values in
                let source = ReadOnlySharedBuffer(UnsafeBufferPointer(start: source, count: cols * width))
                let target = SharedBuffer(UnsafeMutableBufferPointer(start: target, count: rows * width))
                let columns = ReadOnlySharedBuffer(columns), values = ReadOnlySharedBuffer(values)
                ParallelLoop.run(count: rows, threads: threads, chunkSize: 64) { range, _ in
                    let last = rowStart[range.upperBound]
                    for row in range {
                        let out = target.base + row * width
                        out.update(repeating: 0, count: width)
                        for slot in rowStart[row]..<rowStart[row + 1] {
                            // The rows are gathered by column index: start loading the one used eight entries on.
                            if slot + 8 < last {
                                let ahead = source.base + Int(columns[slot + 8]) * width
                                var line = 0
                                while line < width {
                                    rec_prefetch(ahead + line)
                                    line += 16
                                }
                            }
                            BLAS.axpy(values[slot], source.base + Int(columns[slot]) * width, out, count: width)
                        }
                    }
                }
            }
        }
    }
}
