import Foundation
import Testing
import RecCore
import RecServer
import RecTesting

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("the document describes exactly the routes the server registers")
    func documentMatchesRoutes() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let document = try APIDocument.load()
            try await TestApp(.sqlite).run { _, parts throws in
                let registered = Set(parts.routes.routes)
                let documented = document.operations
                #expect(registered.subtracting(documented).isEmpty, "routes missing from openapi.json: \(registered.subtracting(documented).sorted { $0.description < $1.description })")
                #expect(documented.subtracting(registered).isEmpty, "documented routes that do not exist: \(documented.subtracting(registered).sorted { $0.description < $1.description })")
                #expect(registered.count >= 28)
            }
        }
    }

    @Test("/openapi.yaml, /openapi.json and /docs are served and agree")
    func served() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            try await TestApp(.sqlite).run { client, _ throws in
                let yaml = try await client.send(.get, "/openapi.yaml")
                #expect(yaml.status == 200)
                #expect(yaml.headers[.contentType] == "application/yaml")
                #expect(yaml.text.hasPrefix("\"openapi\": \"3.1"))
                let json = try await client.send(.get, "/openapi.json")
                #expect(json.json["openapi"]?.stringValue?.hasPrefix("3.1") == true)
                let docs = try await client.send(.get, "/docs")
                #expect(docs.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(!docs.text.contains("<script"))
                for path in json.json["paths"]?.objectValue?.keys.sorted() ?? [] {
                    #expect(yaml.text.contains("\"\(path)\":"), "\(path) missing from the YAML")
                    #expect(docs.text.contains(path.replacingOccurrences(of: "&", with: "&amp;")), "\(path) missing from /docs")
                }
            }
        }
    }

    @Test("the YAML rendering is a valid OpenAPI 3.1 document (openapi-spec-validator)")
    func validatesWithReferenceValidator() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["python3", "-c", "import openapi_spec_validator, yaml"]
            try check.run()
            check.waitUntilExit()
            let required = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false
            guard check.terminationStatus == 0 else {
                if required { Issue.record("python3 with openapi-spec-validator and PyYAML is required in CI") }
                return
            }
            let path = NSTemporaryDirectory() + "openapi-\(UUID().uuidString).yaml"
            try APIDocument.load().yaml.write(toFile: path, atomically: true, encoding: .utf8)
            let validate = Process()
            validate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            validate.arguments = ["python3", "-c", "import sys, yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open(sys.argv[1])))", path]
            let errors = Pipe()
            validate.standardError = errors
            try validate.run()
            validate.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(validate.terminationStatus == 0, "\(message.suffix(2000))")
        }
    }
}
