import HTTPTypes
import Hummingbird
import Instrumentation
import Logging
import RecTelemetry
import Tracing

/// Every request's telemetry in one layer: a server span (continuing an incoming `traceparent`) named by route
/// template, `http_server_request_duration_seconds` and the in-flight gauge, the request's SLO event, and one access-log
/// line written inside the span (so it carries the trace and span ids). One layer rather than three, and span attributes
/// only on spans that record: this runs on every request, and each async layer and attribute has a cost (built after
/// Hummingbird's `TracingMiddleware` and `MetricsMiddleware`).
struct RequestTelemetryMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: HTTPMetrics
    let slo: SLOEvaluator?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        var parent = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HeaderExtractor())
        let span = startSpan("HTTP \(method)", context: parent, ofKind: .server)
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["http.request.method"] = method
                attributes["url.path"] = request.uri.path
                attributes["url.query"] = request.uri.query
                attributes["user_agent.original"] = request.headers[.userAgent]
                attributes["http.request.body.size"] = request.headers[.contentLength].flatMap { Int($0) }
            }
        }
        let inFlight = metrics.inFlight(method: method)
        inFlight.increment()
        defer { inFlight.decrement() }
        return try await ServiceContext.$current.withValue(span.context) {
            do {
                let response = try await next(request, context)
                finish(span: span, method: method, context: context, status: Int(response.status.code), start: start, error: nil)
                return response
            } catch {
                finish(span: span, method: method, context: context, status: ErrorResponse.classify(error).status, start: start, error: error)
                throw error
            }
        }
    }

    /// Ends the span, records the metrics and the SLO event, and writes the access-log line.
    private func finish(span: any Span, method: String, context: Context, status: Int, start: ContinuousClock.Instant, error: (any Error)?) {
        let elapsed = ContinuousClock.now - start
        let nanos = UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
        let route = context.endpointPath ?? "NotFound"
        if context.endpointPath != nil { span.operationName = route }
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["http.route"] = context.endpointPath
                attributes["http.response.status_code"] = status
            }
            if status >= 500 { span.setStatus(.init(code: .error)) }
            if let error { span.recordError(error) }
        }
        metrics.record(route: route, method: method, status: status, nanoseconds: nanos)
        slo?.recordRequest(route: route, method: method, status: status, seconds: Double(nanos) / 1e9, tenant: context.caller?.tenantID)
        let entry = AccessLogEntry(method: method, route: route, status: status, nanoseconds: nanos, tenant: context.caller?.tenantID)
        if let handler = context.logger.handler as? JSONLogHandler {
            handler.logRequest(entry)
        } else {
            context.logger.info("request completed", metadata: entry.metadata)
        }
        span.end()
    }
}

/// Reads propagation headers (`traceparent`, `tracestate`) from a request.
private struct HeaderExtractor: Extractor {
    func extract(key name: String, from headers: HTTPFields) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}
