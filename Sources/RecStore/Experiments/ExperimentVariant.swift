/// One arm of an experiment or rollout: a name, the model version it serves, and its share of users.
public struct ExperimentVariant: Sendable, Equatable, Codable {
    /// The arm's name (`control`, `treatment`; a rollout's are `baseline` and `candidate`).
    public let name: String
    /// The model version its users are served.
    public let model_version: String
    /// Its share of users, in percent (the arms' shares sum to 100).
    public let traffic: Int

    /// An arm.
    public init(name: String, modelVersion: String, traffic: Int) {
        self.name = name
        self.model_version = modelVersion
        self.traffic = traffic
    }
}
