import Foundation
import Hummingbird
import RecCore

/// Reads a JSON request body and pulls out a batch array, enforcing the batch size limit.
enum BatchBody {
    /// The most rows one JSON request may carry.
    static let maxRows = 10_000

    /// Bodies larger than this are parsed on the compute pool (when given), not on the event loop.
    static let inlineParseBytes = 64 * 1024

    /// Decodes the body as any JSON value; 400 naming the problem when it is not JSON. A body over `inlineParseBytes`
    /// is parsed on `compute` (the batch endpoints pass it; the others take small bodies).
    static func json(_ request: Request, context: AppRequestContext, compute: ComputePool? = nil) async throws -> JSONValue {
        guard let value = try await optionalJSON(request, context: context, compute: compute) else {
            throw RecError.malformedBody("the request body is empty; send a JSON object")
        }
        return value
    }

    /// Like `json`, but nil for an empty body (for endpoints whose body is optional).
    static func optionalJSON(_ request: Request, context: AppRequestContext, compute: ComputePool? = nil) async throws -> JSONValue? {
        if let type = request.headers[.contentType]?.lowercased(), type.hasPrefix("multipart/") || type.hasPrefix("text/csv") || type.hasPrefix("application/x-ndjson") {
            throw RecError.unsupportedMediaType("send the body as application/json (bulk CSV or NDJSON goes to POST /api/v1/imports)")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        do {
            if let compute, buffer.readableBytes > inlineParseBytes {
                return try await compute.run { try buffer.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) } }
            }
            return try buffer.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.bindMemory(to: UInt8.self)) }
        } catch let error as JSONParser.Failure {
            throw RecError.malformedBody("the body is not valid JSON: \(error.description)")
        }
    }

    /// The array under `key` of a body object, or the body itself when `single` allows one bare object.
    static func rows(_ body: JSONValue, key: String, allowSingle: Bool) throws -> (rows: [JSONValue], single: Bool) {
        guard let object = body.objectValue else {
            throw RecError.invalidField("$", "the body must be a JSON object, got \(body.typeName)")
        }
        if let value = object[key] {
            guard let array = value.arrayValue else { throw RecError.invalidField(key, "must be an array, got \(value.typeName)") }
            if array.isEmpty { throw RecError.invalidField(key, "must contain at least one entry") }
            if array.count > maxRows {
                throw RecError(code: "payload_too_large", status: 413, message: "\(key) has \(array.count) entries; at most \(maxRows) per request (use POST /api/v1/imports for more)", details: ["field": .string(key)])
            }
            if object.count > 1 {
                let extra = object.keys.filter { $0 != key }.sorted().first ?? ""
                throw RecError.invalidField(extra, "is not a known field")
            }
            return (array, false)
        }
        guard allowSingle else { throw RecError.invalidField(key, "is required") }
        return ([body], true)
    }
}
