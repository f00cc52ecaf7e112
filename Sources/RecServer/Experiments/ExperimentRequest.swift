import RecCore
import RecStore

/// A validated `POST /api/v1/experiments` body: a name, two or more arms whose traffic sums to 100, and how it is judged.
/// Whether the versions exist and verify is checked by the controller against the store.
struct ExperimentRequest: Sendable {
    let name: String
    let variants: [ExperimentVariant]
    let settings: ExperimentSettings

    /// The most arms an experiment may have.
    static let maxVariants = 10

    /// Parses `body`; `RecError.invalidField` names the first bad field.
    init(json body: JSONValue) throws {
        var reader = FieldReader(body, path: "")
        reader.rejectUnknownKeys(["name", "variants", "primary_metric", "alpha", "conversion_type"])
        let name = reader.optionalString("name", maxBytes: 256)
        if name == nil { reader.fail("name", "is required") } else if name?.isEmpty == true { reader.fail("name", "must not be empty") }
        let metric = reader.optionalString("primary_metric", maxBytes: 64)
        if let metric, !ExperimentAnalysis.metrics.contains(metric) {
            reader.fail("primary_metric", "must be one of \(ExperimentAnalysis.metrics.joined(separator: ", "))")
        } else if metric == nil {
            reader.fail("primary_metric", "is required: one of \(ExperimentAnalysis.metrics.joined(separator: ", "))")
        }
        let alpha = reader.optionalNumber("alpha", in: 0.000_1...0.5) ?? 0.05
        let conversion = reader.optionalString("conversion_type", maxBytes: 64) ?? "purchase"
        if conversion.isEmpty { reader.fail("conversion_type", "must not be empty") }
        var variants: [ExperimentVariant] = []
        var armErrors: [(field: String, message: String)] = []
        switch reader.object["variants"] {
        case nil, .null?:
            reader.fail("variants", "is required: two or more {\"name\", \"model_version\", \"traffic\"}")
        case .array(let items)?:
            if !(2...Self.maxVariants).contains(items.count) { reader.fail("variants", "must have 2 to \(Self.maxVariants) variants, got \(items.count)") }
            for (index, item) in items.prefix(Self.maxVariants).enumerated() {
                var arm = FieldReader(item, path: "variants[\(index)]")
                arm.rejectUnknownKeys(["name", "model_version", "traffic"])
                let armName = arm.optionalString("name", maxBytes: 64)
                if armName == nil || armName?.isEmpty == true { arm.fail("name", "is required (a non-empty string)") }
                if let armName, variants.contains(where: { $0.name == armName }) { arm.fail("name", "must be unique; \(armName) is used twice") }
                let version = arm.optionalString("model_version", maxBytes: 256)
                if version == nil || version?.isEmpty == true { arm.fail("model_version", "is required") }
                let traffic = arm.optionalNumber("traffic", in: 1...100)
                if traffic == nil, arm.object["traffic"] == nil { arm.fail("traffic", "is required: a whole percentage from 1 to 100") }
                if let traffic, traffic != traffic.rounded() { arm.fail("traffic", "must be a whole percentage") }
                armErrors += arm.errors
                variants.append(ExperimentVariant(name: armName ?? "", modelVersion: version ?? "", traffic: Int(traffic ?? 0)))
            }
            let sum = variants.reduce(0) { $0 + $1.traffic }
            if reader.errors.isEmpty, armErrors.isEmpty, sum != 100 { reader.fail("variants", "traffic must sum to 100, got \(sum)") }
        case let other?:
            reader.fail("variants", "must be an array, got \(other.typeName)")
        }
        if let first = (reader.errors + armErrors).first { throw RecError.invalidField(first.field, first.message) }
        self.name = name ?? ""
        self.variants = variants
        settings = ExperimentSettings(primaryMetric: metric ?? "hit_rate", alpha: alpha, conversionType: conversion)
    }
}
