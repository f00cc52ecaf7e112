import RecTesting
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

    /// Queries pointing away from the vectors' common direction: most scores are negative.
    static func oppositeQueries(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        queries(count, dimension: dimension, seed: seed).map { $0.map { -$0 - 0.3 } }
    }

    static func exactScores(_ vectors: [Float], dimension: Int, query: [Float], k: Int, allowed: (Int) -> Bool) -> [Float] {
        exactTop(vectors, dimension: dimension, query: query, k: k, allowed: allowed).map(\.score)
    }

    /// The brute-force top k: (row, score), best first.
    static func exactTop(_ vectors: [Float], dimension: Int, query: [Float], k: Int, allowed: (Int) -> Bool) -> [(id: Int, score: Float)] {
        (0..<(vectors.count / dimension)).filter(allowed).map { row -> (id: Int, score: Float) in
            var dot: Float = 0
            for d in 0..<dimension { dot += vectors[row * dimension + d] * query[d] }
            return (row, dot)
        }.sorted { $0.score > $1.score }.prefix(k).map { $0 }
    }

    /// Same ids (scores are distinct random sums, so no ties) and scores equal within rounding.
    static func expectSame(_ found: [IndexMatch]?, _ expected: [(id: Int, score: Float)], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let found else {
            Issue.record("no proven answer", sourceLocation: sourceLocation)
            return
        }
        #expect(found.map(\.id) == expected.map(\.id), sourceLocation: sourceLocation)
        for (got, want) in zip(found, expected) { #expect(abs(got.score - want.score) < 1e-4, sourceLocation: sourceLocation) }
    }

    @Test("holding every vector, the answer is always exact, with and without a selection")
    func exactWhenAllHeld() async throws {
        try await offTheLoops {
            let dimension = 13  // not a multiple of 8: the remainder loops run
            let count = 1_003  // not a multiple of 4: the last block is short
            let data = Self.skewed(count: count, dimension: dimension, seed: 3)
            let scan = data.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: dimension, limit: count) }
            var selection = SelectionBitmap(count: count, allSelected: true)
            for id in stride(from: 0, to: count, by: 3) { selection.remove(id) }
            for query in Self.queries(20, dimension: dimension, seed: 9) + Self.oppositeQueries(20, dimension: dimension, seed: 10) {
                for (bitmap, allowed) in [(nil, { (_: Int) in true }), (selection, { (id: Int) in id % 3 != 0 })] as [(SelectionBitmap?, (Int) -> Bool)] {
                    var examined = 0
                    let found = query.withUnsafeBufferPointer { scan.search($0, k: 10, selection: bitmap, examined: &examined) }
                    Self.expectSame(found, Self.exactTop(data, dimension: dimension, query: query, k: 10, allowed: allowed))
                }
            }
            // Fewer selected items than asked for: exactly those, when every vector is held.
            var three = SelectionBitmap(count: count, allSelected: false)
            for id in [5, 500, 1_002] { three.insert(id) }
            var examined = 0
            let query = Self.queries(1, dimension: dimension, seed: 4)[0]
            let found = query.withUnsafeBufferPointer { scan.search($0, k: 10, selection: three, examined: &examined) }
            Self.expectSame(found, Self.exactTop(data, dimension: dimension, query: query, k: 10, allowed: { [5, 500, 1_002].contains($0) }))
        }
    }

    @Test("holding only the longest vectors, a proven answer is the exact one over all vectors, and it stops early")
    func provenAnswersAreExact() async throws {
        try await offTheLoops {
            let dimension = 32
            let count = 5_000
            let data = Self.skewed(count: count, dimension: dimension, seed: 5)
            let scan = data.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: dimension, limit: 1_000) }
            #expect(scan.count == 1_000)
            var proven = 0
            var examinedTotal = 0
            var odd = SelectionBitmap(count: count, allSelected: false)
            for id in stride(from: 1, to: count, by: 2) { odd.insert(id) }
            for query in Self.queries(100, dimension: dimension, seed: 11) {
                for (bitmap, allowed) in [(nil, { (_: Int) in true }), (odd, { (id: Int) in id % 2 == 1 })] as [(SelectionBitmap?, (Int) -> Bool)] {
                    var examined = 0
                    guard let found = query.withUnsafeBufferPointer({ scan.search($0, k: 10, selection: bitmap, examined: &examined) }) else { continue }
                    proven += 1
                    examinedTotal += examined
                    Self.expectSame(found, Self.exactTop(data, dimension: dimension, query: query, k: 10, allowed: allowed))
                }
            }
            // Skewed lengths prove most answers from a fraction of the held vectors.
            #expect(proven >= 100)
            #expect(examinedTotal / max(proven, 1) < 1_000)
        }
    }

    @Test("zero vectors left out of the scan still count: a negative or short answer is not proven")
    func zeroVectorsOutsideTheScan() async throws {
        try await offTheLoops {
            let dimension = 8
            var data = Self.skewed(count: 40, dimension: dimension, seed: 17)
            data += [Float](repeating: 0, count: 20 * dimension)  // rows 40–59: zero factors (items never trained on)
            let scan = data.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: dimension, limit: 40) }
            for query in Self.oppositeQueries(10, dimension: dimension, seed: 19) {
                var examined = 0
                // Every held score is negative here, so the zero rows (score 0) belong in the top 5.
                let found = query.withUnsafeBufferPointer { scan.search($0, k: 5, selection: nil, examined: &examined) }
                let expected = Self.exactScores(data, dimension: dimension, query: query, k: 5, allowed: { _ in true })
                if let found {
                    for (got, want) in zip(found, expected) { #expect(abs(got.score - want) < 1e-4) }
                }
                #expect(expected.allSatisfy { $0 == 0 } ? found == nil : true)
            }
            // Asking for more than the scan holds cannot be proven while vectors are left out.
            var examined = 0
            let query = Self.queries(1, dimension: dimension, seed: 23)[0]
            #expect(query.withUnsafeBufferPointer { scan.search($0, k: 50, selection: nil, examined: &examined) } == nil)
        }
    }

    @Test("the index benchmark runs queries through the scan, then the index for what it cannot prove")
    func benchmarkMeasuresTheScan() async throws {
        try await offTheLoops {
            let dimension = 16
            let count = 3_000
            let data = Self.skewed(count: count, dimension: dimension, seed: 29)
            let queries = (Self.queries(60, dimension: dimension, seed: 31) + Self.oppositeQueries(20, dimension: dimension, seed: 37)).flatMap { $0 }
            let benchmark = IndexBenchmark(vectors: data, queries: queries, dimension: dimension)
            let exact = try benchmark.exactTop(threads: 1)
            let flat = try data.withUnsafeBufferPointer { try VectorIndex.build(kind: .flat, vectors: $0, dimension: dimension, configuration: .init(), threads: 1) }
            let scan = data.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: dimension, limit: 500) }
            let point = try benchmark.measureScan(scan, fallback: flat, efSearch: 16, exact: exact)
            // Both paths are exact here, so every answer is the exact one; the queries pointing away are not proven.
            #expect(point.recall > 0.999)
            #expect(point.provenShare > 0.5 && point.provenShare < 1, "\(point.provenShare)")
            #expect(point.meanExamined > 0 && point.meanExamined <= 500)
        }
    }

    @Test("vectors of equal length prove nothing early, so a partial scan hands over to the index")
    func equalLengthsAreNotProven() async throws {
        try await offTheLoops {
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
}
