/// The experiment arm that served a list: which experiment or rollout, and which of its variants.
public struct ServedArm: Sendable, Equatable {
    /// `exp_…` or `ro_…`.
    public let experimentID: String
    /// The variant's name.
    public let variant: String

    /// An arm.
    public init(experimentID: String, variant: String) {
        self.experimentID = experimentID
        self.variant = variant
    }
}
