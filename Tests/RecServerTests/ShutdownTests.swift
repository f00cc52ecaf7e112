import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import RecCore
import RecServer
import RecStore
import RecTelemetry
import RecTesting

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("SIGTERM under write load drains in-flight requests, exits 0, and every acknowledged event is stored")
    func sigtermLosesNoAcknowledgedWrite() async throws {
        let directory = try TestStore.temporaryDirectory()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let server = ServerProcess(dataDirectory: directory, environment: ["RECOMMENDER_ADMIN_TOKEN": TestApp.adminToken, "RECOMMENDER_LOG_LEVEL": "warning"])
        do {
            try await server.start(client: client)
            var create = HTTPClientRequest(url: server.baseURL + "/admin/v1/tenants")
            create.method = .POST
            create.headers.add(name: "Authorization", value: "Bearer \(TestApp.adminToken)")
            create.body = .bytes(ByteBuffer(string: #"{"name":"shutdown"}"#))
            let created = try await client.execute(create, timeout: .seconds(5))
            let tenant = try JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: try await created.body.collect(upTo: 1 << 16)))
            let key = try #require(tenant["api_key"]?.stringValue)
            let tenantID = try #require(tenant["tenant_id"]?.stringValue)

            let acknowledged = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        var acks = 0
                        for event in 0..<400 {
                            var request = HTTPClientRequest(url: server.baseURL + "/api/v1/interactions")
                            request.method = .POST
                            request.headers.add(name: "Authorization", value: "Bearer \(key)")
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(ByteBuffer(string: #"{"user_id":"u\#(writer)","item_id":"i\#(event)","interaction_type":"view"}"#))
                            guard let response = try? await client.execute(request, timeout: .seconds(5)) else { return acks }
                            _ = try? await response.body.collect(upTo: 1 << 16)
                            if response.status == .ok { acks += 1 } else { return acks }
                        }
                        return acks
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(600))
                    server.signal(SIGTERM)
                    return 0
                }
                var total = 0
                for try await acks in group { total += acks }
                return total
            }
            let status = await server.waitForExit()
            #expect(status == 0, "exit status \(status); logs: \(server.logs().suffix(2000))")
            #expect(acknowledged > 0)
            #expect(acknowledged < 16 * 400, "the server stopped before the load ended, so the test exercised shutdown")

            let stored = try await TestStore.sqlite.withRecordStoreAt(directory) { try await $0.interactionCount(tenantID: tenantID) }
            #expect(stored >= acknowledged, "acknowledged \(acknowledged) events, found \(stored)")
            #expect(stored <= acknowledged + 16, "at most one unacknowledged in-flight event per writer")
        } catch {
            _ = await server.terminate()
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
