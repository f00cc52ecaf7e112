/// A domain error with a stable code, an HTTP status and the field it concerns; the HTTP layer renders it as JSON.
public struct RecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable machine-readable code, e.g. `invalid_field`.
    public let code: String
    /// The HTTP status this error maps to.
    public let status: Int
    /// A human-readable explanation.
    public let message: String
    /// Structured details such as the path of the offending field or the failing rows.
    public let details: [String: JSONValue]

    /// Creates an error; prefer the static constructors below.
    public init(code: String, status: Int, message: String, details: [String: JSONValue] = [:]) {
        self.code = code
        self.status = status
        self.message = message
        self.details = details
    }

    /// A text form for logs and test failures.
    public var description: String { "\(status) \(code): \(message)" }

    /// 400: a field is missing, of the wrong type or out of range; `field` is its JSON path.
    public static func invalidField(_ field: String, _ message: String) -> RecError {
        RecError(code: "invalid_field", status: 400, message: "\(field): \(message)", details: ["field": .string(field)])
    }

    /// 400: the body is not the JSON (or other format) the endpoint expects.
    public static func malformedBody(_ message: String) -> RecError {
        RecError(code: "malformed_body", status: 400, message: message)
    }

    /// 400: a batch was rejected whole because some rows are invalid; `rows` lists them.
    public static func invalidRows(_ rows: [RowError], total: Int) -> RecError {
        let invalid = Set(rows.map(\.index)).count
        let shown = rows.prefix(100).map { JSONValue.object(["index": .number(Double($0.index)), "field": .string($0.field), "message": .string($0.message)]) }
        return RecError(
            code: "invalid_rows",
            status: 400,
            message: "\(invalid) of \(total) rows are invalid; nothing was written",
            details: ["field": .string(rows.first?.field ?? ""), "rows": .array(Array(shown)), "invalid_count": .number(Double(invalid))]
        )
    }

    /// 401: no credentials or unknown credentials.
    public static func unauthorized(_ message: String = "a valid API key is required") -> RecError {
        RecError(code: "unauthorized", status: 401, message: message)
    }

    /// 403: the credentials are valid but not allowed to do this.
    public static func forbidden(_ message: String) -> RecError {
        RecError(code: "forbidden", status: 403, message: message)
    }

    /// 404: the resource does not exist (or belongs to another tenant).
    public static func notFound(_ what: String) -> RecError {
        RecError(code: "not_found", status: 404, message: "\(what) not found")
    }

    /// 409: the request conflicts with the current state.
    public static func conflict(_ message: String) -> RecError {
        RecError(code: "conflict", status: 409, message: message)
    }

    /// 413: the request carries more than the endpoint accepts.
    public static func tooLarge(_ message: String) -> RecError {
        RecError(code: "payload_too_large", status: 413, message: message)
    }

    /// 415: the content type is not one the endpoint accepts.
    public static func unsupportedMediaType(_ message: String) -> RecError {
        RecError(code: "unsupported_media_type", status: 415, message: message)
    }

    /// 422: well-formed but semantically unacceptable (e.g. an idempotency key reused with another body).
    public static func unprocessable(_ message: String, field: String? = nil) -> RecError {
        RecError(code: "unprocessable", status: 422, message: message, details: field.map { ["field": .string($0)] } ?? [:])
    }

    /// 429: the tenant's rate limit is exhausted; `retryAfter` is in whole seconds.
    public static func rateLimited(retryAfter: Int) -> RecError {
        RecError(code: "rate_limited", status: 429, message: "rate limit exceeded; retry after \(retryAfter)s", details: ["retry_after": .number(Double(retryAfter))])
    }

    /// 503: a dependency such as the store is not available.
    public static func unavailable(_ message: String) -> RecError {
        RecError(code: "unavailable", status: 503, message: message)
    }
}

/// One invalid row of a batch: its zero-based index (or line number for imports), the field path and why.
public struct RowError: Error, Sendable, Equatable, Codable {
    /// Zero-based index in the batch, or the 1-based line number in an import file.
    public let index: Int
    /// The path of the offending field, e.g. `interactions[3].item_id`.
    public let field: String
    /// Why the row was rejected.
    public let message: String

    /// Creates a row error.
    public init(index: Int, field: String, message: String) {
        self.index = index
        self.field = field
        self.message = message
    }
}
