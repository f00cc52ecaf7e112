import Hummingbird
import RecCore
import Tracing

/// Authenticates `/api/v1` requests by bearer key and records the caller in the request state.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let authenticator: KeyAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let caller = try await withSpan("auth.api_key") { span in
            let caller = try await authenticator.authenticate(authorization: request.headers[.authorization])
            span.attributes["rec.tenant"] = caller.tenantID
            return caller
        }
        context.shared.caller = caller
        var context = context
        context.logger[metadataKey: "tenant"] = "\(caller.tenantID)"
        return try await next(request, context)
    }
}
