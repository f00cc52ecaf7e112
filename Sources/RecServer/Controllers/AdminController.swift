import Hummingbird
import RecCore
import RecStore

/// The operator's API under `/admin/v1`: tenants, suspension, rate limits and keys.
struct AdminController {
    let tenants: TenantService

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "tenants", use: create)
        routes.on(.get, "tenants", use: list)
        routes.on(.get, "tenants/{tenant_id}", use: get)
        routes.on(.post, "tenants/{tenant_id}/suspend", use: suspend)
        routes.on(.post, "tenants/{tenant_id}/resume", use: resume)
        routes.on(.put, "tenants/{tenant_id}/rate-limit", use: setRateLimit)
        routes.on(.post, "tenants/{tenant_id}/keys", use: createKey)
        routes.on(.get, "tenants/{tenant_id}/keys", use: listKeys)
        routes.on(.delete, "tenants/{tenant_id}/keys/{key_id}", use: revokeKey)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        var reader = FieldReader(try await BatchBody.json(request, context: context), path: "")
        let name = reader.optionalString("name", maxBytes: 128)
        if name == nil, reader.errors.isEmpty { reader.fail("name", "is required") }
        reader.rejectUnknownKeys(["name"])
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        let created = try await tenants.create(name: name ?? "")
        return try JSONResponse.make(.created, created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct List: Encodable { let tenants: [TenantPayload] }
        return try JSONResponse.make(.ok, List(tenants: try await tenants.store.tenants().map(TenantPayload.init)))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, TenantPayload(try await tenants.require(PathID.require(context, "tenant_id"))))
    }

    @Sendable func suspend(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, TenantPayload(try await tenants.setStatus(PathID.require(context, "tenant_id"), .suspended)))
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(.ok, TenantPayload(try await tenants.setStatus(PathID.require(context, "tenant_id"), .active)))
    }

    @Sendable func setRateLimit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try PathID.require(context, "tenant_id")
        var reader = FieldReader(try await BatchBody.json(request, context: context), path: "")
        let perSecond = reader.optionalNumber("per_second", in: RateLimit.allowedRates)
        let burst = reader.optionalNumber("burst", in: 1...1e7).map { Int($0) }
        reader.rejectUnknownKeys(["per_second", "burst"])
        if burst != nil, perSecond == nil, reader.errors.isEmpty { reader.fail("per_second", "is required with burst (send {} to clear the limit)") }
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        return try JSONResponse.make(.ok, TenantPayload(try await tenants.setRateLimit(id, perSecond: perSecond, burst: burst)))
    }

    @Sendable func createKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try PathID.require(context, "tenant_id")
        var reader = FieldReader(try await BatchBody.json(request, context: context), path: "")
        let scopeNames = reader.optionalStrings("scopes", maxCount: 3, maxBytes: 32)
        let name = reader.optionalString("name", maxBytes: 128)
        reader.rejectUnknownKeys(["scopes", "name"])
        var scopes: [Scope] = []
        if let scopeNames {
            if scopeNames.isEmpty { reader.fail("scopes", "must name at least one scope") }
            for (index, scopeName) in scopeNames.enumerated() {
                guard let scope = Scope(rawValue: scopeName) else {
                    reader.fail("scopes[\(index)]", "must be one of ingest, recommend, manage")
                    continue
                }
                scopes.append(scope)
            }
        } else if reader.errors.isEmpty {
            reader.fail("scopes", "is required (any of ingest, recommend, manage)")
        }
        if let first = reader.errors.first { throw RecError.invalidField(first.field, first.message) }
        return try JSONResponse.make(.created, try await tenants.issueKey(tenantID: id, scopes: scopes, name: name))
    }

    @Sendable func listKeys(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try await tenants.require(PathID.require(context, "tenant_id"))
        struct List: Encodable { let keys: [KeyPayload] }
        return try JSONResponse.make(.ok, List(keys: try await tenants.store.keys(tenantID: tenant.id).map(KeyPayload.init)))
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await tenants.revokeKey(tenantID: PathID.require(context, "tenant_id"), keyID: PathID.require(context, "key_id"))
        return JSONResponse.noContent()
    }
}
