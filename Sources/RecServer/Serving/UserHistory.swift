/// A user's interactions as serving sees them: item ids with their weights, in arrival order.
struct UserHistory: Sendable {
    /// Item ids (repeats allowed: weights aggregate).
    var items: [String] = []
    /// Each interaction's weight.
    var weights: [Float] = []
    /// The id of the user's latest interaction.
    var lastID: Int64 = 0

    /// The distinct items interacted with.
    var seen: Set<String> { Set(items) }
}
