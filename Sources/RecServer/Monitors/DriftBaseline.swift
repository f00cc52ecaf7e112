/// The serving model's training snapshot, summarised for drift: items and users in ten equal-mass popularity bins (plus
/// one for those the snapshot never saw), and the event-type mix.
struct DriftBaseline: Sendable {
    /// Bins per ranked population, plus the "new" bin.
    static let bins = 10

    let itemBins: [String: Int]
    let userBins: [String: Int]
    let itemCounts: [Double]
    let userCounts: [Double]
    let typeCounts: [String: Double]
    let events: Int

    /// Builds the summary from the snapshot's per-item, per-user and per-type counts.
    init(items: [String: Double], users: [String: Double], types: [String: Double]) {
        (itemBins, itemCounts) = Self.bin(items)
        (userBins, userCounts) = Self.bin(users)
        typeCounts = types
        events = Int(types.values.reduce(0, +))
    }

    /// Ranks by count (ties by id) and cuts the cumulative share into `bins` equal parts.
    private static func bin(_ counts: [String: Double]) -> ([String: Int], [Double]) {
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let total = ranked.reduce(0) { $0 + $1.value }
        var bins: [String: Int] = [:]
        var sums = [Double](repeating: 0, count: Self.bins + 1)
        var cumulative = 0.0
        for (id, count) in ranked {
            let bin = total > 0 ? min(Self.bins - 1, Int(cumulative / total * Double(Self.bins))) : 0
            bins[id] = bin
            sums[bin] += count
            cumulative += count
        }
        return (bins, sums)
    }
}
