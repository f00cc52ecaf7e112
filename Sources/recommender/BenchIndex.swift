import ArgumentParser
import Foundation
import RecIndex
import RecMath
import RecModels

/// `recommender bench-index`: HNSW build time, memory, recall@10 against exact search and query latency, on
/// synthetic clustered embeddings or on a trained model's item factors (queried with its user factors).
struct BenchIndex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-index",
        abstract: "Measure the item index: build time, memory, recall@10 against exact search, latency per efSearch."
    )

    @Option(help: "Synthetic items (ignored with --artifact).")
    var items: Int = 1_000_000

    @Option(help: "Synthetic dimensions.")
    var dimension: Int = 64

    @Option(help: "Gaussian clusters the synthetic items are drawn from (real embeddings are clustered; isotropic noise is the worst case).")
    var clusters: Int = 1_000

    @Option(help: "A model artifact (iALS/BPR): index its item factors, query with its user factors.")
    var artifact: String?

    @Flag(help: "Index the artifact's item factors as they are, without the norm completion serving applies.")
    var rawInnerProduct = false

    @Option(help: "Queries measured.")
    var queries: Int = 1_000

    @Option(help: "efSearch values, comma-separated.")
    var efSearch: String = "32,64,96,128,256"

    @Option(help: "HNSW links per node (M).")
    var links: Int = 32

    @Option(help: "HNSW efConstruction.")
    var efConstruction: Int = IndexConfiguration().efConstruction

    @Option(help: "Vectors the exact norm-ordered scan holds (0: skip it).")
    var scanLimit: Int = IndexConfiguration().scanLimit

    @Option(help: "Build threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        let efs = efSearch.split(separator: ",").compactMap { Int($0) }
        guard !efs.isEmpty, efs.allSatisfy({ $0 > 0 }) else { throw ValidationError("--ef-search must list positive integers") }
        let (vectors, queryVectors, width, label) = try load()
        // The scan reads vectors without the norm-completing column (a query's first `scanWidth` entries).
        let scanWidth = artifact != nil && !rawInnerProduct ? width - 1 : width
        let scanVectors = scanWidth == width ? vectors : stride(from: 0, to: vectors.count, by: width).flatMap { vectors[$0..<($0 + scanWidth)] }
        let rssBefore = Self.residentMiB()
        let benchmark = IndexBenchmark(vectors: vectors, queries: queryVectors, dimension: width)
        let configuration = IndexConfiguration(hnswMinimumVectors: 0, links: links, efConstruction: efConstruction)
        let (index, buildSeconds) = try benchmark.buildHNSW(configuration: configuration, threads: threads)
        let rssAfter = Self.residentMiB()
        let bytes = try index.serialized().count
        print("\(label): \(vectors.count / width) vectors × \(width); HNSW M=\(links) efConstruction=\(efConstruction), \(threads) threads")
        print(String(format: "build %.1f s; index %.0f MiB serialised; process RSS +%.0f MiB (%.0f MiB total)",
                     buildSeconds, Double(bytes) / 1_048_576, rssAfter - rssBefore, rssAfter))
        let exact = try benchmark.exactTop(threads: threads)
        for ef in efs {
            let point = try benchmark.measure(index, efSearch: ef, exact: exact)
            print(String(format: "efSearch %4d: recall@10 %.4f  p50 %.3f ms  p99 %.3f ms  (%d queries, one thread)", ef, point.recall, point.p50, point.p99, queries))
        }
        if scanLimit > 0 {
            // As serving does: the exact scan over the (uncompleted) vectors first, HNSW for what it cannot prove.
            let scan = scanVectors.withUnsafeBufferPointer { NormOrderedScan(vectors: $0, dimension: scanWidth, limit: scanLimit) }
            let ef = efs.contains(IndexConfiguration().efSearch) ? IndexConfiguration().efSearch : efs[efs.count / 2]
            let point = try benchmark.measureScan(scan, fallback: index, efSearch: ef, exact: exact)
            print(String(format: "exact scan of the %d longest, then efSearch %d: %.1f%% proven exactly, %.0f vectors read on average; recall@10 %.4f  p50 %.3f ms  p99 %.3f ms",
                         scan.count, ef, point.provenShare * 100, point.meanExamined, point.recall, point.p50, point.p99))
        }
        print("load: \(String((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.prefix(14) ?? ""))")
    }

    private func load() throws -> ([Float], [Float], Int, String) {
        if let artifact {
            let decoded = try ModelArtifact.decode(Array(try Data(contentsOf: URL(fileURLWithPath: artifact))))
            guard let model = decoded.model as? FactorModel else { throw ValidationError("--artifact must be an iALS or BPR model") }
            var generator = SeededGenerator(seed: 42)
            let k = model.factors
            var picked: [Float] = []
            for _ in 0..<queries {
                let user = Int.random(in: 0..<model.userCount, using: &generator)
                picked += model.userFactors.values[user * k..<(user + 1) * k]
            }
            if rawInnerProduct {
                return (model.itemFactors.values, picked, k, "\(decoded.kind.rawValue) item factors from \(artifact), raw")
            }
            let queries = stride(from: 0, to: picked.count, by: k).flatMap { NormCompletion.query(Array(picked[$0..<($0 + k)])) }
            return (NormCompletion.augment(model.itemFactors.values, dimension: k), queries, k + 1,
                    "\(decoded.kind.rawValue) item factors from \(artifact), norm-completed as served")
        }
        var generator = SeededGenerator(seed: 7)
        func gaussian() -> Float { generator.nextGaussian() }
        let centres = (0..<clusters * dimension).map { _ in gaussian() }
        var vectors = [Float](repeating: 0, count: items * dimension)
        for row in 0..<items {
            let centre = Int.random(in: 0..<clusters, using: &generator)
            for d in 0..<dimension { vectors[row * dimension + d] = centres[centre * dimension + d] + 0.35 * gaussian() }
        }
        var queryVectors: [Float] = []
        for _ in 0..<queries {
            let centre = Int.random(in: 0..<clusters, using: &generator)
            for d in 0..<dimension { queryVectors.append(centres[centre * dimension + d] + 0.35 * gaussian()) }
        }
        return (vectors, queryVectors, dimension, "synthetic: \(clusters) Gaussian clusters (σ 0.35 around N(0,1) centres)")
    }

    private static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }
}
