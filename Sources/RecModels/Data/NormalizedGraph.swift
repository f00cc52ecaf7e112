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

    /// Normalises `data`: every positive entry counts 1 when `binary`, else its weight; other entries count 0.
    public init(_ data: InteractionMatrix, binary: Bool) {
        var graph = data.userItems.mapValues { $0 > 0 ? (binary ? 1 : $0) : 0 }
        var users = [Float](repeating: 0, count: graph.rows)
        var items = [Float](repeating: 0, count: graph.cols)
        for user in 0..<graph.rows {
            for slot in graph.range(ofRow: user) {
                users[user] += graph.values[slot]
                items[Int(graph.columns[slot])] += graph.values[slot]
            }
        }
        for user in 0..<graph.rows {
            for slot in graph.range(ofRow: user) where graph.values[slot] > 0 {
                graph.values[slot] /= (users[user] * items[Int(graph.columns[slot])]).squareRoot()
            }
        }
        userItems = graph
        itemUsers = graph.transposed()
        userDegrees = users
        itemDegrees = items
    }
}
