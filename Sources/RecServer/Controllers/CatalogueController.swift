import Foundation
import Hummingbird
import RecCore
import RecStore
import RecServing
import RecTelemetry

/// Items, users and interaction types of the calling tenant.
struct CatalogueController {
    let store: RecordStore
    let telemetry: Telemetry
    let types: InteractionTypeCache
    let serving: ServingRegistry
    let compute: ComputePool

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "items", use: upsertItems)
        routes.on(.get, "items", use: listItems)
        routes.on(.get, "items/{item_id}", use: getItem)
        routes.on(.delete, "items/{item_id}", use: deleteItem)
        routes.on(.post, "users", use: upsertUsers)
        routes.on(.get, "users/{user_id}", use: getUser)
        routes.on(.get, "interaction-types", use: listTypes)
        routes.on(.put, "interaction-types/{name}", use: putType)
    }

    @Sendable func upsertItems(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await upsert(request, context: context, key: "items", parse: { $0.item($1, path: $2) }) { tenantID, items in
            try await store.upsertItems(tenantID: tenantID, items)
            await serving.itemsChanged(tenantID: tenantID, upserted: items, deleted: [])
        }
    }

    @Sendable func listItems(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.ingest, .manage])
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(text), (1...1000).contains(value) else { throw RecError.invalidField("limit", "must be an integer from 1 to 1000") }
            limit = value
        }
        var after: String?
        if let cursor = query["cursor"], !cursor.isEmpty {
            guard let decoded = Cursor.decode(String(cursor)) else { throw RecError.invalidField("cursor", "is not a cursor this API returned") }
            after = decoded
        }
        let page = try await store.items(tenantID: caller.tenantID, after: after, limit: limit + 1)
        let shown = Array(page.prefix(limit))
        struct Page: Encodable {
            let items: [ItemPayload]
            let next_cursor: String?

            enum CodingKeys: String, CodingKey { case items, next_cursor }

            // `next_cursor` is written as null on the last page rather than left out.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(items, forKey: .items)
                try container.encode(next_cursor, forKey: .next_cursor)
            }
        }
        let next = page.count > limit ? shown.last.map { Cursor.encode($0.itemID) } : nil
        return try JSONResponse.make(.ok, Page(items: shown.map(ItemPayload.init), next_cursor: next))
    }

    @Sendable func getItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.ingest, .manage, .recommend])
        let itemID = try PathID.require(context, "item_id")
        guard let item = try await store.item(tenantID: caller.tenantID, itemID: itemID) else { throw RecError.notFound("item") }
        return try JSONResponse.make(.ok, ItemPayload(item))
    }

    @Sendable func deleteItem(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.ingest)
        let itemID = try PathID.require(context, "item_id")
        guard try await store.deleteItem(tenantID: caller.tenantID, itemID: itemID) else { throw RecError.notFound("item") }
        await serving.itemsChanged(tenantID: caller.tenantID, upserted: [], deleted: [itemID])
        return JSONResponse.noContent()
    }

    @Sendable func upsertUsers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await upsert(request, context: context, key: "users", parse: { $0.user($1, path: $2) }, write: store.upsertUsers)
    }

    /// A batch upsert under `key` (`items` or `users`): every row validated, then all written or none.
    private func upsert<Row: Sendable>(
        _ request: Request, context: AppRequestContext, key: String,
        parse: @escaping @Sendable (RowParser, JSONValue, String) -> RowParser.Outcome<Row>,
        write: (String, [Row]) async throws -> Void
    ) async throws -> Response {
        let caller = try context.requireCaller(.ingest)
        let body = try await BatchBody.json(request, context: context, compute: compute)
        let (rows, _) = try BatchBody.rows(body, key: key, allowSingle: false)
        let parser = RowParser(types: [], now: WallClock.nowMillis())
        let parsed = try await Self.collect(rows, kind: key, telemetry: telemetry, compute: compute) { parse(parser, $0, "\(key)[\($1)]") }
        try await write(caller.tenantID, parsed)
        telemetry.ingest.accepted(key, count: parsed.count)
        return try JSONResponse.make(.ok, AcceptedPayload(accepted: parsed.count))
    }

    @Sendable func getUser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.ingest, .manage])
        let userID = try PathID.require(context, "user_id")
        guard let user = try await store.user(tenantID: caller.tenantID, userID: userID) else { throw RecError.notFound("user") }
        return try JSONResponse.make(.ok, UserPayload(user))
    }

    @Sendable func listTypes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(anyOf: [.ingest, .manage])
        struct TypePayload: Encodable {
            let name: String
            let weight: Double
            let requires_value: Bool
        }
        struct Types: Encodable { let interaction_types: [TypePayload] }
        let types = try await store.interactionTypes(tenantID: caller.tenantID)
        return try JSONResponse.make(.ok, Types(interaction_types: types.map { TypePayload(name: $0.name, weight: $0.weight, requires_value: $0.requiresValue) }))
    }

    @Sendable func putType(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.manage)
        let name = try PathID.require(context, "name")
        guard name.utf8.count <= 64, !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || $0 == "-" || ("0"..."9").contains($0) }) else {
            throw RecError.invalidField("name", "must be 1–64 letters, digits, '_' or '-'")
        }
        var reader = FieldReader(try await BatchBody.json(request, context: context), path: "")
        let weight = reader.optionalNumber("weight", in: 0...1e6)
        let requiresValue = reader.optionalBool("requires_value") ?? false
        if weight == nil, reader.errors.isEmpty { reader.fail("weight", "is required") }
        reader.rejectUnknownKeys(["weight", "requires_value"])
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        let type = InteractionType(name: name, weight: weight ?? 1, requiresValue: requiresValue)
        try await store.putInteractionType(tenantID: caller.tenantID, type)
        types.invalidate(tenantID: caller.tenantID)
        return try JSONResponse.make(.ok, ["name": JSONValue.string(type.name), "weight": .number(type.weight), "requires_value": .bool(type.requiresValue)])
    }

    /// Batches with more rows than this are validated on the compute pool, not on the event loop.
    static let inlineRows = 500

    /// Parses every row (on `compute` for a batch over `inlineRows`); rejects the whole batch (counting each bad row)
    /// if any row is invalid.
    static func collect<Row: Sendable>(_ rows: [JSONValue], kind: String, telemetry: Telemetry, compute: ComputePool,
                                       parse: @escaping @Sendable (JSONValue, Int) -> RowParser.Outcome<Row>) async throws -> [Row] {
        guard rows.count > inlineRows else { return try collect(rows, kind: kind, telemetry: telemetry, parse: parse) }
        return try await compute.run { try collect(rows, kind: kind, telemetry: telemetry, parse: parse) }
    }

    /// Parses every row here; rejects the whole batch (counting each bad row) if any row is invalid.
    static func collect<Row>(_ rows: [JSONValue], kind: String, telemetry: Telemetry, parse: (JSONValue, Int) -> RowParser.Outcome<Row>) throws -> [Row] {
        var parsed: [Row] = []
        parsed.reserveCapacity(rows.count)
        var errors: [RowError] = []
        for (index, value) in rows.enumerated() {
            switch parse(value, index) {
            case .row(let row): parsed.append(row)
            case .invalid(let problems): errors += problems.map { RowError(index: index, field: $0.field, message: $0.message) }
            }
        }
        guard errors.isEmpty else {
            let badRows = Set(errors.map(\.index)).count
            telemetry.ingest.rejected(kind, reason: "invalid_field", count: badRows)
            throw RecError.invalidRows(errors, total: rows.count)
        }
        return parsed
    }
}

/// Opaque pagination cursors: the last id of a page, base64url-encoded.
enum Cursor {
    static func encode(_ id: String) -> String {
        Data(id.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let id = String(data: data, encoding: .utf8), Identifier.problem(with: id) == nil else { return nil }
        return id
    }
}
