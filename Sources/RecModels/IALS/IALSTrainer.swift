import Foundation
import RecMath

/// Implicit alternating least squares (Hu, Koren & Volinsky 2008) with conjugate-gradient or Cholesky solves.
///
/// Confidence of an observed pair is `1 + alpha · weight`; unobserved pairs have confidence 1 and preference 0.
/// Each half-step solves, for every user u, `(YᵀY + λ_u I + Σ_i alpha·w_ui y_i y_iᵀ) x_u = Σ_i (1 + alpha·w_ui) y_i`.
/// With `reg_exponent` ν > 0 the regularisation scales with frequency, λ_u = λ · n_u^ν (Rendle et al. 2022).
public struct IALSTrainer: Sendable {
    /// The parameters iALS accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("factors", default: 64, 1, 1024, scale: .integerLogarithmic, tuned: true, search: 16...512, "latent dimensions"),
        ParameterSpec("iterations", default: 15, 1, 200, scale: .integer, tuned: true, search: 8...30, "alternating sweeps (users then items)"),
        ParameterSpec("regularization", default: 0.01, 0, 1e6, scale: .logarithmic, tuned: true, search: 1e-3...1000, "L2 weight λ (plain, as implicit's, when reg_exponent is 0)"),
        ParameterSpec("alpha", default: 1, 0, 1e6, scale: .logarithmic, tuned: true, search: 0.1...100, "confidence = 1 + alpha · weight"),
        ParameterSpec("reg_exponent", default: 0, 0, 2, scale: .linear, search: 0...1, "frequency-scaled regularisation: λ_u = λ · n_u^reg_exponent"),
        ParameterSpec("cg_steps", default: 3, 0, 64, scale: .integer, "conjugate-gradient steps per solve; 0 uses an exact Cholesky solve"),
        ParameterSpec("init_scale", default: 0.01, 1e-6, 10, scale: .logarithmic, "factors start uniform in [0, init_scale)"),
        ParameterSpec.halfLifeDays(),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Bytes the model and its working buffers need for `users` × `items`.
    public func memoryEstimate(users: Int, items: Int, pairs: Int, threads: Int) -> Int {
        let k = parameters.int("factors")
        return (users + items) * k * 4 + k * k * 4 * (1 + threads) + threads * 4 * 256 * k * 4 + pairs * 16
    }

    /// Trains on `data`.
    public func train(_ data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> FactorModel {
        guard data.pairCount > 0 else { throw .insufficientData("there are no interactions to train on") }
        let k = parameters.int("factors")
        let iterations = parameters.int("iterations")
        var generator = SeededGenerator(seed: context.seed)
        var users = DenseMatrix.random(rows: data.userCount, cols: k, scale: parameters.float("init_scale"), using: &generator)
        var items = DenseMatrix.random(rows: data.itemCount, cols: k, scale: parameters.float("init_scale"), using: &generator)
        let solver = IALSSolver(factors: k, objective: IALSObjective(parameters), cgSteps: parameters.int("cg_steps"), threads: context.threads)
        for iteration in 1...iterations {
            try context.checkCancellation()
            try solver.solve(target: &users, fixed: &items, ratings: data.userItems, context: context)
            try context.checkCancellation()
            let userGram = try solver.solve(target: &items, fixed: &users, ratings: data.itemUsers, context: context)
            let loss = solver.loss(users: users, items: items, ratings: data.userItems, userGramDiagonal: userGram)
            context.report(.init(stage: "factorize", epoch: iteration, epochs: iterations, loss: loss))
        }
        return FactorModel(kind: .ials, userFactors: users, itemFactors: items)
    }
}
