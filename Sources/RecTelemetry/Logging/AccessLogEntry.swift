import Logging

/// What one request's access-log line says besides the logger's metadata (`JSONLogHandler.logRequest`).
public struct AccessLogEntry: Sendable {
    /// The HTTP method.
    public var method: String
    /// The route template (`NotFound` when no route matched), never the raw path.
    public var route: String
    /// The response status code.
    public var status: Int
    /// How long the request took.
    public var nanoseconds: UInt64
    /// The calling tenant, when the request was authenticated as one.
    public var tenant: String?

    /// Creates an entry.
    public init(method: String, route: String, status: Int, nanoseconds: UInt64, tenant: String?) {
        self.method = method
        self.route = route
        self.status = status
        self.nanoseconds = nanoseconds
        self.tenant = tenant
    }

    /// The entry as log metadata: what `logRequest` writes, for loggers that are not a `JSONLogHandler`.
    public var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "http.request.method": .string(method),
            "http.route": .string(route),
            "http.response.status_code": .string(String(status)),
            "duration_ms": .string(Self.milliseconds(nanoseconds)),
        ]
        if let tenant { metadata["tenant"] = .string(tenant) }
        return metadata
    }

    /// `nanoseconds` as milliseconds with three decimals (e.g. `1.066`).
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micros = (nanoseconds + 500) / 1_000
        let fraction = micros % 1_000
        return "\(micros / 1_000)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"
    }
}
