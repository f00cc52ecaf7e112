import RecCore

/// Validated hyper-parameters for one model: every name known, every value in range, defaults filled in.
public struct ModelParameters: Sendable, Equatable {
    /// The values by name (defaults included).
    public private(set) var values: [String: Double]

    /// Validates `given` against `specs`; unknown names and out-of-range values fail naming the field
    /// (`fieldPrefix` + name, e.g. `params.factors`).
    public init(_ given: [String: Double], specs: [ParameterSpec], fieldPrefix: String = "params.") throws(RecError) {
        var values: [String: Double] = [:]
        for spec in specs { values[spec.name] = spec.defaultValue }
        for name in given.keys.sorted() {
            let value = given[name]!
            guard let spec = specs.first(where: { $0.name == name }) else {
                let known = specs.map(\.name).joined(separator: ", ")
                throw .invalidField(fieldPrefix + name, "unknown parameter; this model accepts \(known)")
            }
            guard value.isFinite, value >= spec.minimum, value <= spec.maximum else {
                throw .invalidField(fieldPrefix + name, "must be between \(Self.format(spec.minimum)) and \(Self.format(spec.maximum))")
            }
            if spec.isInteger, value.rounded() != value {
                throw .invalidField(fieldPrefix + name, "must be a whole number")
            }
            values[name] = value
        }
        self.values = values
    }

    /// The value of `name` (which must be one of the model's parameters).
    public subscript(name: String) -> Double {
        guard let value = values[name] else { preconditionFailure("parameter \(name) is not declared") }
        return value
    }

    /// The value of `name` as an integer.
    public func int(_ name: String) -> Int { Int(self[name]) }

    /// The value of `name` as a float.
    public func float(_ name: String) -> Float { Float(self[name]) }

    /// Formats a number without a trailing `.0` for whole values.
    public static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
