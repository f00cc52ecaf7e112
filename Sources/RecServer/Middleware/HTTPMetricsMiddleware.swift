import Hummingbird
import RecTelemetry

/// Records `http_server_request_duration_seconds` by route template, method and status, the in-flight gauge, and
/// each request's outcome as an SLO event.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: HTTPMetrics
    let slo: SLOEvaluator?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        let inFlight = metrics.inFlight(method: method)
        inFlight.increment()
        defer { inFlight.decrement() }
        do {
            let response = try await next(request, context)
            record(context: context, method: method, status: Int(response.status.code), start: start)
            return response
        } catch {
            record(context: context, method: method, status: ErrorResponse.classify(error).status, start: start)
            throw error
        }
    }

    private func record(context: Context, method: String, status: Int, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let nanos = UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
        let route = context.endpointPath ?? "NotFound"
        metrics.record(route: route, method: method, status: status, nanoseconds: nanos)
        slo?.recordRequest(route: route, method: method, status: status, seconds: Double(nanos) / 1e9, tenant: context.caller?.tenantID)
    }
}
