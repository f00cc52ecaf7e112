import Foundation

/// The weights of the iALS objective, defined once: an observed pair with weight w has confidence 1 + alpha·w, and a
/// row with n observed entries is regularised by λ_n = λ · n^ν (`reg_exponent` ν; plain λ when ν is 0). The trainer's
/// solver and fold-in both solve with it.
struct IALSObjective: Sendable, Equatable {
    /// Confidence per unit of weight.
    let alpha: Float
    /// The L2 weight λ.
    let regularization: Float
    /// The frequency exponent ν.
    let regExponent: Float

    /// An objective with these weights.
    init(alpha: Float, regularization: Float, regExponent: Float) {
        self.alpha = alpha
        self.regularization = regularization
        self.regExponent = regExponent
    }

    /// The objective of validated iALS parameters.
    init(_ parameters: ModelParameters) {
        self.init(alpha: parameters.float("alpha"), regularization: parameters.float("regularization"), regExponent: parameters.float("reg_exponent"))
    }

    /// The objective an iALS version was trained with, from the parameters its artifact recorded (the trainer's
    /// defaults for any it lacks).
    init(recordedIALS parameters: [String: Double]) {
        self.init(
            alpha: Self.value("alpha", parameters, IALSTrainer.parameters),
            regularization: Self.value("regularization", parameters, IALSTrainer.parameters),
            regExponent: Self.value("reg_exponent", parameters, IALSTrainer.parameters)
        )
    }

    /// The least-squares projection used for a BPR version (trained on another loss, so an approximation): confidence
    /// 1 + w and BPR's own L2 weight (its default when the artifact lacks it), not scaled by frequency.
    init(recordedBPR parameters: [String: Double]) {
        self.init(alpha: 1, regularization: Self.value("regularization", parameters, BPRTrainer.parameters), regExponent: 0)
    }

    /// λ for a row with `count` observed entries.
    @inline(__always)
    func lambda(count: Int) -> Float {
        regExponent > 0 ? regularization * Float(pow(Double(max(count, 1)), Double(regExponent))) : regularization
    }

    /// `name` as recorded, else its default in `specs`.
    private static func value(_ name: String, _ recorded: [String: Double], _ specs: [ParameterSpec]) -> Float {
        if let value = recorded[name] { return Float(value) }
        // The names asked for are declared in the trainers' specs (a programmer error otherwise).
        guard let spec = specs.first(where: { $0.name == name }) else { preconditionFailure("parameter \(name) is not declared") }
        return Float(spec.defaultValue)
    }
}
