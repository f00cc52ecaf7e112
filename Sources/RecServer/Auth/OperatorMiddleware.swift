import Hummingbird
import RecCore
import Tracing
import RecTelemetry

/// Guards `/admin/v1` with the operator token from `RECOMMENDER_ADMIN_TOKEN`, compared in constant time.
struct OperatorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokenHash: [UInt8]
    let metrics: AccessMetrics

    init(token: String, metrics: AccessMetrics) {
        self.tokenHash = APIKeyCodec.hash(token)
        self.metrics = metrics
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await withSpan("auth.operator") { _ in
            guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
                metrics.authFailure(.operator)
                throw RecError.unauthorized("the admin API needs 'Authorization: Bearer <operator token>'")
            }
            guard APIKeyCodec.constantTimeEqual(APIKeyCodec.hash(String(header.dropFirst(7)).trimmingSpaces), tokenHash) else {
                metrics.authFailure(.operator)
                throw RecError.unauthorized("invalid operator token")
            }
        }
        return try await next(request, context)
    }
}
