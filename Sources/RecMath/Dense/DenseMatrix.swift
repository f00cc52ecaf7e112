/// A row-major matrix of `Float`s that owns its storage.
public struct DenseMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (also the row stride).
    public let cols: Int
    /// The values, row after row.
    public var values: [Float]

    /// A matrix with every entry set to `value`.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.cols = cols
        self.values = [Float](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major values.
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "values must hold rows × cols entries")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// A matrix of uniform random values in `[0, scale)`, reproducible from `generator`.
    public static func random(rows: Int, cols: Int, scale: Float, using generator: inout SeededGenerator) -> DenseMatrix {
        var matrix = DenseMatrix(rows: rows, cols: cols)
        for index in matrix.values.indices {
            matrix.values[index] = generator.nextUnitFloat() * scale
        }
        return matrix
    }

    /// The entry at `row`, `col`.
    public subscript(row: Int, col: Int) -> Float {
        get { values[row * cols + col] }
        set { values[row * cols + col] = newValue }
    }

    /// A copy of one row.
    public func row(_ index: Int) -> [Float] {
        Array(values[(index * cols)..<((index + 1) * cols)])
    }

    /// Bytes the values occupy.
    public var byteCount: Int { values.count * MemoryLayout<Float>.stride }
}
