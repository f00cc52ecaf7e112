import RecCore
import RecModels

/// What a training job was asked to do, as stored in its params: model, parameters and promotion policy.
struct TrainingRequest: Sendable, Equatable {
    /// When the new version becomes the serving one.
    enum Promotion: String, Sendable, CaseIterable {
        /// Always.
        case always
        /// When nothing is served yet, or its holdout recall is at least the serving version's.
        case ifBetter = "if_better"
        /// Never: promote by hand.
        case never
    }

    let kind: ModelKind
    let parameters: ModelParameters
    let promote: Promotion

    /// Validates a request body or stored params; errors name the field.
    init(json: [String: JSONValue]) throws(RecError) {
        let known: Set<String> = ["model", "params", "promote"]
        if let unknown = json.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidField(unknown, "unknown field; expected model, params, promote")
        }
        guard let name = json["model"]?.stringValue else {
            throw .invalidField("model", "required: one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind = ModelKind(rawValue: name) else {
            throw .invalidField("model", "must be one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var given: [String: Double] = [:]
        if let params = json["params"] {
            guard let object = params.objectValue else { throw .invalidField("params", "must be an object of numbers") }
            for (key, value) in object {
                guard let number = value.numberValue else { throw .invalidField("params.\(key)", "must be a number") }
                given[key] = number
            }
        }
        var promote = Promotion.ifBetter
        if let value = json["promote"] {
            guard let text = value.stringValue, let policy = Promotion(rawValue: text) else {
                throw .invalidField("promote", "must be always, if_better or never")
            }
            promote = policy
        }
        self.kind = kind
        self.parameters = try ModelCatalog.validate(given, for: kind)
        self.promote = promote
    }

    /// The job params that reproduce this request (parameters with defaults filled in).
    var jobParams: [String: JSONValue] {
        [
            "model": .string(kind.rawValue),
            "params": .object(parameters.values.mapValues { .number($0) }),
            "promote": .string(promote.rawValue),
        ]
    }
}
