/// A permission carried by an API key.
public enum Scope: String, Sendable, Codable, CaseIterable, Comparable {
    /// Write items, users and interactions; run imports.
    case ingest
    /// Ask for recommendations and similar items.
    case recommend
    /// Manage models, keys, webhooks and settings.
    case manage

    /// Orders scopes by name so lists print stably.
    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }
}
