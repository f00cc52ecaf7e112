import RecCore
import RecMath

/// How to divide one dataset into training and test interactions.
public enum Split: Sendable, Equatable, CustomStringConvertible {
    /// Per user, a seeded random `fraction` of their distinct items goes to test (users with one item stay whole).
    case random(fraction: Double, seed: UInt64)
    /// Per user, the most recent item (by timestamp) goes to test.
    case leaveLastOut
    /// Globally, the newest `fraction` of events (by timestamp) goes to test.
    case time(fraction: Double)
    /// Cold-start items: a seeded random `fraction` of the items with interactions is held out whole (every event of
    /// theirs goes to test), and test users are ranked among the held-out items only (the ColdRec protocol).
    case coldItems(fraction: Double, seed: UInt64)
    /// Cold-start users: a seeded random `fraction` of the users with interactions is held out whole; they are ranked
    /// over every item, with no training history.
    case coldUsers(fraction: Double, seed: UInt64)

    /// What the parser accepts, for help texts and errors.
    public static let syntax = "random:FRACTION[:SEED], last, time:FRACTION, cold-items:FRACTION[:SEED] or cold-users:FRACTION[:SEED]"

    /// Parses `random:0.2:SEED`, `random:0.2`, `last`, `time:0.2`, `cold-items:0.2[:SEED]` or `cold-users:0.2[:SEED]`
    /// (the seed defaults to 42).
    public init(parsing text: String) throws(RecError) {
        let parts = text.split(separator: ":").map(String.init)
        switch parts.first {
        case "random":
            let (fraction, seed) = try Self.fractionAndSeed(parts, name: "random", meaning: "per user, that share of their items is held out")
            self = .random(fraction: fraction, seed: seed)
        case "cold-items":
            let (fraction, seed) = try Self.fractionAndSeed(
                parts, name: "cold-items", meaning: "that share of the items is held out with all their events, and ranked among themselves only")
            self = .coldItems(fraction: fraction, seed: seed)
        case "cold-users":
            let (fraction, seed) = try Self.fractionAndSeed(
                parts, name: "cold-users", meaning: "that share of the users is held out with all their events, and ranked over every item")
            self = .coldUsers(fraction: fraction, seed: seed)
        case "last":
            self = .leaveLastOut
        case "time":
            guard parts.count == 2, let fraction = Double(parts[1]), fraction > 0, fraction < 1 else {
                throw .invalidField("split", "expected time:FRACTION with 0 < FRACTION < 1")
            }
            self = .time(fraction: fraction)
        default:
            throw .invalidField("split", "expected \(Self.syntax)")
        }
    }

    private static func fractionAndSeed(_ parts: [String], name: String, meaning: String) throws(RecError) -> (Double, UInt64) {
        guard parts.count == 2 || parts.count == 3, let fraction = Double(parts[1]), fraction > 0, fraction < 1 else {
            throw .invalidField("split", "expected \(name):FRACTION[:SEED] with 0 < FRACTION < 1 (\(meaning))")
        }
        guard let seed = parts.count > 2 ? UInt64(parts[2]) : 42 else {
            throw .invalidField("split", "the seed of \(name) must be a non-negative integer")
        }
        return (fraction, seed)
    }

    /// The text form.
    public var description: String {
        switch self {
        case .random(let fraction, let seed): "random:\(fraction):\(seed)"
        case .leaveLastOut: "last"
        case .time(let fraction): "time:\(fraction)"
        case .coldItems(let fraction, let seed): "cold-items:\(fraction):\(seed)"
        case .coldUsers(let fraction, let seed): "cold-users:\(fraction):\(seed)"
        }
    }

