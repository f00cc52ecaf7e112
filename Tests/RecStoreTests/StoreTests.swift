import Foundation
import Testing
import RecCore
import RecStore
import RecTesting

@Suite("Record store")
struct StoreTests {
    @Test("migrations are recorded and applying them again changes nothing", arguments: TestStore.all)
    func migrationsAreIdempotent(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let migrator = Migrator(database: records.database)
            let version = try await migrator.currentVersion()
            #expect(version >= 1)
            #expect(try await migrator.migrate(logger: .init(label: "test")).isEmpty)
            #expect(try await migrator.currentVersion() == version)
        }
    }

    @Test("a failing transaction writes nothing", arguments: TestStore.all)
    func rollback(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await records.database.transaction { db in
                    try await db.execute("INSERT INTO users (tenant_id, user_id, properties, updated_at) VALUES (\(tenant), \("u1"), \("{}"), \(1))")
                    throw Boom()
                }
            }
            #expect(try await records.user(tenantID: tenant, userID: "u1") == nil)
        }
    }

    @Test("concurrent transactions commit together yet fail alone: a failing one leaves the others' writes intact", arguments: TestStore.all)
    func concurrentTransactionsFailAlone(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            struct Boom: Error {}
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        do {
                            try await records.database.transaction { db in
                                try await db.execute("INSERT INTO users (tenant_id, user_id, properties, updated_at) VALUES (\(tenant), \("u\(index)"), \("{}"), \(1))")
                                if index % 3 == 0 { throw Boom() }
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                var succeeded = 0
                for await ok in group where ok { succeeded += 1 }
                return succeeded
            }
            #expect(outcomes == 133)
            let stored = try await records.database.query("SELECT user_id FROM users WHERE tenant_id = \(tenant)").compactMap { $0.string("user_id") }
            #expect(stored.count == 133)
            #expect(stored.allSatisfy { Int($0.dropFirst())! % 3 != 0 })
        }
    }

    @Test("a served list whose id is already stored does not cost the rest of its batch", arguments: TestStore.all)
    func servedListClash(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            func list(_ id: String, _ items: [String]) -> ServedList {
                ServedList(id: id, tenantID: tenant, kind: "recommend", userID: "u1", itemID: nil, modelVersion: nil,
                           source: "fallback", items: items, createdAt: 1)
            }
            let first = "rec_\(UUID().uuidString.prefix(8))", second = "rec_\(UUID().uuidString.prefix(8))"
            try await records.recordServedLists([list(first, ["a"])])
            try await records.recordServedLists([list(first, ["b"]), list(second, ["c"])])
            #expect(try await records.servedList(tenantID: tenant, id: first)?.items == ["a"], "the stored list is kept")
            #expect(try await records.servedList(tenantID: tenant, id: second)?.items == ["c"])
        }
    }

    @Test("served lists older than the cut-off are deleted a batch at a time, per tenant; newer ones and other tenants' stay", arguments: TestStore.all)
    func servedListPruning(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))", other = "t_\(UUID().uuidString.prefix(8))"
            func list(_ tenantID: String, at createdAt: Int64) -> ServedList {
                ServedList(id: "rec_\(UUID().uuidString)", tenantID: tenantID, kind: "recommendations", userID: "u1", itemID: nil,
                           modelVersion: nil, source: "fallback", items: ["a"], createdAt: createdAt)
            }
            let old = [list(tenant, at: 10), list(tenant, at: 20), list(tenant, at: 30)]
            let kept = [list(tenant, at: 50), list(tenant, at: 60)]
            let elsewhere = list(other, at: 10)
            try await records.recordServedLists(old + kept + [elsewhere])
            #expect(try await records.pruneServedLists(tenantID: tenant, before: 50, limit: 2) == 2)
            #expect(try await records.pruneServedLists(tenantID: tenant, before: 50, limit: 2) == 1)
            #expect(try await records.pruneServedLists(tenantID: tenant, before: 50, limit: 2) == 0)
            for list in old { #expect(try await records.servedList(tenantID: tenant, id: list.id) == nil) }
            for list in kept { #expect(try await records.servedList(tenantID: tenant, id: list.id) != nil) }
            #expect(try await records.servedList(tenantID: other, id: elsewhere.id) != nil)
        }
    }

    @Test("values round-trip through binds unchanged, including quotes and non-ASCII text", arguments: TestStore.all)
    func bindsAreNeverSpliced(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            let tricky = "it's \"quoted\"; DROP TABLE items; -- 😀 ünïcode"
            try await records.upsertItems(tenantID: tenant, [Item(itemID: tricky, title: tricky, properties: ["k": .string(tricky)], updatedAt: 5)])
            let item = try #require(try await records.item(tenantID: tenant, itemID: tricky))
            #expect(item.title == tricky)
            #expect(item.properties["k"] == .string(tricky))
            #expect(try await records.items(tenantID: tenant, after: nil, limit: 10).count == 1)
        }
    }

    @Test("SQLite reads text back by length, as it was bound: an embedded NUL and what follows it survive")
    func sqliteTextWithNUL() async throws {
        // (PostgreSQL refuses NUL in text outright, so this is SQLite's case only.)
        try await TestStore.sqlite.withRecordStore { records throws in
            let tenant = "t_\(UUID().uuidString.prefix(8))"
            let texts = ["a\u{0}b", "\u{0}", "", "ünï\u{0}😀 tail"]
            for (index, text) in texts.enumerated() {
                try await records.database.execute("INSERT INTO users (tenant_id, user_id, properties, updated_at) VALUES (\(tenant), \("u\(index)"), \(text), \(1))")
            }
            let rows = try await records.database.query("SELECT user_id, properties, length(CAST(properties AS BLOB)) AS bytes FROM users WHERE tenant_id = \(tenant) ORDER BY user_id")
            #expect(rows.map { $0.string("properties") } == texts)
            #expect(rows.map { $0.int("bytes") } == texts.map { Int64($0.utf8.count) })
            // A key with a NUL matches only itself.
            try await records.database.execute("INSERT INTO users (tenant_id, user_id, properties, updated_at) VALUES (\(tenant), \("k\u{0}1"), \("{}"), \(1))")
            try await records.database.execute("INSERT INTO users (tenant_id, user_id, properties, updated_at) VALUES (\(tenant), \("k\u{0}2"), \("{}"), \(1))")
            let keys = try await records.database.query("SELECT user_id FROM users WHERE tenant_id = \(tenant) AND user_id = \("k\u{0}2")")
            #expect(keys.map { $0.string("user_id") } == ["k\u{0}2"])
        }
    }
}
