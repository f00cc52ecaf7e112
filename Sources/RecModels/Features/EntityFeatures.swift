import RecCore

/// What a model may know about an item or a user besides their interactions: categorical `field=value` tokens and
/// numeric values by name, read from the catalogue entry or the user's properties.
public struct EntityFeatures: Sendable, Equatable {
    /// Categorical features as `field=value` tokens: `category=…`, `tag=…`, `title=<word>`, and one per string
    /// (or boolean, or string-array element) property, e.g. `color=red`.
    public var tokens: [String]
    /// Numeric properties by name (finite values only).
    public var numbers: [String: Double]

    /// No features.
    public static let empty = EntityFeatures(tokens: [], numbers: [:])

    /// Creates features from tokens and numbers.
    public init(tokens: [String], numbers: [String: Double]) {
        self.tokens = tokens
        self.numbers = numbers
    }

    /// An item's features: its category, tags, title words (lower-cased, split on anything not a letter or digit)
    /// and properties.
    public init(item: Item) {
        var tokens: [String] = []
        if let category = item.category, !category.isEmpty { tokens.append("category=\(category)") }
        tokens += item.tags.map { "tag=\($0)" }
        if let title = item.title {
            let words = title.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
            var seen = Set<String>()
            tokens += words.filter { seen.insert($0).inserted }.map { "title=\($0)" }
        }
        self = Self(properties: item.properties, prefix: tokens)
    }

    /// A user's features: their properties.
    public init(userProperties: [String: JSONValue]) {
        self = Self(properties: userProperties, prefix: [])
    }

    /// Tokens for string, boolean and string-array properties, numbers for numeric ones (nested objects and nulls
    /// carry no feature); `prefix` tokens come first.
    private init(properties: [String: JSONValue], prefix: [String]) {
        var tokens = prefix
        var numbers: [String: Double] = [:]
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            switch value {
            case .string(let text): tokens.append("\(name)=\(text)")
            case .bool(let flag): tokens.append("\(name)=\(flag)")
            case .number(let number) where number.isFinite: numbers[name] = number
            case .array(let elements):
                tokens += elements.compactMap { $0.stringValue.map { "\(name)=\($0)" } }
            default: break
            }
        }
        self.tokens = tokens
        self.numbers = numbers
    }

    /// Whether there is nothing to go on.
    public var isEmpty: Bool { tokens.isEmpty && numbers.isEmpty }
}
