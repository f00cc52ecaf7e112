import Foundation
import RecMath
import RecModels
import RecTesting
import Testing

@Suite("Fold-in")
struct FoldInTests {
    static let items: [Int32] = [1, 4, 9, 16, 25]
    static let weights: [Float] = [1, 2, 1, 3, 1]

    /// A model of `kind` over 50 small random item factors of width 8.
    static func model(_ kind: ModelKind) -> FactorModel {
        var generator = SeededGenerator(seed: 5)
        let itemFactors = DenseMatrix.random(rows: 50, cols: 8, scale: 0.1, using: &generator)
        return FactorModel(kind: kind, userFactors: DenseMatrix(rows: 1, cols: 8), itemFactors: itemFactors)
    }

    /// ‖A x − b‖ / ‖b‖ for the user system `(YᵀY + λI + Σ alpha·w y yᵀ) x = Σ (1 + alpha·w) y`, in double precision.
    static func residual(_ x: [Float], _ model: FactorModel, alpha: Double, lambda: Double) -> Double {
        let k = model.factors
        func row(_ item: Int) -> [Double] { (0..<k).map { Double(model.itemFactors.values[item * k + $0]) } }
        func dot(_ a: [Double], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * Double($1.1) } }
        var ax = x.map { lambda * Double($0) }
        var b = [Double](repeating: 0, count: k)
        for item in 0..<model.itemCount {
            let y = row(item), projection = dot(y, x)
            for d in 0..<k { ax[d] += y[d] * projection }
        }
        for (position, item) in items.enumerated() {
            let y = row(Int(item)), confidence = alpha * Double(weights[position]), projection = dot(y, x)
            for d in 0..<k {
                ax[d] += confidence * y[d] * projection
                b[d] += (1 + confidence) * y[d]
            }
        }
        let error = zip(ax, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (error / b.reduce(0) { $0 + $1 * $1 }).squareRoot()
    }

    @Test("fold-in solves the trainer's system with the alpha, λ and frequency exponent the version recorded")
    func recordedParameters() async throws {
        try await offTheLoops {
            let model = Self.model(.ials)
            let x = FoldIn(model: model, parameters: ["alpha": 4, "regularization": 0.05, "reg_exponent": 1]).solve(items: Self.items, weights: Self.weights)
            // λ scaled by the user's five items.
            #expect(Self.residual(x, model, alpha: 4, lambda: 0.25) < 1e-3)
            #expect(Self.residual(x, model, alpha: 4, lambda: 0.05) > 1e-2, "the check tells an unscaled λ apart")
        }
    }

    @Test("parameters an artifact lacks take the trainer's defaults: iALS's for iALS, BPR's L2 weight for BPR")
    func defaults() async throws {
        try await offTheLoops {
            let ials = Self.model(.ials)
            let x = FoldIn(model: ials, parameters: [:]).solve(items: Self.items, weights: Self.weights)
            #expect(Self.residual(x, ials, alpha: 1, lambda: 0.01) < 1e-3)
            let bpr = Self.model(.bpr)
            let y = FoldIn(model: bpr, parameters: [:]).solve(items: Self.items, weights: Self.weights)
            #expect(Self.residual(y, bpr, alpha: 1, lambda: 0.001) < 1e-3)
            #expect(Self.residual(y, bpr, alpha: 1, lambda: 0.01) > 1e-2, "BPR's default is not iALS's")
        }
    }
}
