import Foundation
import Hummingbird
import RecCore
import RecStore
import Tracing

/// `POST /api/v1/imports`: streams the upload to a spool file, queues an import job, answers 202 at once.
struct ImportsController {
    let store: RecordStore
    let spoolDirectory: String
    let instanceID: String
    let maxBytes: Int
    let worker: ImportWorker

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "imports", use: upload)
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.ingest)
        let format = try ImportFormat(type: request.uri.queryParameters["type"].map(String.init), contentType: request.headers[.contentType])
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw RecError.tooLarge("imports are limited to \(maxBytes) bytes")
        }
        let jobID = Identifier.random(prefix: "j")
        let path = (spoolDirectory as NSString).appendingPathComponent("\(jobID).\(format.encoding.rawValue)")
        let partial = path + ".part"
        let written: Int
        do {
            // File writes and the fsync block: they run on the import worker's thread, not the event loop.
            written = try await withTaskExecutorPreference(worker.thread) {
                var written = 0
                let file = try ByteFile(path: partial, mode: "wb")
                try await withSpan("import.spool") { _ in
                    for try await buffer in request.body {
                        written += buffer.readableBytes
                        if written > maxBytes { throw RecError.tooLarge("imports are limited to \(maxBytes) bytes") }
                        try buffer.withUnsafeReadableBytes { try file.write($0) }
                    }
                }
                try file.close(sync: true)
                return written
            }
            guard written > 0 else { throw RecError.malformedBody("the upload is empty") }
            guard rename(partial, path) == 0 else { throw ImportFailure("cannot move the spooled upload into place") }
        } catch {
            unlink(partial)
            throw error
        }
        let job = Job(
            id: jobID, tenantID: caller.tenantID, kind: "import", status: .queued,
            params: ["type": .string(format.kind.rawValue), "format": .string(format.encoding.rawValue), "bytes": .number(Double(written)), "spool_path": .string(path)],
            createdAt: WallClock.nowMillis()
        )
        do {
            try await store.createJob(job, owner: instanceID)
        } catch {
            unlink(path)
            throw error
        }
        worker.wake()
        struct Accepted: Encodable {
            let job_id: String
            let status: String
        }
        var response = try JSONResponse.make(.accepted, Accepted(job_id: jobID, status: "queued"))
        response.headers[.location] = "/api/v1/jobs/\(jobID)"
        return response
    }
}
