/// Sparse × dense products, the kernel of the graph models' propagation.
extension SparseMatrix {
    /// The product of this matrix and `dense` (`cols × dense.cols`, row-major), as a new `rows × dense.cols` matrix;
    /// row blocks on `threads` workers.
    public func times(_ dense: DenseMatrix, threads: Int) -> DenseMatrix {
        precondition(dense.rows == cols, "inner dimensions must agree")
        let width = dense.cols
        var result = DenseMatrix(rows: rows, cols: width)
        guard rows > 0, width > 0 else { return result }
        dense.values.withUnsafeBufferPointer { source in
            result.values.withUnsafeMutableBufferPointer { target in
                columns.withUnsafeBufferPointer { columns in
                    values.withUnsafeBufferPointer { values in
                        let source = ReadOnlySharedBuffer(source), target = SharedBuffer(target)
                        let columns = ReadOnlySharedBuffer(columns), values = ReadOnlySharedBuffer(values)
                        ParallelLoop.run(count: rows, threads: threads, chunkSize: 64) { range, _ in
                            for row in range {
                                let out = target.base + row * width
                                for slot in rowStart[row]..<rowStart[row + 1] {
                                    BLAS.axpy(values[slot], source.base + Int(columns[slot]) * width, out, count: width)
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
