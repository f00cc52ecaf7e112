import RecTesting
import Testing
@testable import RecIndex

@Suite("Vector index")
struct VectorIndexTests {
    /// Deterministic clustered vectors: `clusters` centres, each vector a centre plus small noise.
    static func vectors(count: Int, dimension: Int, clusters: Int, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        let centres = (0..<clusters * dimension).map { _ in next() }
        var values = [Float](repeating: 0, count: count * dimension)
        for row in 0..<count {
            let centre = row % clusters
            for d in 0..<dimension { values[row * dimension + d] = centres[centre * dimension + d] + 0.2 * next() }
        }
        return values
    }

    static func exactTop(_ vectors: [Float], dimension: Int, query: ArraySlice<Float>, k: Int, allowed: (Int) -> Bool = { _ in true }) -> [Int] {
        let count = vectors.count / dimension
        let scored = (0..<count).filter(allowed).map { row -> (Int, Float) in
            var dot: Float = 0
            for d in 0..<dimension { dot += vectors[row * dimension + d] * query[query.startIndex + d] }
            return (row, dot)
        }
        return scored.sorted { $0.1 > $1.1 }.prefix(k).map(\.0)
    }

    @Test("flat search is exact and honours the selection")
    func flatIsExact() async throws {
        try await offTheLoops {
            let dimension = 16
            let data = Self.vectors(count: 2_000, dimension: dimension, clusters: 20, seed: 1)
            let index = try data.withUnsafeBufferPointer {
                try VectorIndex.build(kind: .flat, vectors: $0, dimension: dimension, configuration: .init(), threads: 1)
            }
            #expect(index.count == 2_000)
            #expect(index.kind == .flat)
            let query = data[0..<dimension]
            let found = try Array(query).withUnsafeBufferPointer { try index.search($0, k: 10) }
            #expect(found.map(\.id) == Self.exactTop(data, dimension: dimension, query: query, k: 10))
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })

            var selection = SelectionBitmap(count: 2_000, allSelected: false)
            for id in stride(from: 1, to: 2_000, by: 7) { selection.insert(id) }
            let filtered = try Array(query).withUnsafeBufferPointer { try index.search($0, k: 10, selection: selection) }
            #expect(filtered.map(\.id) == Self.exactTop(data, dimension: dimension, query: query, k: 10) { $0 % 7 == 1 })
        }
    }

    @Test("HNSW finds the exact neighbours of clustered vectors, honours the selection and survives a round trip")
    func hnswRecallAndRoundTrip() async throws {
        try await offTheLoops {
            let dimension = 32
            let data = Self.vectors(count: 20_000, dimension: dimension, clusters: 100, seed: 7)
            let index = try data.withUnsafeBufferPointer {
                try VectorIndex.build(kind: .hnsw, vectors: $0, dimension: dimension, configuration: .init(efSearch: 128), threads: 2)
            }
            #expect(index.kind == .hnsw)
            var hits = 0
            let queries = stride(from: 0, to: 20_000, by: 200).map { $0 }
            for row in queries {
                let query = data[row * dimension..<(row + 1) * dimension]
                let found = try Array(query).withUnsafeBufferPointer { try index.search($0, k: 10) }
                hits += Set(found.map(\.id)).intersection(Self.exactTop(data, dimension: dimension, query: query, k: 10)).count
            }
            let recall = Double(hits) / Double(queries.count * 10)
            #expect(recall >= 0.95, "recall@10 \(recall)")

            var selection = SelectionBitmap(count: 20_000, allSelected: true)
            for id in 0..<10_000 { selection.remove(id) }
            let query = Array(data[0..<dimension])
            let filtered = try query.withUnsafeBufferPointer { try index.search($0, k: 20, selection: selection) }
            #expect(filtered.count == 20)
            #expect(filtered.allSatisfy { $0.id >= 10_000 })

            let bytes = try index.serialized()
            let copy = try VectorIndex.deserialize(bytes, dimension: dimension, efSearch: 128)
            #expect(copy.kind == .hnsw && copy.count == 20_000)
            let again = try query.withUnsafeBufferPointer { try copy.search($0, k: 10) }
            let original = try query.withUnsafeBufferPointer { try index.search($0, k: 10) }
            #expect(again == original)
        }
    }

    @Test("efSearch widens the HNSW search: on isotropic vectors (the hard case) a wide search finds far more; measuring other breadths searches copies and leaves the index as built")
    func efSearchMatters() async throws {
        try await offTheLoops {
            let dimension = 32
            var state: UInt64 = 99
            let data = (0..<(10_000 * dimension)).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(state >> 40) / Float(1 << 24) - 0.5
            }
            let index = try data.withUnsafeBufferPointer {
                try VectorIndex.build(kind: .hnsw, vectors: $0, dimension: dimension, configuration: .init(links: 8, efConstruction: 16), threads: 2)
            }
            let benchmark = IndexBenchmark(vectors: data, queries: Array(data[0..<(100 * dimension)]).map { $0 * 0.9 + 0.01 }, dimension: dimension)
            let exact = try benchmark.exactTop(threads: 1)
            let before = try benchmark.measure(index, efSearch: index.efSearch, exact: exact)
            let narrow = try benchmark.measure(index, efSearch: 10, exact: exact)
            let wide = try benchmark.measure(index, efSearch: 400, exact: exact)
            #expect(wide.recall > narrow.recall + 0.1, "efSearch 10: \(narrow.recall), efSearch 400: \(wide.recall)")
            #expect(index.efSearch == IndexConfiguration().efSearch)
            #expect(try benchmark.measure(index, efSearch: index.efSearch, exact: exact).recall == before.recall)
            #expect(try index.searching(efSearch: 400).efSearch == 400)
            #expect(try index.searching(efSearch: index.efSearch) === index)
        }
    }

    @Test("damaged bytes and mismatched queries are errors, not crashes")
    func errors() async throws {
        try await offTheLoops {
            #expect(throws: IndexError.self) { try VectorIndex.deserialize([1, 2, 3, 4, 5, 6, 7, 8], dimension: 4) }
            let index = try [Float](repeating: 1, count: 8).withUnsafeBufferPointer {
                try VectorIndex.build(kind: .flat, vectors: $0, dimension: 4, configuration: .init(), threads: 1)
            }
            #expect(throws: IndexError.self) { try [Float](repeating: 1, count: 3).withUnsafeBufferPointer { try index.search($0, k: 1) } }
            // An index saved for other vectors (an older layout) is refused, so serving rebuilds it instead of misreading.
            #expect(throws: IndexError.self) { try VectorIndex.deserialize(try index.serialized(), dimension: 5) }
            #expect(try VectorIndex.deserialize(try index.serialized(), dimension: 4).count == 2)
        }
    }
}
