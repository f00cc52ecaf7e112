/// A user's interactions as serving sees them: the tenant's dense item numbers with their weights, oldest first,
/// at most the activity's per-user cap (the most recent kept).
public struct UserHistory: Sendable {
    /// Item numbers in the tenant's activity (`TenantActivity.itemID(_:)` names them; repeats allowed: weights add up).
    public var items: [Int32] = []
    /// Each interaction's weight.
    public var weights: [Float] = []
    /// The id of the user's latest interaction.
    public var lastID: Int64 = 0

    /// An empty history.
    public init() {}

    /// Bytes the history's arrays hold (for the memory gauge).
    var bytes: Int { items.capacity * MemoryLayout<Int32>.stride + weights.capacity * MemoryLayout<Float>.stride }
}
