import Foundation
import RecCore
import RecMath

/// A synthetic shop for `recommender demo`: items in categories with a skewed popularity, users with latent tastes
/// (one or two favourite categories), and an interaction stream drawn from those tastes over the last 30 days.
/// Deterministic for a seed, so the demo is the same on every machine.
public struct DemoData: Sendable {
    /// The catalogue.
    public let items: [Item]
    /// The events, oldest first.
    public let interactions: [Interaction]
    /// Each user's favourite categories (what their recommendations should lean towards).
    public let tastes: [String: [String]]

    /// Category names.
    public static let categories = ["books", "music", "films", "games", "garden", "kitchen", "sports", "toys", "travel", "fashion", "beauty", "tech"]

    /// Generates the shop on the compute pool: it computes for a while, and `demo` runs Swift concurrency on the event
    /// loops that serve requests.
    public static func generate(itemCount: Int, userCount: Int, compute: ComputePool) async -> DemoData {
        await compute.run { DemoData(itemCount: itemCount, userCount: userCount) }
    }

    /// Generates `itemCount` items and `userCount` users' events.
    public init(itemCount: Int = 2_000, userCount: Int = 1_000, seed: UInt64 = 7, now: Int64 = WallClock.nowMillis()) {
        var random = SeededGenerator(seed: seed)
        let dimensions = 16
        let categories = Self.categories
        func gaussian() -> Float { random.nextGaussian() }
        let centres = categories.map { _ in (0..<dimensions).map { _ in gaussian() } }
        // Items: a category (some categories are bigger), a position near its centre, a Zipf-like popularity.
        var items: [Item] = []
        var itemVectors: [[Float]] = []
        var itemCategory: [Int] = []
        let ranks = Array(0..<itemCount).shuffled(using: &random)
        var logPopularity: [Float] = []
        for index in 0..<itemCount {
            let category = Int(Float(categories.count) * pow(Float.random(in: 0..<1, using: &random), 1.4))
            itemCategory.append(category)
            itemVectors.append(centres[category].map { $0 + 0.6 * gaussian() })
            logPopularity.append(-0.9 * log(Float(ranks[index] + 1)))
            let price = (Double(Int.random(in: 300...20_000, using: &random)) / 100).rounded(toPlaces: 2)
            items.append(Item(
                itemID: "item-\(index)", title: "\(categories[category].capitalized) item \(index)", category: categories[category],
                tags: [categories[category]], properties: ["price": .number(price), "in_stock": .bool(index % 17 != 0)]
            ))
        }
        // Users: one or two favourite categories; activity from a long-tailed distribution.
        var events: [Interaction] = []
        var tastes: [String: [String]] = [:]
        let start = now - 30 * 86_400_000
        for user in 0..<userCount {
            let first = Int.random(in: 0..<categories.count, using: &random)
            var favourites = [first]
            if Bool.random(using: &random) { favourites.append((first + Int.random(in: 1..<categories.count, using: &random)) % categories.count) }
            let taste = (0..<dimensions).map { d in favourites.reduce(Float(0)) { $0 + centres[$1][d] } / Float(favourites.count) + 0.3 * gaussian() }
            let userID = "user-\(user)"
            tastes[userID] = favourites.map { categories[$0] }
            // Preference over every item: taste affinity plus popularity; sampled through the cumulative weights.
            var cumulative: [Float] = []
            cumulative.reserveCapacity(itemCount)
            var total: Float = 0
            for item in 0..<itemCount {
                var affinity: Float = 0
                for d in 0..<dimensions { affinity += taste[d] * itemVectors[item][d] }
                total += exp(min(0.35 * affinity + logPopularity[item], 30))
                cumulative.append(total)
            }
            let activity = max(3, min(300, Int(exp(2.8 + 0.9 * gaussian()))))
            var time = start + Int64.random(in: 0..<(15 * 86_400_000), using: &random)
            for _ in 0..<activity {
                let target = Float.random(in: 0..<total, using: &random)
                var low = 0, high = itemCount - 1
                while low < high {
                    let middle = (low + high) / 2
                    if cumulative[middle] < target { low = middle + 1 } else { high = middle }
                }
                time = min(now, time + Int64.random(in: 60_000...(36 * 3_600_000), using: &random))
                let purchase = Int.random(in: 0..<12, using: &random) == 0
                events.append(Interaction(userID: userID, itemID: "item-\(low)", type: purchase ? "purchase" : "view", weight: purchase ? 8 : 1, timestamp: time))
            }
        }
        events.sort { $0.timestamp < $1.timestamp }
        self.items = items
        self.interactions = events
        self.tastes = tastes
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        let scale = Foundation.pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
