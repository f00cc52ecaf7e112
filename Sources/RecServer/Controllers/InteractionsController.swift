import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import RecCore
import RecStore
import RecServing
import RecTelemetry

/// `POST /api/v1/interactions`: one event or a batch, stored all-or-nothing, with `Idempotency-Key` replay.
struct InteractionsController {
    let store: RecordStore
    let telemetry: Telemetry
    let types: InteractionTypeCache
    let serving: ServingRegistry
    let compute: ComputePool

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "interactions", use: ingest)
    }

    @Sendable func ingest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.ingest)
        let idempotencyKey = try Self.idempotencyKey(request)
        let body = try await BatchBody.json(request, context: context, compute: compute)
        let (rows, single) = try BatchBody.rows(body, key: "interactions", allowSingle: true)
        let parser = RowParser(types: try await types.types(tenantID: caller.tenantID), now: WallClock.nowMillis())
        let events = try await CatalogueController.collect(rows, kind: "interactions", telemetry: telemetry, compute: compute) { value, index in
            parser.interaction(value, path: single ? "" : "interactions[\(index)]")
        }
        let answer = try JSONText.encode(AcceptedPayload(accepted: events.count))
        let record = try idempotencyKey.map {
            IdempotencyRecord(key: $0, requestHash: try Self.hash(body), status: 200, body: String(decoding: answer, as: UTF8.self))
        }
        switch try await store.insertInteractions(tenantID: caller.tenantID, events, idempotency: record, now: parser.now) {
        case .stored:
            telemetry.ingest.accepted("interactions", count: events.count)
            await serving.interactionsAdded(tenantID: caller.tenantID)
            return JSONResponse.make(.ok, bytes: answer)
        case .replay(let status, let body):
            var response = JSONResponse.make(.init(code: status), bytes: Array(body.utf8))
            response.headers[.init("Idempotent-Replayed")!] = "true"
            return response
        case .keyReused:
            throw RecError.unprocessable("this Idempotency-Key was already used for a different request body", field: "Idempotency-Key")
        }
    }

    private static func idempotencyKey(_ request: Request) throws -> String? {
        guard let name = HTTPField.Name("Idempotency-Key"), let key = request.headers[name] else { return nil }
        guard !key.isEmpty, key.utf8.count <= 255, Identifier.problem(with: key) == nil else {
            throw RecError.invalidField("Idempotency-Key", "must be 1–255 printable characters")
        }
        return key
    }

    /// A hash of the body's canonical form (keys sorted), so a retry that re-serialises the same JSON still matches.
    private static func hash(_ body: JSONValue) throws -> String {
        SHA256.hash(data: try JSONText.encode(body)).map { String(format: "%02x", $0) }.joined()
    }
}
