/// The model families the trainer knows.
public enum ModelKind: String, Sendable, CaseIterable, Codable {
    case popularity
    case itemknn
    case ials
    case bpr
    case ease
    case graphFilter = "graph_filter"
    case lightgcn
    case twoTower = "two_tower"
}
