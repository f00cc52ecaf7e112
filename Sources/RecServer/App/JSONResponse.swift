import Hummingbird
import RecCore

/// Builds JSON responses with sorted keys.
enum JSONResponse {
    /// A response with `status` and `value` encoded as JSON.
    static func make(_ status: HTTPResponse.Status = .ok, _ value: some Encodable) throws -> Response {
        make(status, bytes: try JSONText.encode(value))
    }

    /// A response with `status` and already-encoded JSON.
    static func make(_ status: HTTPResponse.Status, bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// 204 No Content.
    static func noContent() -> Response {
        Response(status: .noContent)
    }
}
