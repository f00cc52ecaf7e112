/// One hyper-parameter a model accepts: its name, default, allowed range and meaning.
public struct ParameterSpec: Sendable {
    /// How a tuner should sample the parameter.
    public enum Scale: Sendable {
        /// Uniform between the bounds.
        case linear
        /// Uniform in log space (for regularisation, learning rates, alpha).
        case logarithmic
        /// Integers, uniform in log space (for factors, neighbours).
        case integerLogarithmic
        /// Integers, uniform.
        case integer
    }

    /// The name used in `--param` and in JSON.
    public let name: String
    /// The value when not given.
    public let defaultValue: Double
    /// Smallest accepted value.
    public let minimum: Double
    /// Largest accepted value.
    public let maximum: Double
    /// Sampling scale for tuning.
    public let scale: Scale
    /// Whether `recommender tune` searches it by default.
    public let tuned: Bool
    /// One-line meaning, shown in help and docs.
    public let summary: String
    /// The range a tuner searches (narrower than the accepted range).
    public let searchRange: ClosedRange<Double>

    /// Creates a spec; the search range defaults to the accepted range.
    public init(_ name: String, default defaultValue: Double, _ minimum: Double, _ maximum: Double,
                scale: Scale, tuned: Bool = false, search: ClosedRange<Double>? = nil, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.scale = scale
        self.tuned = tuned
        self.summary = summary
        self.searchRange = search ?? minimum...maximum
    }

    /// `half_life_days`, which every model accepts: the recency decay applied when the training matrix is built.
    public static func halfLifeDays(_ summary: String = "recency decay of event weights; 0 turns it off") -> ParameterSpec {
        ParameterSpec("half_life_days", default: 0, 0, 36_500, scale: .linear, summary)
    }

    /// The same spec searched over `range` instead.
    public func searching(_ range: ClosedRange<Double>) -> ParameterSpec {
        ParameterSpec(name, default: defaultValue, minimum, maximum, scale: scale, tuned: tuned, search: range, summary)
    }

    /// Whether only whole numbers are valid.
    public var isInteger: Bool { scale == .integer || scale == .integerLogarithmic }
}
