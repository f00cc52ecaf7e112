import ArgumentParser
import Foundation
import RecTelemetry

/// `recommender slo-rules`: prints the Prometheus recording and alerting rules the SLO spec generates.
struct SLORules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slo-rules",
        abstract: "Print the Prometheus recording and alert rules for an SLO spec (commit them as alerts/slo-rules.yml)."
    )

    @Option(help: "The SLO spec (YAML).")
    var spec = "alerts/slos.yaml"

    @Option(help: "Write the rules to this file instead of standard output.")
    var output: String?

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: spec, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read --spec \(spec): \(error.localizedDescription)")
        }
        let parsed: SLOSpec
        do {
            parsed = try SLOSpec.parse(yaml: text)
        } catch let error as SLOSpecError {
            throw ValidationError("\(spec): \(error)")
        }
        let rules = SLORuleGenerator.rules(for: parsed, specPath: spec)
        if let output {
            try Data(rules.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            print(rules, terminator: "")
        }
    }
}
