import Foundation
@testable import RecServer
import RecTesting
import Testing

@Suite("Demo data")
struct DemoDataTests {
    @Test("the synthetic shop is deterministic, popularity is skewed, and users lean towards their favourite categories")
    func realistic() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let data = DemoData(itemCount: 500, userCount: 300, seed: 3, now: 1_800_000_000_000)
            let again = DemoData(itemCount: 500, userCount: 300, seed: 3, now: 1_800_000_000_000)
            #expect(data.interactions.map(\.itemID) == again.interactions.map(\.itemID), "same seed, same stream")
            #expect(data.items.count == 500 && Set(data.items.compactMap(\.category)).count >= 8)

            var counts: [String: Int] = [:]
            for event in data.interactions { counts[event.itemID, default: 0] += 1 }
            let ranked = counts.values.sorted(by: >)
            let top = ranked.prefix(ranked.count / 10).reduce(0, +)
            #expect(Double(top) / Double(data.interactions.count) > 0.3, "the top 10% of items draw a large share of events")

            let category = Dictionary(uniqueKeysWithValues: data.items.map { ($0.itemID, $0.category ?? "") })
            let inTaste = data.interactions.filter { data.tastes[$0.userID]?.contains(category[$0.itemID] ?? "") == true }.count
            #expect(Double(inTaste) / Double(data.interactions.count) > 0.4, "events concentrate in users' favourite categories")
            #expect(zip(data.interactions, data.interactions.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
            #expect(data.interactions.allSatisfy { $0.timestamp <= 1_800_000_000_000 && $0.timestamp > 1_800_000_000_000 - 31 * 86_400_000 })
            #expect(Set(data.interactions.map(\.type)) == ["view", "purchase"])
        }
    }
}
