/// A kind of event a tenant records, with the weight it contributes by default.
public struct InteractionType: Sendable, Equatable, Codable {
    /// The type's name, e.g. `purchase`.
    public var name: String
    /// The default weight of one event of this type.
    public var weight: Double
    /// Whether events of this type must carry a numeric `value` (ratings), which then becomes their weight.
    public var requiresValue: Bool

    /// Creates an interaction type.
    public init(name: String, weight: Double, requiresValue: Bool = false) {
        self.name = name
        self.weight = weight
        self.requiresValue = requiresValue
    }

    /// The types every new tenant starts with.
    public static let defaults: [InteractionType] = [
        InteractionType(name: "view", weight: 1),
        InteractionType(name: "click", weight: 2),
        InteractionType(name: "add_to_cart", weight: 4),
        InteractionType(name: "purchase", weight: 8),
        InteractionType(name: "rating", weight: 1, requiresValue: true),
    ]
}
