import Foundation
import RecCore

/// A reusable parameter file: the model, its parameters and, when written by `tune`, how they scored.
///
/// `{"model":"ials","params":{"factors":256,...},"k":20,"split":"random:0.2:7","validation":{"recall@20":0.18,...}}`.
/// A flat object of parameters (`{"factors":256}`) is read too.
public struct ParameterFile: Sendable, Equatable {
    /// The model, when the file names one.
    public var model: OfflineModel?
    /// Parameter values by name.
    public var params: [String: Double]
    /// The cut-off the validation figures are at.
    public var k: Int?
    /// The validation split tuning used.
    public var split: String?
    /// Validation metrics of these settings.
    public var validation: [String: Double]
    /// Trials the tuner ran.
    public var trials: Int?

    /// Creates a file value.
    public init(model: OfflineModel?, params: [String: Double], k: Int? = nil, split: String? = nil, validation: [String: Double] = [:], trials: Int? = nil) {
        self.model = model
        self.params = params
        self.k = k
        self.split = split
        self.validation = validation
        self.trials = trials
    }

    /// Reads and checks a file; errors name the offending key.
    public static func read(path: String) throws(RecError) -> ParameterFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw .invalidField("params", "cannot read \(path)") }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw .malformedBody("\(path) is not JSON")
        }
        guard let object = value.objectValue else { throw .malformedBody("\(path) must hold a JSON object") }
        var file = ParameterFile(model: nil, params: [:])
        let nested = object["params"]?.objectValue
        if let name = object["model"] {
            guard let text = name.stringValue, let model = OfflineModel(name: text) else {
                throw .invalidField("model", "must be one of \(OfflineModel.allCases.map(\.name).joined(separator: ", "))")
            }
            file.model = model
        }
        for (name, raw) in nested ?? object where nested != nil || !["model", "k", "split", "validation", "trials"].contains(name) {
            guard let number = raw.numberValue else { throw .invalidField("params.\(name)", "must be a number") }
            file.params[name] = number
        }
        file.k = object["k"]?.numberValue.flatMap { Int(exactly: $0) }
        file.split = object["split"]?.stringValue
        file.trials = object["trials"]?.numberValue.flatMap { Int(exactly: $0) }
        for (name, raw) in object["validation"]?.objectValue ?? [:] {
            if let number = raw.numberValue { file.validation[name] = number }
        }
        return file
    }

    /// The file as pretty, key-sorted JSON.
    public func json() -> String {
        var object: [String: JSONValue] = ["params": .object(params.mapValues { .number($0) })]
        if let model { object["model"] = .string(model.name) }
        if let k { object["k"] = .number(Double(k)) }
        if let split { object["split"] = .string(split) }
        if !validation.isEmpty { object["validation"] = .object(validation.mapValues { .number(($0 * 1e6).rounded() / 1e6) }) }
        if let trials { object["trials"] = .number(Double(trials)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONValue.object(object))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
