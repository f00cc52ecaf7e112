import Foundation
import RecCore
import Testing

@Suite("NDCG")
struct NDCGTests {
    @Test("hits are discounted by 1/log2(rank + 2) over the ideal for min(relevant, k) hits")
    func knownValues() {
        // Hits at ranks 0 and 2 of 3, three relevant items: (1 + 1/2) / (1 + 1/log2(3) + 1/2).
        let relevant: Set = [0, 2]
        let value = NDCG.binary(count: 3, relevantCount: 3, k: 3) { relevant.contains($0) }
        #expect(abs(value - 1.5 / (1.5 + 1 / log2(3.0))) < 1e-12)
        // Every position a hit, and no more relevant items than positions: perfect.
        #expect(NDCG.binary(count: 5, relevantCount: 2, k: 5) { $0 < 2 } == 1)
        // A hit past k does not count; the ideal is capped at k hits.
        #expect(NDCG.binary(count: 10, relevantCount: 10, k: 2) { $0 == 5 } == 0)
        #expect(NDCG.binary(count: 10, relevantCount: 10, k: 2) { $0 == 1 } == 1 / log2(3.0) / (1 + 1 / log2(3.0)))
    }

    @Test("nothing relevant, an empty list or k of 0 give 0, never NaN")
    func degenerate() {
        #expect(NDCG.binary(count: 5, relevantCount: 0, k: 5) { _ in true } == 0)
        #expect(NDCG.binary(count: 0, relevantCount: 3, k: 5) { _ in true } == 0)
        #expect(NDCG.binary(count: 5, relevantCount: 3, k: 0) { _ in true } == 0)
    }
}
