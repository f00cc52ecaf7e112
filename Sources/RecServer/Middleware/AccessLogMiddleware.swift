import Hummingbird
import Logging

/// Writes one log line per request: method, route template, status and duration (the path's ids stay out of logs).
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var logger = context.logger
        if let tenant = context.caller?.tenantID { logger[metadataKey: "tenant"] = "\(tenant)" }
        logger.info("request completed", metadata: [
            "http.request.method": "\(request.method.rawValue)",
            "http.route": "\(context.endpointPath ?? "NotFound")",
            "http.response.status_code": "\(response.status.code)",
            "duration_ms": "\((millis * 1000).rounded() / 1000)",
        ])
        return response
    }
}
