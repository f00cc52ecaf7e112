import RecCore
import RecMath

/// Every model family's parameters and a single entry point that validates parameters and trains.
public enum ModelCatalog {
    /// The parameters `kind` accepts.
    public static func parameters(for kind: ModelKind) -> [ParameterSpec] {
        switch kind {
        case .popularity: PopularityTrainer.parameters
        case .itemknn: ItemKNNTrainer.parameters
        case .ials: IALSTrainer.parameters
        case .bpr: BPRTrainer.parameters
        case .ease: EASETrainer.parameters
        case .graphFilter: GraphFilterTrainer.parameters
        case .lightgcn: LightGCNTrainer.parameters
        case .twoTower: TwoTowerTrainer.parameters
        }
    }

    /// Validates `given` for `kind` (errors name `params.<name>`).
    public static func validate(_ given: [String: Double], for kind: ModelKind) throws(RecError) -> ModelParameters {
        try ModelParameters(given, specs: parameters(for: kind))
    }

    /// Builds the training matrix (applying `half_life_days`) and trains `kind`.
    public static func train(
        _ kind: ModelKind, parameters: ModelParameters, dataset: Dataset, context: TrainingContext
    ) throws(TrainingError) -> any RecommendationModel {
        let matrix = dataset.matrix(halfLifeDays: parameters["half_life_days"])
        return try train(kind, parameters: parameters, dataset: dataset, matrix: matrix, context: context)
    }

    /// Trains `kind` on `dataset`'s prepared matrix (`matrix`); models that read features or event order get the
    /// dataset too.
    public static func train(
        _ kind: ModelKind, parameters: ModelParameters, dataset: Dataset, matrix: InteractionMatrix, context: TrainingContext
    ) throws(TrainingError) -> any RecommendationModel {
        switch kind {
        case .popularity: try PopularityTrainer(parameters: parameters).train(matrix, context: context)
        case .itemknn: try ItemKNNTrainer(parameters: parameters).train(matrix, context: context)
        case .ials: try IALSTrainer(parameters: parameters).train(matrix, context: context)
        case .bpr: try BPRTrainer(parameters: parameters).train(matrix, context: context)
        case .ease: try EASETrainer(parameters: parameters).train(matrix, context: context)
        case .graphFilter: try GraphFilterTrainer(parameters: parameters).train(matrix, context: context)
        case .lightgcn: try LightGCNTrainer(parameters: parameters).train(matrix, context: context)
        case .twoTower: try TwoTowerTrainer(parameters: parameters).train(dataset, matrix: matrix, context: context)
        }
    }

    /// Bytes the trained model and its working buffers need, printed before training starts.
    public static func memoryEstimate(_ kind: ModelKind, parameters: ModelParameters, users: Int, items: Int, pairs: Int, threads: Int) -> Int {
        let data = pairs * 24 + (users + items) * 16
        switch kind {
        case .popularity: return data + items * 4
        case .itemknn: return data + items * parameters.int("neighbors") * 16 + threads * items * 4
        case .ials: return data + IALSTrainer(parameters: parameters).memoryEstimate(users: users, items: items, pairs: pairs, threads: threads)
        case .bpr: return data + (users + items) * parameters.int("factors") * 4 + pairs * 4
        case .ease: return data + EASETrainer.memoryEstimate(items: items)
        case .graphFilter: return data + GraphFilterTrainer(parameters: parameters).memoryEstimate(users: users, items: items, pairs: pairs)
        case .lightgcn: return data + LightGCNTrainer(parameters: parameters).memoryEstimate(users: users, items: items, pairs: pairs)
        case .twoTower: return data + TwoTowerTrainer(parameters: parameters).memoryEstimate(users: users, items: items, pairs: pairs)
        }
    }
}
