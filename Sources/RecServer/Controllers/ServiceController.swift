import Foundation
import Hummingbird
import RecCore
import RecStore
import RecTelemetry
import Synchronization

/// Unauthenticated service endpoints: health, metrics, the OpenAPI document and its HTML rendering.
struct ServiceController {
    let store: RecordStore
    let telemetry: Telemetry
    let readiness: Readiness
    let document: APIDocument

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "health/live", use: live)
        routes.on(.get, "health/ready", use: ready)
        routes.on(.get, "metrics", use: metrics)
        routes.on(.get, "openapi.yaml", use: openAPIYAML)
        routes.on(.get, "openapi.json", use: openAPIJSON)
        routes.on(.get, "docs", use: docs)
    }

    @Sendable func live(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, ["status": "live"])
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard readiness.migrated else { throw RecError.unavailable("schema migrations have not finished") }
        guard await store.ping() else { throw RecError.unavailable("the store does not answer") }
        return try JSONResponse.make(.ok, ["status": "ready"])
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: telemetry.exposition())))
    }

    @Sendable func openAPIYAML(_ request: Request, context: AppRequestContext) async throws -> Response {
        text(document.yaml, type: "application/yaml")
    }

    @Sendable func openAPIJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        text(document.json, type: "application/json")
    }

    @Sendable func docs(_ request: Request, context: AppRequestContext) async throws -> Response {
        text(document.html, type: "text/html; charset=utf-8")
    }

    private func text(_ body: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
