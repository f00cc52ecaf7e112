import Foundation
import RecTelemetry

/// Finds the SLO spec the service evaluates: `RECOMMENDER_SLO_SPEC` when set, else the copy of `alerts/slos.yaml`
/// built into the binary (a test keeps the two identical).
public enum SLOSpecLoader {
    /// The built-in spec's text.
    public static func bundledText() throws -> String {
        guard let url = Bundle.module.url(forResource: "slos", withExtension: "yaml", subdirectory: "Resources") ?? Bundle.module.url(forResource: "slos", withExtension: "yaml") else {
            throw ConfigurationError("the built-in SLO spec (Resources/slos.yaml) is missing from the bundle")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Parses the spec at `path`, or the built-in one; errors name the file and the field.
    public static func load(path: String?) throws -> SLOSpec {
        let text: String
        if let path {
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError("RECOMMENDER_SLO_SPEC: cannot read \(path): \(error.localizedDescription)")
            }
        } else {
            text = try bundledText()
        }
        do {
            return try SLOSpec.parse(yaml: text)
        } catch let error as SLOSpecError {
            throw ConfigurationError("SLO spec \(path ?? "(built in)"): \(error)")
        }
    }
}
