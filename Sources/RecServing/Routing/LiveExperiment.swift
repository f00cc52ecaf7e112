import RecCore
import RecTelemetry

/// A running experiment or rollout as serving routes it: each arm's view (its model version over the tenant's
/// catalogue), and the hash that sends a user to an arm. Immutable; a catalogue change builds a new one.
public final class LiveExperiment: Sendable {
    /// One arm: its name, share of users and view.
    public struct Arm: Sendable {
        /// The variant's name.
        public let name: String
        /// Its share of users, in percent.
        public let traffic: Int
        /// Its model version over the current catalogue.
        public let view: ServingView
    }

    /// `exp_…` or `ro_…`.
    public let id: String
    /// Hashed with the subject to choose its arm.
    public let salt: String
    /// The arms, in the stored order.
    public let arms: [Arm]
    private let traffic: [Int]

    /// An experiment serving `arms`.
    public init(id: String, salt: String, arms: [Arm]) {
        self.id = id
        self.salt = salt
        self.arms = arms
        traffic = arms.map(\.traffic)
    }

    /// The catalogue generation the arms' views were built on.
    var catalogueGeneration: Int? { arms.first?.view.catalogue.generation }

    /// The arm serving `subject` (a user id, or an item id for similar items asked without a user): the same on every
    /// replica and after restarts, with nothing stored per user.
    public func route(_ subject: String) -> (view: ServingView, arm: ServedArm) {
        // The shares sum to 100 (the API checks), so every bucket has an arm; the first is the safe answer otherwise.
        let index = TrafficSplit.choose(bucket: TrafficSplit.bucket(seed: salt, unit: subject), traffic: traffic) ?? 0
        let arm = arms[min(index, arms.count - 1)]
        return (arm.view, ServedArm(experimentID: id, variant: arm.name))
    }

    /// The same arms over `catalogue` (a walk over each arm's model items: build it off the event loops).
    func over(_ catalogue: ItemCatalogue) -> LiveExperiment {
        LiveExperiment(id: id, salt: salt, arms: arms.map { Arm(name: $0.name, traffic: $0.traffic, view: ServingView(model: $0.view.model, catalogue: catalogue)) })
    }
}
