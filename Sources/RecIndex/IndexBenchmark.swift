import Foundation

/// Measures an index against exact search: build time, recall@k and per-query latency at several efSearch values.
public struct IndexBenchmark: Sendable {
    /// One efSearch setting's figures.
    public struct Point: Sendable {
        /// The candidate list size searched with.
        public let efSearch: Int
        /// Mean share of the exact top k the index returned.
        public let recall: Double
        /// Median query time in milliseconds.
        public let p50: Double
        /// 99th percentile query time in milliseconds.
        public let p99: Double
    }

    /// Vectors indexed, row-major.
    public let vectors: [Float]
    /// Queries, row-major.
    public let queries: [Float]
    /// Width of both.
    public let dimension: Int
    /// Results compared per query.
    public let k: Int

    /// A benchmark over `vectors` with `queries`.
    public init(vectors: [Float], queries: [Float], dimension: Int, k: Int = 10) {
        self.vectors = vectors
        self.queries = queries
        self.dimension = dimension
        self.k = k
    }

    /// The exact top k of every query (by the flat index).
    public func exactTop(threads: Int) throws(IndexError) -> [[Int]] {
        let flat = try vectors.withUnsafeBufferPointer { buffer throws(IndexError) in
            try VectorIndex.build(kind: .flat, vectors: buffer, dimension: dimension, configuration: .init(), threads: threads)
        }
        return try queryRows().map { query throws(IndexError) in
            try query.withUnsafeBufferPointer { buffer throws(IndexError) in try flat.search(buffer, k: k).map(\.id) }
        }
    }

    /// Builds an HNSW index, returning it and the build time in seconds.
    public func buildHNSW(configuration: IndexConfiguration, threads: Int) throws(IndexError) -> (VectorIndex, Double) {
        let started = ContinuousClock.now
        let index = try vectors.withUnsafeBufferPointer { buffer throws(IndexError) in
            try VectorIndex.build(kind: .hnsw, vectors: buffer, dimension: dimension, configuration: configuration, threads: threads)
        }
        let elapsed = ContinuousClock.now - started
        return (index, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Recall and latency of `index` searched at `efSearch` (a copy of it, when that is not its own) against `exact`.
    public func measure(_ index: VectorIndex, efSearch: Int, exact: [[Int]]) throws(IndexError) -> Point {
        let index = try index.searching(efSearch: efSearch)
        let run = try timed(exact: exact) { query throws(IndexError) in
            try query.withUnsafeBufferPointer { buffer throws(IndexError) in try index.search(buffer, k: k) }
        }
        return Point(efSearch: efSearch, recall: run.recall, p50: run.p50, p99: run.p99)
    }

    /// The exact scan's figures, with `fallback` (searched at `efSearch`) answering what the scan cannot prove.
    public struct ScanPoint: Sendable {
        /// Share of queries the scan proved exactly.
        public let provenShare: Double
        /// Mean vectors the scan read per query.
        public let meanExamined: Double
        /// Mean share of the exact top k returned (scan or fallback).
        public let recall: Double
        /// Median query time in milliseconds (scan, then the fallback when needed).
        public let p50: Double
        /// 99th percentile query time in milliseconds.
        public let p99: Double
    }

    /// Runs every query through `scan` first and `fallback` when it cannot prove the answer, as serving does.
    public func measureScan(_ scan: NormOrderedScan, fallback: VectorIndex, efSearch: Int, exact: [[Int]]) throws(IndexError) -> ScanPoint {
        let fallback = try fallback.searching(efSearch: efSearch)
        var proven = 0
        var examinedTotal = 0
        let run = try timed(exact: exact) { query throws(IndexError) in
            var examined = 0
            let found = query.withUnsafeBufferPointer { scan.search($0, k: k, selection: nil, examined: &examined) }
            examinedTotal += examined
            if let found {
                proven += 1
                return found
            }
            return try query.withUnsafeBufferPointer { buffer throws(IndexError) in try fallback.search(buffer, k: k) }
        }
        let queries = Double(max(1, exact.count))
        return ScanPoint(
            provenShare: Double(proven) / queries, meanExamined: Double(examinedTotal) / queries,
            recall: run.recall, p50: run.p50, p99: run.p99
        )
    }

    /// Answers every query with `answer`, timing each: recall@k against `exact`, and p50 and p99 in milliseconds.
    private func timed(exact: [[Int]], _ answer: ([Float]) throws(IndexError) -> [IndexMatch]) throws(IndexError) -> (recall: Double, p50: Double, p99: Double) {
        var times: [Double] = []
        var hits = 0
        for (position, query) in queryRows().enumerated() {
            let started = ContinuousClock.now
            let found = try answer(query)
            let elapsed = ContinuousClock.now - started
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            hits += Set(found.map(\.id)).intersection(exact[position]).count
        }
        times.sort()
        let expected = exact.reduce(0) { $0 + $1.count }
        return (expected == 0 ? 1 : Double(hits) / Double(expected), times[times.count / 2], times[min(times.count - 1, Int(Double(times.count) * 0.99))])
    }

    private func queryRows() -> [[Float]] {
        stride(from: 0, to: queries.count, by: dimension).map { Array(queries[$0..<($0 + dimension)]) }
    }
}
