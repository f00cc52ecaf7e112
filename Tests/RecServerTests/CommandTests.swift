import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import RecCore
import RecTesting

@Suite("The recommender command")
struct CommandTests {
    /// Runs the built binary with `arguments` and returns its standard output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = ServerProcess.executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("`tenants create` prints the tenant and a key the server then accepts; an incoming traceparent reaches the log, and the last line before exit is written")
    func tenantsCreateAndTraceparent() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let directory = try TestStore.temporaryDirectory()
            let created = try Self.run(["tenants", "create", "--data-dir", directory, "--name", "cli-tenant"])
            #expect(created.status == 0, "\(created.output)")
            let tenant = try JSONDecoder().decode([String: JSONValue].self, from: Data(created.output.utf8))
            let key = try #require(tenant["api_key"]?.stringValue)
            #expect(tenant["tenant_id"]?.stringValue?.hasPrefix("t_") == true)
            let duplicate = try Self.run(["tenants", "create", "--data-dir", directory, "--name", "cli-tenant"])
            #expect(duplicate.status != 0)
            #expect(duplicate.output.contains("already exists"))
            #expect(try Self.run(["tenants", "list", "--data-dir", directory]).output.contains("cli-tenant"))

            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let server = ServerProcess(dataDirectory: directory)
            do {
                try await server.start(client: client)
                var request = HTTPClientRequest(url: server.baseURL + "/api/v1/items")
                request.headers.add(name: "Authorization", value: "Bearer \(key)")
                request.headers.add(name: "traceparent", value: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                let response = try await client.execute(request, timeout: .seconds(5))
                #expect(response.status == .ok)
                #expect(await server.terminate() == 0)
                let logs = server.logs()
                let line = try #require(logs.split(separator: "\n").first { $0.contains("\"http.route\":\"/api/v1/items\"") })
                #expect(line.contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\""))
                #expect(!line.contains(key))
                // The service ran its concurrency on the event loops, and the log line written just before exit is there.
                #expect(logs.contains("\"rec.concurrency_on_event_loops\":\"true\""))
                #expect(logs.split(separator: "\n").last?.contains("\"msg\":\"service stopped\"") == true, "\(logs.suffix(500))")
            } catch {
                _ = await server.terminate()
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    @Test("`demo --once` loads a synthetic shop, trains and promotes a model, and prints a key and curl commands that fit it")
    func demo() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let directory = try TestStore.temporaryDirectory()
            let result = try Self.run(["demo", "--once", "--port", "0", "--data-dir", directory, "--items", "300", "--users", "200"])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Demo ready"))
            #expect(result.output.range(of: #"export KEY=rk_[0-9a-f]{16}_[0-9a-f]{64}"#, options: .regularExpression) != nil)
            #expect(result.output.contains("model ials-"))
            #expect(result.output.contains("/api/v1/recommendations") && result.output.contains("/similar?count=5"))
            // The sample user's top five come from the service's own ranking: five distinct items.
            let line = try #require(result.output.split(separator: "\n").first { $0.contains("their top five:") })
            #expect(line.split(separator: "(").count == 6, "\(line)")
            // The tenant it created is in the data folder.
            #expect(try Self.run(["tenants", "list", "--data-dir", directory]).output.contains("demo-"))
        }
    }

    @Test("bad configuration is refused at start with a message naming the setting")
    func badConfiguration() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let directory = try TestStore.temporaryDirectory()
            let process = Process()
            process.executableURL = ServerProcess.executable
            process.arguments = ["serve", "--data-dir", directory, "--port", "0"]
            process.environment = ["RECOMMENDER_RATE_LIMIT": "fast", "PATH": "/usr/bin:/bin"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus != 0)
            #expect(output.contains("RECOMMENDER_RATE_LIMIT"))
        }
    }
}
