import RecMath
import RecTesting
import Testing

@Suite("Gaussian draws")
struct GaussianTests {
    @Test("nextGaussian is standard normal and reproducible from a seed")
    func standardNormal() async throws {
        try await offTheLoops {
            var generator = SeededGenerator(seed: 42)
            let samples = (0..<200_000).map { _ in Double(generator.nextGaussian()) }
            let mean = samples.reduce(0, +) / Double(samples.count)
            let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)
            #expect(abs(mean) < 0.01, "mean \(mean)")
            #expect(abs(variance - 1) < 0.02, "variance \(variance)")
            // About 68.3% within one deviation and 95.4% within two.
            let within1 = Double(samples.filter { abs($0) < 1 }.count) / Double(samples.count)
            let within2 = Double(samples.filter { abs($0) < 2 }.count) / Double(samples.count)
            #expect(abs(within1 - 0.6827) < 0.01, "within 1σ: \(within1)")
            #expect(abs(within2 - 0.9545) < 0.01, "within 2σ: \(within2)")
            var again = SeededGenerator(seed: 42)
            #expect((0..<100).map { _ in Double(again.nextGaussian()) } == Array(samples.prefix(100)))
        }
    }
}
