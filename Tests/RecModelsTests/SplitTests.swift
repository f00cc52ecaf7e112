import RecCore
import RecMath
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
            for text in ["random", "random:1.5", "random:0.2:-1", "time", "bogus", "cold-items", "cold-items:0", "cold-users:1",
                         "cold-users:0.2:x", "cold-items:0.2:1:2"] {
                #expect(throws: RecError.self) { try Split(parsing: text) }
            }
            let items = try Split(parsing: "cold-items:0.3")
            let users = try Split(parsing: "cold-users:0.3:8")
            #expect(items == .coldItems(fraction: 0.3, seed: 42))
            #expect(users.description == "cold-users:0.3:8")
        }
    }

    /// 60 users with interactions (and 4 without) over 40 items with interactions (and 5 without), with item features.
    private func sparse() -> Dataset {
        var generator = SeededGenerator(seed: 3)
        var events: [IndexedInteraction] = []
        for user in 0..<60 {
            for _ in 0..<8 { events.append(IndexedInteraction(user: Int32(user), item: Int32(generator.nextIndex(below: 40)))) }
        }
        for item in 0..<40 { events.append(IndexedInteraction(user: Int32(item % 60), item: Int32(item))) }
        let features = (0..<45).map { EntityFeatures(tokens: ["tag=t\($0 % 3)"], numbers: [:]) }
        return Dataset(userIDs: (0..<64).map { "u\($0)" }, itemIDs: (0..<45).map { "i\($0)" }, interactions: events, itemFeatures: features)
    }

    @Test("cold-items holds out a seeded share of the items with every event of theirs, keeps ids and features, and makes them the candidates")
    func coldItems() async throws {
        try await offTheLoops {
            let data = sparse()
            let split = try Split(parsing: "cold-items:0.25:5")
            let (train, test) = split.apply(to: data)
            let held = Set(test.interactions.map(\.item))
            #expect(held.count == 10)
            #expect(held.allSatisfy { $0 < 40 }, "items without interactions are never held out")
            #expect(!train.interactions.contains { held.contains($0.item) })
            #expect(test.interactions.count == data.interactions.filter { held.contains($0.item) }.count)
            #expect(train.interactions.count + test.interactions.count == data.interactions.count)
            #expect(train.itemCount == 45 && test.itemCount == 45 && train.userCount == 64)
            #expect(train.itemFeatures == data.itemFeatures && test.itemFeatures == data.itemFeatures)
            let mask = try #require(split.candidates(test: test))
            #expect(Set((0..<45).filter { mask[$0] }.map(Int32.init)) == held)
            #expect(split.apply(to: data).test.interactions == test.interactions)
            #expect(try Set(Split(parsing: "cold-items:0.25:6").apply(to: data).test.interactions.map(\.item)) != held)
            #expect(try Split(parsing: "random:0.2:5").candidates(test: test) == nil)
        }
    }

    @Test("cold-users holds out a seeded share of the users with every event of theirs and ranks every item")
    func coldUsers() async throws {
        try await offTheLoops {
            let data = sparse()
            let split = try Split(parsing: "cold-users:0.2:5")
            let (train, test) = split.apply(to: data)
            let held = Set(test.interactions.map(\.user))
            #expect(held.count == 12)
            #expect(held.allSatisfy { $0 < 60 }, "users without interactions are never held out")
            #expect(!train.interactions.contains { held.contains($0.user) })
            #expect(test.interactions.count == data.interactions.filter { held.contains($0.user) }.count)
            #expect(train.userCount == 64 && test.userCount == 64)
            #expect(split.candidates(test: test) == nil)
            #expect(split.apply(to: data).test.interactions == test.interactions)
            #expect(try Set(Split(parsing: "cold-users:0.2:6").apply(to: data).test.interactions.map(\.user)) != held)
        }
    }
}
