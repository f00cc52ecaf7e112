import RecMath

/// The symmetric-normalised user–item graph R̃ = D_u^-1/2 · R · D_i^-1/2 that the graph models propagate over, in both
/// orientations, with the degrees it was normalised by.
public struct NormalizedGraph: Sendable {
    /// R̃, users × items.
    public let userItems: SparseMatrix
    /// R̃ᵀ, items × users.
    public let itemUsers: SparseMatrix
    /// Each user's degree (summed weights).
    public let userDegrees: [Float]
    /// Each item's degree (summed weights).
    public let itemDegrees: [Float]

    /// Normalises `data`: every positive entry counts 1 when `binary`, else its weight; entries that are not positive
    /// (a weight decayed to 0, a negative event) are left out of the graph.
    public init(_ data: InteractionMatrix, binary: Bool) {
        let source = data.userItems
        var rowStart = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        for user in 0..<source.rows {
            for slot in source.range(ofRow: user) where source.values[slot] > 0 {
                columns.append(source.columns[slot])
                values.append(binary ? 1 : source.values[slot])
            }
            rowStart.append(columns.count)
        }
        var graph = SparseMatrix(rows: source.rows, cols: source.cols, rowStart: rowStart, columns: columns, values: values)
        var users = [Float](repeating: 0, count: graph.rows)
        var items = [Float](repeating: 0, count: graph.cols)
        for user in 0..<graph.rows {
            for slot in graph.range(ofRow: user) {
                users[user] += graph.values[slot]
                items[Int(graph.columns[slot])] += graph.values[slot]
            }
        }
        for user in 0..<graph.rows {
            for slot in graph.range(ofRow: user) {
                graph.values[slot] /= (users[user] * items[Int(graph.columns[slot])]).squareRoot()
            }
        }
        userItems = graph
        itemUsers = graph.transposed()
        userDegrees = users
        itemDegrees = items
    }
}
