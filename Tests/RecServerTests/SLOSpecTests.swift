import Foundation
import RecServer
import RecTelemetry
import RecTesting
import Testing

/// The SLO spec as the single source: the committed rules are what it generates, the binary carries the same spec,
/// promtool accepts and unit-tests the rules, and a bad spec is refused naming the field.
@Suite("SLO spec and generated rules")
struct SLOSpecTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("alerts/slo-rules.yml is exactly what alerts/slos.yaml generates, and the binary's built-in spec is alerts/slos.yaml")
    func committedRulesMatchTheSpec() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let spec = try SLOSpec.parse(yaml: try Self.read("alerts/slos.yaml"))
            let generated = SLORuleGenerator.rules(for: spec)
            let committed = try Self.read("alerts/slo-rules.yml")
            #expect(generated == committed, "regenerate: swift run recommender slo-rules --spec alerts/slos.yaml --output alerts/slo-rules.yml")
            #expect(try SLOSpecLoader.bundledText() == Self.read("alerts/slos.yaml"), "copy alerts/slos.yaml to Sources/RecServer/Resources/slos.yaml")
            let names = spec.objectives.map(\.name)
            for required in ["recommendations-availability", "ingestion-availability", "recommendations-latency", "model-freshness", "personalisation"] {
                #expect(names.contains(required))
            }
        }
    }

    @Test("promtool checks the rule files and passes their unit tests")
    func promtoolAcceptsTheRules() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            guard let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile) else {
                #expect(ProcessInfo.processInfo.environment["CI"] == nil, "promtool is required under CI (apt-get install prometheus)")
                return
            }
            let rules = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("alerts").path)
                .filter { $0.hasSuffix(".yml") }.sorted().map { "alerts/" + $0 }
            let tests = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("alerts/tests").path)
                .filter { $0.hasSuffix(".yml") }.sorted().map { "alerts/tests/" + $0 }
            #expect(rules.contains("alerts/slo-rules.yml") && tests.contains("alerts/tests/slo_test.yml"))
            for arguments in [["check", "rules"] + rules, ["test", "rules"] + tests] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: promtool)
                process.arguments = arguments
                process.currentDirectoryURL = Self.root
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                try process.run()
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "promtool \(arguments.joined(separator: " ")):\n\(text)")
            }
        }
    }

    @Test("a spec with a mistake is refused, naming the field")
    func badSpecsNameTheField() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let valid = """
                version: recommender/v1
                service: s
                slos:
                  - name: a
                    objective: 99
                    sli: {latency: {routes: ["/x"], threshold: 25ms}}
                    alerting: {name: A}
                """
            #expect(throws: Never.self) { try SLOSpec.parse(yaml: valid) }
            let cases: [(String, String)] = [
                (valid.replacingOccurrences(of: "25ms", with: "30ms"), "slos[0].sli.latency.threshold"),
                (valid.replacingOccurrences(of: "objective: 99", with: "objective: 100"), "slos[0].objective"),
                (valid.replacingOccurrences(of: "objective: 99", with: "objectiv: 99"), "slos[0].objectiv"),
                (valid.replacingOccurrences(of: "routes: [\"/x\"]", with: "routes: [\"x\"]"), "slos[0].sli.latency.routes[0]"),
                (valid.replacingOccurrences(of: "latency", with: "speed"), "slos[0].sli.speed"),
                (valid.replacingOccurrences(of: "name: A", with: "name: 9-bad"), "slos[0].alerting.name"),
                (valid.replacingOccurrences(of: "recommender/v1", with: "prometheus/v1"), "version"),
                (valid + "\ntenants: [{tenant: t1, slo: nope, objective: 90}]", "tenants[0].slo"),
                ("version: [", "(document)"),
            ]
            for (text, field) in cases {
                do {
                    _ = try SLOSpec.parse(yaml: text)
                    Issue.record("accepted a spec with a bad \(field)")
                } catch let error as SLOSpecError {
                    #expect(error.field == field, "\(error)")
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
        }
    }

    @Test("the running service evaluates its SLOs from real requests and exports them")
    func serviceExportsSLOs() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            try await TestApp(.sqlite).run { client, parts in
                let tenant = try await client.createTenant()
                for _ in 0..<5 {
                    _ = try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: ["user_id": "nobody", "count": 5])
                }
                let statuses = parts.slo.evaluate()
                let availability = try #require(statuses.first { $0.slo == "recommendations-availability" && $0.tenant == nil })
                #expect(availability.sli[.fiveMinutes] == 1 && availability.events == 5)
                // Nothing trained: every list is the popularity fallback, which the personalisation SLO counts as bad.
                let personalisation = try #require(statuses.first { $0.slo == "personalisation" })
                #expect(personalisation.sli[.fiveMinutes] == 0 && personalisation.events == 5)
                #expect(abs(personalisation.burnRates[.fiveMinutes]! - 20) < 1e-9)
                let metrics = try await client.send(.get, "/metrics").text
                #expect(metrics.contains(#"rec_slo_sli_ratio{slo="personalisation",tenant="all",window="5m"} 0"#))
                #expect(metrics.contains(#"rec_slo_error_budget_remaining_ratio{slo="recommendations-availability",tenant="all"} 1"#))
                #expect(metrics.contains(#"rec_slo_alert_firing{slo="personalisation",tenant="all",severity="page"} 1"#))
            }
        }
    }
}
