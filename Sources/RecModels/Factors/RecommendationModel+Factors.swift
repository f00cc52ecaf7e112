extension RecommendationModel {
    /// The user and item vectors this model serves through the item indexes, for the models that have them (the
    /// factor models themselves, and the two-tower model's precomputed tower outputs); nil for the others.
    public var servingFactors: FactorModel? {
        switch self {
        case let factors as FactorModel: factors
        case let towers as TwoTowerModel: towers.vectors
        default: nil
        }
    }
}
