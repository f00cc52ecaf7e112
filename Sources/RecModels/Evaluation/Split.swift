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

    /// Parses `random:0.2:SEED`, `random:0.2`, `last` or `time:0.2`.
    public init(parsing text: String) throws(RecError) {
        let parts = text.split(separator: ":").map(String.init)
        switch parts.first {
        case "random":
            guard parts.count >= 2, let fraction = Double(parts[1]), fraction > 0, fraction < 1 else {
                throw .invalidField("split", "expected random:FRACTION[:SEED] with 0 < FRACTION < 1")
            }
            let seed = parts.count > 2 ? UInt64(parts[2]) : 42
            guard let seed else { throw .invalidField("split", "the seed must be a non-negative integer") }
            self = .random(fraction: fraction, seed: seed)
        case "last":
            self = .leaveLastOut
        case "time":
            guard parts.count == 2, let fraction = Double(parts[1]), fraction > 0, fraction < 1 else {
                throw .invalidField("split", "expected time:FRACTION with 0 < FRACTION < 1")
            }
            self = .time(fraction: fraction)
        default:
            throw .invalidField("split", "expected random:FRACTION[:SEED], last or time:FRACTION")
        }
    }

    /// The text form.
    public var description: String {
        switch self {
        case .random(let fraction, let seed): "random:\(fraction):\(seed)"
        case .leaveLastOut: "last"
        case .time(let fraction): "time:\(fraction)"
        }
    }

    /// Divides `dataset`; both sides keep its id space. All events of a (user, item) pair land on one side.
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
        }
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
