import RecCore
@testable import RecModels
import RecTesting
import Testing

@Suite("Splits")
struct SplitTests {
    private func dataset() -> Dataset {
        var events: [IndexedInteraction] = []
        for user in 0..<50 {
            let count = user == 0 ? 1 : 10
            for item in 0..<count {
                events.append(IndexedInteraction(user: Int32(user), item: Int32((user + item) % 40), timestamp: Int64(1000 + user * 100 + item)))
            }
        }
        // A duplicate event of a pair: both copies must land on the same side.
        events.append(IndexedInteraction(user: 3, item: 5, timestamp: 5000))
        return Dataset(userIDs: (0..<50).map { "u\($0)" }, itemIDs: (0..<40).map { "i\($0)" }, interactions: events)
    }

    @Test("Random holdout is seeded, per user, keeps pairs whole and leaves single-item users in training")
    func randomHoldout() async throws {
        try await offTheLoops {
            let data = dataset()
            let split = try Split(parsing: "random:0.2:9")
            let (train, test) = split.apply(to: data)
            #expect(train.interactions.count + test.interactions.count == data.interactions.count)
            let trainPairs = Set(train.interactions.map { PairKey(user: $0.user, item: $0.item) })
            #expect(test.interactions.allSatisfy { !trainPairs.contains(PairKey(user: $0.user, item: $0.item)) })
            #expect(!test.interactions.contains { $0.user == 0 })
            for user in 1..<50 { #expect(test.interactions.filter { $0.user == Int32(user) }.count >= 1) }
            let again = split.apply(to: data)
            #expect(again.test.interactions == test.interactions)
            let other = try Split(parsing: "random:0.2:10").apply(to: data)
            #expect(other.test.interactions != test.interactions)
        }
    }

    @Test("Leave-last-out holds out each user's newest item; time split holds out the newest events")
    func timeBased() async throws {
        try await offTheLoops {
            let data = dataset()
            let (_, last) = try Split(parsing: "last").apply(to: data)
            #expect(Set(last.interactions.map(\.user)).count == 49)
            #expect(last.interactions.contains { $0.user == 3 && $0.item == 5 })
            let (train, test) = try Split(parsing: "time:0.1").apply(to: data)
            let newestTrain = train.interactions.map(\.timestamp).max()!
            #expect(test.interactions.allSatisfy { $0.timestamp >= newestTrain })
            #expect(!test.interactions.isEmpty)
        }
    }

    @Test("Malformed split specifications are refused naming the field")
    func malformed() async throws {
        try await offTheLoops {
            for text in ["random", "random:1.5", "random:0.2:-1", "time", "bogus"] {
                #expect(throws: RecError.self) { try Split(parsing: text) }
            }
        }
    }
}
