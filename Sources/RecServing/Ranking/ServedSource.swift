/// Where a served list came from.
public enum ServedSource: String, Sendable, CaseIterable {
    /// The model, with the user's stored factor (or the item's own embedding, for similar items).
    case model
    /// The model, with the user's factor solved from their current interactions.
    case foldIn = "fold_in"
    /// Popularity within the filters: no model, or nothing the model knows about the user or item.
    case fallback
}
