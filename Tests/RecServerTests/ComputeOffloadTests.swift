import Foundation
import NIOPosix
import RecCore
@testable import RecServer
import RecServing
import RecTesting
import Testing

@Suite("The production executor and the compute pool")
struct ComputeOffloadTests {
    @Test("tests run Swift concurrency on NIO's event loops, as serve does")
    func eventLoopExecutor() async {
        let installed = eventLoopExecutorInstalled.load(ordering: .acquiring)
        #expect(installed, "CTestExecutor installs it when the test binary loads")
        #expect(MultiThreadedEventLoopGroup.currentEventLoop != nil, "this test's code runs on an event loop")
    }

    @Test("the compute pool runs work on its named, long-lived threads, at most its size at once")
    func poolThreads() async throws {
        let pool = ComputePool(name: "rec-test-pool", threads: 2)
        defer { pool.stop() }
        let names = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { await pool.run { currentThreadName() } } }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names.isSubset(of: ["rec-test-pool-0", "rec-test-pool-1"]), "\(names)")
        let failing: @Sendable () throws -> Int = { throw RecError.conflict("boom") }
        await #expect(throws: RecError.self) { try await pool.run(failing) }
    }

    @Test("a ranking that walks past the inline limit leaves the event loop for the compute pool, and answers the same", arguments: TestStore.all)
    func walkIsDeferred(store: TestStore) async throws {
        let app = TestApp(store)
        try await app.run { client, _ throws in
            let tenant = try await client.createTenant()
            // 9,000 items; only the last ones match the property, so the top-up walks past 8,192 in id order.
            let items: [JSONValue] = (0..<9_000).map { item in
                ["item_id": .string(String(format: "i%05d", item)), "properties": ["rare": .bool(item >= 8_990)]]
            }
            let stored = try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": .array(items)])
            #expect(stored.status == 200, "\(stored.text)")
            let reply = try await client.send(.post, "/api/v1/recommendations", key: tenant.key,
                                              json: ["user_id": "u1", "count": 5, "filters": ["properties": ["rare": true]]])
            #expect(reply.status == 200, "\(reply.text)")
            let ids = reply.json["items"]?.arrayValue?.compactMap { $0.objectValue?["item_id"]?.stringValue } ?? []
            #expect(ids == ["i08990", "i08991", "i08992", "i08993", "i08994"])
            let exposition = String(decoding: app.telemetry.exposition(), as: UTF8.self)
            #expect(exposition.contains(#"rec_ranking_deferred_total{reason="fallback_walk"} 1"#), "deferred once")
            // A small walk stays inline.
            let small = try await client.send(.post, "/api/v1/recommendations", key: tenant.key, json: ["user_id": "u1", "count": 5])
            #expect(small.status == 200)
            let after = String(decoding: app.telemetry.exposition(), as: UTF8.self)
            #expect(after.contains(#"rec_ranking_deferred_total{reason="fallback_walk"} 1"#), "not deferred again")
        }
    }
}
