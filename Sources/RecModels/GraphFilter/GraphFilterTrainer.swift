import Foundation
import RecMath

/// The training-free graph filter (`graph_filter`), in the family of GF-CF (Shen et al., CIKM 2021) and ChebyCF
/// (SIGIR 2025): a low-pass filter over the normalised item–item graph P̃ = R̃ᵀR̃, whose eigenvalues λ lie in [0, 1].
/// ChebyCF approximates a "plateau" low-pass response over the whole spectrum by a Chebyshev polynomial, which costs
/// K sparse passes over the graph per user. Here the plateau is applied exactly on the leading `rank` eigenvalues
/// (found by a randomised eigensolver) and linearly (`linear_weight`·λ, one two-hop pass) on the rest, where the
/// plateau is nearly linear anyway; an ideal low-pass term (`ideal_weight`, GF-CF's) is added on the kept ones:
///
///     response(λ) = plateau(λ) + ideal_weight   (kept eigenvalues)      linear_weight · λ   (the rest)
///     plateau(λ)  = ½ + ½·|1 − 2λ|^flatness  for λ > ½,   ½ − ½·|1 − 2λ|^flatness  otherwise
///
/// "Training" is the graph's normalisation and eigensolve; scoring reads each user's history as it is at request time.
public struct GraphFilterTrainer: Sendable {
    /// The parameters the graph filter accepts.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("rank", default: 256, 1, 2_048, scale: .integerLogarithmic, "leading eigenvectors of the item graph kept (memory: items × rank floats)"),
        ParameterSpec("linear_weight", default: 1.5, 0, 10, scale: .linear, tuned: true, search: 0.5...2.5, "response per unit eigenvalue outside the kept eigenvectors (the two-hop term)"),
        ParameterSpec("ideal_weight", default: 0.3, 0, 10, scale: .linear, tuned: true, search: 0...1, "ideal low-pass response added on the kept eigenvectors"),
        ParameterSpec("flatness", default: 2.5, 0.1, 10, scale: .logarithmic, tuned: true, search: 0.5...5, "plateau exponent: higher keeps the response flat near 1 and 0 longer"),
        ParameterSpec("degree_power", default: 0.4, 0, 1, scale: .linear, tuned: true, search: 0.1...0.7, "β: histories divided by item degree^β before filtering, scores multiplied by it after"),
        ParameterSpec("power_iterations", default: 3, 1, 20, scale: .integer, "subspace iterations of the randomised eigensolver"),
        ParameterSpec("binary", default: 1, 0, 1, scale: .integer, "1 treats every interaction as 1; 0 uses the weights"),
        ParameterSpec.halfLifeDays("recency decay of event weights (with binary 0); 0 turns it off"),
    ]

    /// The validated parameters.
    public let parameters: ModelParameters

    /// A trainer with validated parameters.
    public init(parameters: ModelParameters) {
        self.parameters = parameters
    }

    /// Bytes training needs beyond the data: the normalised graph both ways, the eigensolver's blocks
    /// (items × width three times, users × width once) and the kept eigenvectors.
    public func memoryEstimate(users: Int, items: Int, pairs: Int) -> Int {
        let rank = min(parameters.int("rank"), users, items)
        let width = min(rank + 32, users, items)
        return pairs * 16 + (3 * items + users) * width * 4 + items * rank * 4
    }

    /// The plateau response at eigenvalue `lambda` of P̃.
    public static func plateau(_ lambda: Float, flatness: Float) -> Float {
        let x = 1 - 2 * lambda
        let bend = 0.5 * powf(abs(x), flatness)
        return x < 0 ? 0.5 + bend : 0.5 - bend
    }

    /// Normalises the graph, solves for its leading eigenpairs and sets the response weights.
    public func train(_ data: InteractionMatrix, context: TrainingContext) throws(TrainingError) -> GraphFilterModel {
        guard data.pairCount > 0 else { throw .insufficientData("there are no interactions to train on") }
        try context.checkCancellation()
        let binary = parameters.int("binary") == 1
        let normalized = NormalizedGraph(data, binary: binary)
        context.report(.init(stage: "normalize", epoch: 1, epochs: 1))
        let iterations = parameters.int("power_iterations")
        let solver = RandomizedEigensolver(rank: parameters.int("rank"), iterations: iterations, seed: context.seed, threads: context.threads)
        let spectrum: GramEigenpairs
        do {
            spectrum = try solver.solve(normalized.userItems, transpose: normalized.itemUsers, shouldStop: context.isCancelled) { done, of in
                context.report(.init(stage: "spectrum", epoch: done, epochs: of))
            }
        } catch .stopped {
            throw .cancelled
        } catch {
            throw .numerical("the eigensolver did not converge on the item graph; retry with another seed or params.rank")
        }
        let linear = parameters.float("linear_weight"), ideal = parameters.float("ideal_weight"), flatness = parameters.float("flatness")
        // P̃'s eigenvalues are at most 1; rounding may overshoot a little.
        let response = spectrum.values.map { value -> Float in
            let lambda = min(1, value)
            return Self.plateau(lambda, flatness: flatness) + ideal - linear * lambda
        }
        return GraphFilterModel(graph: normalized.userItems, itemDegrees: normalized.itemDegrees, basis: spectrum.vectors, spectralWeights: response,
                                linearWeight: linear, degreePower: parameters.float("degree_power"), binary: binary)
    }
}
