import Testing
@testable import RecIndex

@Suite("Norm-ordered scan")
struct NormOrderedScanTests {
    /// Vectors whose lengths fall off like a factor model's (a few long, most short), `dimension` wide.
    static func skewed(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        var values = [Float](repeating: 0, count: count * dimension)
        for row in 0..<count {
            // Row r has length about 1 / (1 + r / 20), in a shuffled order so that the scan must sort.
            let scale = 1 / (1 + Float((row * 7_919) % count) / 20)
            for d in 0..<dimension { values[row * dimension + d] = (next() + 0.3) * scale }
        }
        return values
    }

    static func queries(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var state = seed
        return (0..<count).map { _ in
            (0..<dimension).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(state >> 40) / Float(1 << 24) - 0.2
            }
        }
    }

    static func exactScores(_ vectors: [Float], dimension: Int, query: [Float], k: Int, allowed: (Int) -> Bool) -> [Float] {
        (0..<(vectors.count / dimension)).filter(allowed).map { row -> Float in
            var dot: Float = 0
            for d in 0..<dimension { dot += vectors[row * dimension + d] * query[d] }
            return dot
        }.sorted(by: >).prefix(k).map { $0 }
    }

    @Test("holding every vector, the answer is always exact, with and without a selection")
    func exactWhenAllHeld() {
        let dimension = 13  // not a multiple of 8: the remainder loops run
        let count = 1_003  // not a multiple of 4: the last block is short
        let data = Self.skewed(count: count, dimension: dimension, seed: 3)
        let scan = data.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: dimension, limit: count) }
        var selection = SelectionBitmap(count: count, allSelected: true)
        for id in stride(from: 0, to: count, by: 3) { selection.remove(id) }
        for query in Self.queries(40, dimension: dimension, seed: 9) {
            for (bitmap, allowed) in [(nil, { (_: Int) in true }), (selection, { (id: Int) in id % 3 != 0 })] as [(SelectionBitmap?, (Int) -> Bool)] {
                var examined = 0
                let found = query.withUnsafeBufferPointer { scan.search($0, k: 10, selection: bitmap, examined: &examined) }
                let expected = Self.exactScores(data, dimension: dimension, query: query, k: 10, allowed: allowed)
                #expect(found != nil)
                #expect(found?.count == 10)
                for (got, want) in zip(found ?? [], expected) { #expect(abs(got.score - want) < 1e-4) }
                #expect(found?.allSatisfy { allowed($0.id) } == true)
            }
        }
    }

    @Test("holding only the longest vectors, a proven answer is the exact one over all vectors, and it stops early")
    func provenAnswersAreExact() {
        let dimension = 32
        let count = 5_000
        let data = Self.skewed(count: count, dimension: dimension, seed: 5)
        let scan = data.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: dimension, limit: 1_000) }
        #expect(scan.count == 1_000)
        var proven = 0
        var examinedTotal = 0
        for query in Self.queries(100, dimension: dimension, seed: 11) {
            var examined = 0
            guard let found = query.withUnsafeBufferPointer({ scan.search($0, k: 10, selection: nil, examined: &examined) }) else { continue }
            proven += 1
            examinedTotal += examined
            let expected = Self.exactScores(data, dimension: dimension, query: query, k: 10, allowed: { _ in true })
            #expect(found.count == 10)
            for (got, want) in zip(found, expected) { #expect(abs(got.score - want) < 1e-4) }
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
        // Skewed lengths prove most answers from a fraction of the held vectors.
        #expect(proven >= 50)
        #expect(examinedTotal / max(proven, 1) < 1_000)
    }

    @Test("vectors of equal length prove nothing early, so a partial scan hands over to the index")
    func equalLengthsAreNotProven() {
        let dimension = 8
        let count = 500
        var data = Self.skewed(count: count, dimension: dimension, seed: 7)
        for row in 0..<count {  // every row to unit length
            var norm: Float = 0
            for d in 0..<dimension { norm += data[row * dimension + d] * data[row * dimension + d] }
            for d in 0..<dimension { data[row * dimension + d] /= norm.squareRoot() }
        }
        let scan = data.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: dimension, limit: 100) }
        for query in Self.queries(20, dimension: dimension, seed: 13) {
            var examined = 0
            #expect(query.withUnsafeBufferPointer { scan.search($0, k: 5, selection: nil, examined: &examined) } == nil)
            #expect(examined == 100)
        }
    }
}
