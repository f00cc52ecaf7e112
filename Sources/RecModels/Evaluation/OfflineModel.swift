import RecCore

/// A model the offline commands (`eval`, `tune`) can measure: any family the service trains, or an evaluation-only
/// baseline such as `content`, which the API does not offer.
public enum OfflineModel: Sendable, Hashable, CustomStringConvertible {
    /// A family the service trains (`ModelCatalog`).
    case trained(ModelKind)
    /// The content-based baseline over item features (`ContentModel`).
    case content

    /// Every model, trained families first.
    public static var allCases: [OfflineModel] { ModelKind.allCases.map(OfflineModel.trained) + [.content] }

    /// The model named `name` (a `ModelKind` raw value or `content`), or nil.
    public init?(name: String) {
        if let kind = ModelKind(rawValue: name) {
            self = .trained(kind)
        } else if name == "content" {
            self = .content
        } else {
            return nil
        }
    }

    /// The name used on the command line and in parameter files.
    public var name: String {
        switch self {
        case .trained(let kind): kind.rawValue
        case .content: "content"
        }
    }

    /// The name.
    public var description: String { name }

    /// The family the service trains, or nil for an evaluation-only model.
    public var kind: ModelKind? {
        if case .trained(let kind) = self { kind } else { nil }
    }

    /// Whether training needs item features in the dataset.
    public var needsItemFeatures: Bool { self == .content }

    /// The parameters it accepts.
    public var parameters: [ParameterSpec] {
        switch self {
        case .trained(let kind): ModelCatalog.parameters(for: kind)
        case .content: ContentModelBuilder.parameters
        }
    }

    /// Validates `given` (errors name `params.<name>`).
    public func validate(_ given: [String: Double]) throws(RecError) -> ModelParameters {
        try ModelParameters(given, specs: parameters)
    }

    /// Trains (or builds) the model on `dataset`'s prepared `matrix`.
    public func train(
        parameters: ModelParameters, dataset: Dataset, matrix: InteractionMatrix, context: TrainingContext
    ) throws(TrainingError) -> any RecommendationModel {
        switch self {
        case .trained(let kind):
            try ModelCatalog.train(kind, parameters: parameters, dataset: dataset, matrix: matrix, context: context)
        case .content:
            try ContentModelBuilder(parameters: parameters).build(dataset: dataset, matrix: matrix, context: context)
        }
    }

    /// Bytes the model and its working buffers need, printed before training starts; `featureTokens` is the number
    /// of feature tokens over all items (content's vectors).
    public func memoryEstimate(parameters: ModelParameters, users: Int, items: Int, pairs: Int, featureTokens: Int, threads: Int) -> Int {
        switch self {
        case .trained(let kind):
            return ModelCatalog.memoryEstimate(kind, parameters: parameters, users: users, items: items, pairs: pairs, threads: threads)
        case .content:
            let data = pairs * 24 + (users + items) * 16
            // The item vectors (a column and a value per token, plus the building triplets) and a profile per thread.
            return data + featureTokens * 20 + threads * featureTokens * 4
        }
    }
}