    /// Divides `dataset`; both sides keep its id space and features. All events of a (user, item) pair land on one
    /// side; for the cold splits, all events of a held-out item (or user).
    public func apply(to dataset: Dataset) -> (train: Dataset, test: Dataset) {
        switch self {
        case .random(let fraction, let seed):
            var generator = SeededGenerator(seed: seed)
            var itemsByUser = [[Int32]](repeating: [], count: dataset.userCount)
            for event in dataset.interactions { itemsByUser[Int(event.user)].append(event.item) }
            var heldOut = Set<PairKey>()
            for user in 0..<dataset.userCount {
                var distinct = Array(Set(itemsByUser[user])).sorted()
                guard distinct.count >= 2 else { continue }
                distinct.shuffle(using: &generator)
                let count = max(1, Int((Double(distinct.count) * fraction).rounded()))
                for item in distinct.prefix(min(count, distinct.count - 1)) {
                    heldOut.insert(PairKey(user: Int32(user), item: item))
                }
            }
            return partition(dataset) { heldOut.contains(PairKey(user: $0.user, item: $0.item)) }
        case .leaveLastOut:
            var latest = [Int: IndexedInteraction]()
            for event in dataset.interactions {
                if let current = latest[Int(event.user)], current.timestamp > event.timestamp { continue }
                latest[Int(event.user)] = event
            }
            var counts = [Int32: Set<Int32>]()
            for event in dataset.interactions { counts[event.user, default: []].insert(event.item) }
            let heldOut = Set(latest.values.filter { (counts[$0.user]?.count ?? 0) >= 2 }.map { PairKey(user: $0.user, item: $0.item) })
            return partition(dataset) { heldOut.contains(PairKey(user: $0.user, item: $0.item)) }
        case .time(let fraction):
            let times = dataset.interactions.map(\.timestamp).sorted()
            guard !times.isEmpty else { return (dataset, dataset.with([])) }
            let cutoff = times[min(times.count - 1, Int(Double(times.count) * (1 - fraction)))]
            let (train, test) = partition(dataset) { $0.timestamp >= cutoff }
            // Pairs seen before the cut-off are not new to the user: keep test to unseen pairs.
            let seen = Set(train.interactions.map { PairKey(user: $0.user, item: $0.item) })
            return (train, test.with(test.interactions.filter { !seen.contains(PairKey(user: $0.user, item: $0.item)) }))
        case .coldItems(let fraction, let seed):
            let held = Self.heldOut(dataset.interactions.map(\.item), count: dataset.itemCount, fraction: fraction, seed: seed)
            return partition(dataset) { held[Int($0.item)] }
        case .coldUsers(let fraction, let seed):
            let held = Self.heldOut(dataset.interactions.map(\.user), count: dataset.userCount, fraction: fraction, seed: seed)
            return partition(dataset) { held[Int($0.user)] }
        }
    }

    /// The items test users are ranked among: for `cold-items` the held-out items (those with a test event, which is
    /// every held-out item), nil (every item) for the other splits. Non-candidates score -infinity in evaluation.
    public func candidates(test: Dataset) -> [Bool]? {
        guard case .coldItems = self else { return nil }
        var mask = [Bool](repeating: false, count: test.itemCount)
        for event in test.interactions { mask[Int(event.item)] = true }
        return mask
    }

    /// A seeded choice of round(`fraction` × n) of the n indices that occur in `occurring` (at least one, and one
    /// fewer than n, so both sides keep some), as a mask over `0..<count`; nothing is held out when n < 2.
    static func heldOut(_ occurring: [Int32], count: Int, fraction: Double, seed: UInt64) -> [Bool] {
        var present = [Bool](repeating: false, count: count)
        for index in occurring { present[Int(index)] = true }
        var indices = (0..<count).filter { present[$0] }
        var held = [Bool](repeating: false, count: count)
        guard indices.count >= 2 else { return held }
        var generator = SeededGenerator(seed: seed)
        indices.shuffle(using: &generator)
        let chosen = min(indices.count - 1, max(1, Int((Double(indices.count) * fraction).rounded())))
        for index in indices.prefix(chosen) { held[index] = true }
        return held
    }

    private func partition(_ dataset: Dataset, isTest: (IndexedInteraction) -> Bool) -> (train: Dataset, test: Dataset) {
        var train: [IndexedInteraction] = []
        var test: [IndexedInteraction] = []
        train.reserveCapacity(dataset.interactions.count)
        for event in dataset.interactions {
            if isTest(event) { test.append(event) } else { train.append(event) }
        }
        return (dataset.with(train), dataset.with(test))
    }
}

/// A (user, item) pair as a hashable key.
struct PairKey: Hashable, Sendable {
    let user: Int32
    let item: Int32
}
