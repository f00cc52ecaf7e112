import RecIndex
import RecModels

extension FactorVectors {
    /// The vectors of a factor model (shared, not copied).
    public init(_ model: FactorModel) {
        self.init(itemFactors: model.itemFactors, itemBias: model.itemBias, userFactors: model.userFactors)
    }
}
