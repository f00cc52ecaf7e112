import Yams

/// A YAML node with its path in the document, so every error names the field it is about.
struct SpecNode {
    let node: Node
    let path: String

    /// The mapping's entries, refusing keys outside `allowed` (a misspelt key would otherwise be silently ignored).
    func mapping(allowed: Set<String>) throws -> [String: SpecNode] {
        guard let mapping = node.mapping else { throw SLOSpecError(field: path, "must be a mapping") }
        var entries: [String: SpecNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw SLOSpecError(field: path, "keys must be strings") }
            guard allowed.contains(name) else {
                throw SLOSpecError(field: child(name), "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            entries[name] = SpecNode(node: value, path: child(name))
        }
        return entries
    }

    /// The sequence's elements.
    func sequence() throws -> [SpecNode] {
        guard let sequence = node.sequence else { throw SLOSpecError(field: path, "must be a list") }
        return sequence.enumerated().map { SpecNode(node: $0.element, path: "\(path)[\($0.offset)]") }
    }

    /// The scalar as text.
    func string() throws -> String {
        guard node.scalar != nil, let text = node.string else { throw SLOSpecError(field: path, "must be a string") }
        return text
    }

    /// The scalar as a number.
    func number() throws -> Double {
        guard node.scalar != nil, let value = node.float ?? node.int.map(Double.init) else { throw SLOSpecError(field: path, "must be a number") }
        return value
    }

    /// A mapping of strings to strings (labels, annotations).
    func stringMap() throws -> [String: String] {
        guard let mapping = node.mapping else { throw SLOSpecError(field: path, "must be a mapping of strings") }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, let text = value.string, value.scalar != nil else {
                throw SLOSpecError(field: path, "must be a mapping of strings")
            }
            result[name] = text
        }
        return result
    }

    /// A list of strings.
    func strings() throws -> [String] {
        try sequence().map { try $0.string() }
    }

    /// A duration written as a number and a unit (`250ms`, `25ms`, `1h`, `7d`), in seconds.
    func duration() throws -> Double {
        let text = try string()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)]
        for (unit, scale) in units where text.hasSuffix(unit) {
            if let value = Double(text.dropLast(unit.count)), value >= 0, value.isFinite { return value * scale }
        }
        throw SLOSpecError(field: path, "must be a duration such as 25ms, 30s, 5m, 1h or 7d")
    }

    private func child(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
