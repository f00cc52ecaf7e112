import Foundation
import Hummingbird
import RecCore
import RecStore

/// Renders errors as `{"error":{"code","message","details"}}` with the right status.
enum ErrorResponse {
    static func make(_ error: RecError) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if error.status == 429 || error.status == 503, let retry = error.details["retry_after"]?.numberValue {
            headers[.retryAfter] = String(Int(retry))
        }
        var payload: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
        if !error.details.isEmpty { payload["details"] = .object(error.details) }
        // Error payloads hold strings and finite numbers only, so encoding cannot fail.
        let body = (try? JSONText.encode(["error": JSONValue.object(payload)])) ?? Array(#"{"error":{"code":"internal"}}"#.utf8)
        return Response(status: .init(code: error.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Maps any error to a `RecError`: our own pass through, store errors by code, framework errors keep their status,
    /// the rest are 500s.
    static func classify(_ error: any Error) -> RecError {
        switch error {
        case let error as RecError:
            return error
        case let error as StoreError:
            return classify(error)
        case let error as HTTPError:
            switch error.status.code {
            case 404: return RecError.notFound("route")
            case 405: return RecError(code: "method_not_allowed", status: 405, message: "method not allowed on this route")
            case 413: return RecError.tooLarge("request body exceeds the limit of this endpoint")
            default: return RecError(code: "http_\(error.status.code)", status: Int(error.status.code), message: error.body ?? error.status.reasonPhrase)
            }
        case let error as any HTTPResponseError where error.status.code < 500:
            return RecError(code: "http_\(error.status.code)", status: Int(error.status.code), message: error.status.reasonPhrase)
        default:
            return RecError(code: "internal", status: 500, message: "internal error")
        }
    }

    /// The `Retry-After` of a 503 for an unavailable database, in seconds.
    static let unavailableRetrySeconds = 5

    /// Store errors that follow from the state the caller asked about (the serving history, a tenant name, a version's
    /// artifact, a job's lease) are 409 `conflict` with the store's message; the store's own failures are 500s.
    static func classify(_ error: StoreError) -> RecError {
        switch error.code {
        case .notServing, .nothingServedBefore, .servingHistoryChanged, .nameTaken, .artifactMissing, .artifactCorrupt, .leaseLost, .experimentRunning:
            return RecError.conflict(error.message)
        case .unavailable:
            // The database is down or unreachable: nothing was written; the caller may retry once it is back.
            return RecError(code: "unavailable", status: 503, message: "the database is unavailable; nothing was stored, retry later",
                            details: ["retry_after": .number(Double(unavailableRetrySeconds))])
        default:
            return RecError(code: "internal", status: 500, message: "internal error")
        }
    }
}
