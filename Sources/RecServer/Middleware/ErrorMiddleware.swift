import Hummingbird
import Logging
import RecCore
import RecTelemetry

/// Turns every thrown error into a JSON error response so outer middleware (metrics, tracing, logs) see the real status;
/// unexpected errors are logged and answered 500 without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let mapped = ErrorResponse.classify(error)
            if mapped.status >= 500 {
                context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(String(reflecting: error).prefix(500))"])
            }
            return ErrorResponse.make(mapped)
        }
    }
}
