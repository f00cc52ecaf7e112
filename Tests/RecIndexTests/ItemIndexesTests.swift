import RecIndex
import RecMath
import RecTesting
import Testing

@Suite("Item indexes")
struct ItemIndexesTests {
    /// Factor vectors with `items` item vectors whose lengths fall off as `length(rank)`, and users near the items'
    /// common direction.
    static func model(items: Int, users: Int, k: Int, length: (Int) -> Float) -> FactorVectors {
        var state: UInt64 = 41
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        var itemValues = [Float](repeating: 0, count: items * k)
        for item in 0..<items {
            let row = (0..<k).map { _ in next() + 0.4 }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for d in 0..<k { itemValues[item * k + d] = row[d] / norm * length(item) }
        }
        let userValues = (0..<(users * k)).map { _ in next() + 0.4 }
        return FactorVectors(itemFactors: DenseMatrix(rows: items, cols: k, values: itemValues), itemBias: [],
                             userFactors: DenseMatrix(rows: users, cols: k, values: userValues))
    }

    @Test("the exact scan is kept for a model whose lengths fall off, and dropped where it would rarely prove a list")
    func scanCalibration() async throws {
        try await offTheLoops {
            let configuration = IndexConfiguration(scanLimit: 200)
            let skewed = Self.model(items: 2_000, users: 300, k: 16) { 1 / (1 + Float($0) / 10) }
            let kept = try ItemIndexes.build(model: skewed, configuration: configuration, threads: 1)
            #expect(kept.recommendScan != nil)
            #expect((kept.scanProvenShare ?? 0) >= ItemIndexes.scanMinimumProvenShare)

            let even = Self.model(items: 2_000, users: 300, k: 16) { _ in 1 }
            let dropped = try ItemIndexes.build(model: even, configuration: configuration, threads: 1)
            #expect(dropped.recommendScan == nil)
            #expect((dropped.scanProvenShare ?? 1) < ItemIndexes.scanMinimumProvenShare)

            // Turned off by configuration: neither built nor measured; a read-back index calibrates the same way.
            let off = try ItemIndexes.build(model: skewed, configuration: IndexConfiguration(scanLimit: 0), threads: 1)
            #expect(off.recommendScan == nil && off.scanProvenShare == nil)
            let decoded = try ItemIndexes.decode(try kept.encode(), model: skewed, configuration: configuration)
            #expect(decoded.scanProvenShare == kept.scanProvenShare)
        }
    }
}
