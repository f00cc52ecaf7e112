import Hummingbird
import RecCore
import RecTelemetry

/// Answers 429 with `Retry-After` when the caller's tenant has used up its token bucket.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let metrics: AccessMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let caller = context.caller, let wait = limiter.take(tenantID: caller.tenantID, limit: caller.rateLimit) {
            metrics.rateLimited()
            throw RecError.rateLimited(retryAfter: wait)
        }
        return try await next(request, context)
    }
}
