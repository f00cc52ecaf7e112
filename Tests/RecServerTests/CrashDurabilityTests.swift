import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import RecCore
import RecServer
import RecStore
import RecTelemetry
import RecTesting
import Testing

/// SIGKILL at random moments under concurrent ingest, cycle after cycle on one data folder (or one PostgreSQL
/// database): every acknowledged event is stored exactly once, nothing unacknowledged is stored twice, and the
/// service starts cleanly every time.
@Suite("Crash durability")
struct CrashDurabilityTests {
    static let cycles = 20

    /// One write: single events (one per request) or a batch of 50, each event its own (user, item) pair.
    struct Write: Sendable {
        let body: String
        let events: [String]
    }

    static func request(_ server: ServerProcess, key: String, _ write: Write) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: server.baseURL + "/api/v1/interactions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: write.body))
        return request
    }

    /// The writes of writer `writer` in cycle `cycle`: event `n` is user `c<cycle>w<writer>`, item `i<n>`.
    static func write(cycle: Int, writer: Int, step: Int) -> Write {
        let user = "c\(cycle)w\(writer)"
        if writer == 0 {
            let items = (0..<50).map { "b\(step)x\($0)" }
            let rows = items.map { #"{"user_id":"\#(user)","item_id":"\#($0)","interaction_type":"view"}"# }
            return Write(body: #"{"interactions":[\#(rows.joined(separator: ","))]}"#, events: items.map { "\(user)/\($0)" })
        }
        return Write(body: #"{"user_id":"\#(user)","item_id":"s\#(step)","interaction_type":"view"}"#, events: ["\(user)/s\(step)"])
    }

    /// Part of the long suite (`RECOMMENDER_LONG_TESTS=1`): twenty server starts under write load take the 2-core CI
    /// machine's CPU from the rest of the suite, whose timing-sensitive tests then fail.
    static let enabled = ProcessInfo.processInfo.environment["RECOMMENDER_LONG_TESTS"] == "1"

    @Test("20 SIGKILLs under concurrent single and batch writes: acknowledged events stored exactly once, clean starts",
          .enabled(if: enabled), .timeLimit(.minutes(5)), arguments: TestStore.all)
    func killLoop(store: TestStore) async throws {
        let directory = try TestStore.temporaryDirectory()
        // No trainer: these servers die every cycle, and must not take other tests' jobs with them.
        var environment = ["RECOMMENDER_ADMIN_TOKEN": TestApp.adminToken, "RECOMMENDER_LOG_LEVEL": "warning", "RECOMMENDER_TRAINER": "off"]
        // A database of its own on the test server: replicas sharing the test database would claim other tests'
        // webhook deliveries and alerts, and die holding them.
        var databaseURL: String?
        if let shared = try store.databaseURL() {
            let name = "crash_\(UUID().uuidString.prefix(8).lowercased())"
            try await store.withRecordStore { records in try await records.database.execute(SQLQuery(stringLiteral: "CREATE DATABASE \(name)")) }
            guard var components = URLComponents(string: shared) else { throw TestFailure("cannot read \(shared)") }
            components.path = "/" + name
            databaseURL = components.string
            environment["RECOMMENDER_DATABASE_URL"] = databaseURL
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var generator = SystemRandomNumberGenerator()
        var acknowledged: [String] = []
        var key = ""
        var tenantID = ""
        var starts = 0
        do {
            for cycle in 0..<Self.cycles {
                let server = ServerProcess(dataDirectory: directory, environment: environment)
                try await server.start(client: client)
                starts += 1
                if cycle == 0 {
                    var create = HTTPClientRequest(url: server.baseURL + "/admin/v1/tenants")
                    create.method = .POST
                    create.headers.add(name: "Authorization", value: "Bearer \(TestApp.adminToken)")
                    create.body = .bytes(ByteBuffer(string: #"{"name":"crash-\#(UUID().uuidString.prefix(8))"}"#))
                    let created = try await client.execute(create, timeout: .seconds(10))
                    let tenant = try JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: try await created.body.collect(upTo: 1 << 16)))
                    key = try #require(tenant["api_key"]?.stringValue)
                    tenantID = try #require(tenant["tenant_id"]?.stringValue)
                }
                let killAfter = Duration.milliseconds(Int.random(in: 150...900, using: &generator))
                let currentKey = key
                let acks = try await withThrowingTaskGroup(of: [String].self) { group in
                    for writer in 0..<4 {
                        group.addTask {
                            var acks: [String] = []
                            for step in 0..<10_000 {
                                let write = Self.write(cycle: cycle, writer: writer, step: step)
                                guard let response = try? await client.execute(Self.request(server, key: currentKey, write), timeout: .seconds(5)) else { return acks }
                                _ = try? await response.body.collect(upTo: 1 << 16)
                                if response.status == .ok { acks += write.events } else { return acks }
                            }
                            return acks
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: killAfter)
                        server.signal(SIGKILL)
                        return []
                    }
                    return try await group.reduce(into: [String]()) { $0 += $1 }
                }
                acknowledged += acks
                #expect(await server.waitForExit() != -1, "cycle \(cycle): the killed process did not exit")
            }
            // Read back every stored event of the tenant.
            let tenant = tenantID
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            let stored = try await StoreFactory.withMigratedStore(databaseURL: databaseURL, dataDirectory: directory, telemetry: Telemetry(), logger: logger) { records in
                var events: [String: Int] = [:]
                try await InteractionTail(store: records, tenantID: tenant).drain { page in
                    for row in page { events["\(row.userID)/\(row.itemID)", default: 0] += 1 }
                }
                return events
            }
            let missing = acknowledged.filter { stored[$0] == nil }
            let twice = stored.filter { $0.value > 1 }
            #expect(starts == Self.cycles)
            #expect(acknowledged.count > Self.cycles * 10, "the load reached the server: \(acknowledged.count) acknowledged")
            #expect(missing.isEmpty, "\(missing.count) acknowledged events were lost, e.g. \(missing.prefix(5))")
            #expect(twice.isEmpty, "\(twice.count) events were stored more than once")
            print("crash durability (\(store)): \(Self.cycles) kills, \(acknowledged.count) events acknowledged, \(stored.count) stored, \(missing.count) lost, \(twice.count) duplicated")
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
