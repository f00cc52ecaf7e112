/// A compressed sparse row (CSR) matrix of `Float`s; its transpose is the CSC view of the same data.
public struct SparseMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// `rowStart[r]..<rowStart[r + 1]` indexes row r's entries; `rows + 1` long.
    public let rowStart: [Int]
    /// Column of each stored entry, ascending within a row.
    public let columns: [Int32]
    /// Value of each stored entry.
    public var values: [Float]

    /// A matrix from its CSR arrays (checked).
    public init(rows: Int, cols: Int, rowStart: [Int], columns: [Int32], values: [Float]) {
        precondition(rowStart.count == rows + 1 && columns.count == values.count && rowStart.last == columns.count,
                     "inconsistent CSR arrays")
        self.rows = rows
        self.cols = cols
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    /// Builds a matrix from coordinate triplets, summing the values of duplicate (row, col) pairs.
    public init(rows: Int, cols: Int, entries: [(row: Int32, col: Int32, value: Float)]) {
        var counts = [Int](repeating: 0, count: rows + 1)
        for entry in entries { counts[Int(entry.row) + 1] += 1 }
        for row in 0..<rows { counts[row + 1] += counts[row] }
        var cursor = counts
        var cols32 = [Int32](repeating: 0, count: entries.count)
        var vals = [Float](repeating: 0, count: entries.count)
        for entry in entries {
            let slot = cursor[Int(entry.row)]
            cols32[slot] = entry.col
            vals[slot] = entry.value
            cursor[Int(entry.row)] += 1
        }
        // Sort each row by column and merge duplicates.
        var outStart = [Int](repeating: 0, count: rows + 1)
        var outCols: [Int32] = []
        var outVals: [Float] = []
        outCols.reserveCapacity(entries.count)
        outVals.reserveCapacity(entries.count)
        var order: [Int] = []
        for row in 0..<rows {
            let range = counts[row]..<counts[row + 1]
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: range)
            order.sort { cols32[$0] < cols32[$1] }
            for slot in order {
                if let last = outCols.last, outCols.count > outStart[row], last == cols32[slot] {
                    outVals[outVals.count - 1] += vals[slot]
                } else {
                    outCols.append(cols32[slot])
                    outVals.append(vals[slot])
                }
            }
            outStart[row + 1] = outCols.count
        }
        self.init(rows: rows, cols: cols, rowStart: outStart, columns: outCols, values: outVals)
    }

    /// Number of stored entries.
    public var nonZeroCount: Int { columns.count }

    /// Number of stored entries in `row`.
    public func count(ofRow row: Int) -> Int { rowStart[row + 1] - rowStart[row] }

    /// The stored entries' positions of `row`.
    public func range(ofRow row: Int) -> Range<Int> { rowStart[row]..<rowStart[row + 1] }

    /// Whether `row` stores an entry in `column` (binary search: columns are sorted within a row).
    @inlinable
    public func contains(row: Int, column: Int32) -> Bool {
        var low = rowStart[row]
        var high = rowStart[row + 1]
        while low < high {
            let mid = (low + high) / 2
            let value = columns[mid]
            if value == column { return true }
            if value < column { low = mid + 1 } else { high = mid }
        }
        return false
    }

    /// The transpose, also in CSR form (so the CSC view of this matrix).
    public func transposed() -> SparseMatrix {
        var start = [Int](repeating: 0, count: cols + 1)
        for col in columns { start[Int(col) + 1] += 1 }
        for col in 0..<cols { start[col + 1] += start[col] }
        var cursor = start
        var outCols = [Int32](repeating: 0, count: columns.count)
        var outVals = [Float](repeating: 0, count: columns.count)
        for row in 0..<rows {
            for slot in rowStart[row]..<rowStart[row + 1] {
                let col = Int(columns[slot])
                let target = cursor[col]
                outCols[target] = Int32(row)
                outVals[target] = values[slot]
                cursor[col] += 1
            }
        }
        return SparseMatrix(rows: cols, cols: rows, rowStart: start, columns: outCols, values: outVals)
    }

    /// The same pattern with every value replaced by `transform(value)`.
    public func mapValues(_ transform: (Float) -> Float) -> SparseMatrix {
        var copy = self
        for index in copy.values.indices { copy.values[index] = transform(copy.values[index]) }
        return copy
    }

    /// Bytes the three arrays occupy.
    public var byteCount: Int {
        rowStart.count * MemoryLayout<Int>.stride + columns.count * 4 + values.count * 4
    }
}
