import Foundation
import RecCore
import RecStore
import RecTelemetry

/// Imports one spooled file: parses records, validates each like the JSON API does, writes valid rows in chunks
/// (each chunk committed with the job's checkpoint), and reports rejected rows by line number.
struct ImportRunner {
    let store: RecordStore
    let telemetry: Telemetry
    let job: Job
    let owner: String
    /// The worker's thread, where chunk commits run too (a plain `Task` would not inherit it).
    let thread: WorkerThread

    /// How a run ended.
    struct Outcome {
        var status: Job.Status
        var progress: Double
        var accepted: Int
        var rejected: Int
        var errors: [RowError]
        var message: String?
        /// True when shutdown interrupted the run: the job stays leased and resumes later.
        var interrupted = false
        /// The internal error behind a failure, for the log only.
        var internalError: String?
    }

    /// The most row errors kept on the job.
    static let maxErrors = 100

    func run() async -> Outcome {
        var outcome = Outcome(status: .running, progress: 0, accepted: job.accepted, rejected: job.rejected, errors: job.errors)
        do {
            try await importFile(&outcome)
        } catch let failure as ImportFailure {
            outcome.status = .failed
            outcome.message = failure.description
        } catch is ImportCancelled {
            outcome.status = .cancelled
            outcome.message = "cancelled after \(outcome.accepted) rows"
        } catch is CancellationError {
            outcome.interrupted = true
        } catch {
            // Store errors carry internals (SQL states, paths) that are the operator's business, not the tenant's.
            outcome.status = .failed
            outcome.message = "the import stopped on an internal error after \(outcome.accepted) rows; the service log has the details"
            outcome.internalError = "\(error)"
        }
        return outcome
    }

    private func importFile(_ outcome: inout Outcome) async throws {
        guard let path = job.params["spool_path"]?.stringValue,
              let kind = job.params["type"]?.stringValue.flatMap(ImportFormat.Kind.init),
              let encoding = job.params["format"]?.stringValue.flatMap(ImportFormat.Encoding.init)
        else { throw ImportFailure("the job is missing its upload parameters") }
        let format = ImportFormat(kind: kind, encoding: encoding)
        let totalBytes = max(1, job.params["bytes"]?.numberValue ?? 1)
        let file = try ByteFile(path: path, mode: "rb")
        var reader = RecordReader(file: file)
        let checkpoint = try await store.jobCheckpoint(id: job.id)
        let types = kind == .interactions ? try await store.interactionTypes(tenantID: job.tenantID) : []
        let parser = RowParser(types: types, now: WallClock.nowMillis())
        var columns: [String] = []
        if encoding == .csv {
            guard let header = try reader.nextCSVRecord() else { throw ImportFailure("the CSV upload has no header row") }
            columns = try format.validate(header: header)
        }
        var record = 0
        var batch = Batch(kind: kind)
        var inFlight: InFlight?
        while true {
            let object: Result<JSONValue, RowError>
            if encoding == .csv {
                guard let fields = try reader.nextCSVRecord() else { break }
                object = format.object(columns: columns, fields: fields)
            } else {
                guard let bytes = try reader.nextLineBytes() else { break }
                if let value = try? JSONParser.parse(bytes) {
                    object = .success(value)
                } else {
                    object = .failure(RowError(index: 0, field: "$", message: "is not valid JSON"))
                }
            }
            record += 1
            if record <= checkpoint { continue }
            switch object {
            case .failure(let error):
                reject(&outcome, RowError(index: reader.line, field: error.field, message: error.message), kind: kind, reason: "malformed")
            case .success(let value):
                if let problem = batch.add(value, parser: parser) {
                    reject(&outcome, RowError(index: reader.line, field: problem.field, message: problem.message), kind: kind, reason: "invalid_field")
                }
            }
            if batch.count >= ImportWorker.chunkSize || (record - checkpoint) % (ImportWorker.chunkSize * 4) == 0 {
                outcome.progress = min(0.99, Double(reader.bytesRead) / totalBytes)
                try await commit(&batch, &outcome, checkpoint: record, after: &inFlight)
            }
        }
        outcome.progress = 1
        try await commit(&batch, &outcome, checkpoint: record, after: &inFlight)
        try await settle(&inFlight, &outcome)
        outcome.status = .succeeded
        outcome.message = "\(outcome.accepted) rows imported, \(outcome.rejected) rejected"
    }

    private func reject(_ outcome: inout Outcome, _ error: RowError, kind: ImportFormat.Kind, reason: String) {
        outcome.rejected += 1
        telemetry.ingest.rejected(kind.rawValue, reason: reason)
        if outcome.errors.count < Self.maxErrors { outcome.errors.append(error) }
    }

    /// Hands a chunk to the writer and returns at once, so parsing the next chunk overlaps this commit; chunks still
    /// commit one after another, in order (each waits for the one before).
    private func commit(_ batch: inout Batch, _ outcome: inout Outcome, checkpoint: Int, after previous: inout InFlight?) async throws {
        try await settle(&previous, &outcome)
        let count = batch.count
        let rows = batch.rows
        let kind = batch.kind
        let (progress, accepted, rejected, errors) = (outcome.progress, outcome.accepted + count, outcome.rejected, outcome.errors)
        let (store, telemetry, job, owner) = (store, telemetry, job, owner)
        let task = Task(executorPreference: thread) {
            let cancel = try await store.commitImportChunk(
                jobID: job.id, tenantID: job.tenantID, owner: owner, rows: rows, checkpoint: checkpoint, progress: progress,
                accepted: accepted, rejected: rejected, errors: errors, leaseUntil: WallClock.nowMillis() + ImportWorker.lease
            )
            telemetry.ingest.accepted(kind.rawValue, count: count)
            return cancel
        }
        previous = InFlight(task: task, count: count)
        batch.reset()
    }

    /// Waits for the chunk being committed; stops when it failed, the tenant cancelled, or the service is shutting down.
    /// Rows count as accepted only once their chunk has committed.
    private func settle(_ inFlight: inout InFlight?, _ outcome: inout Outcome) async throws {
        guard let pending = inFlight else { return }
        inFlight = nil
        let cancelRequested = try await pending.task.value
        outcome.accepted += pending.count
        if cancelRequested { throw ImportCancelled() }
        try Task.checkCancellation()
    }

    /// A chunk handed to the writer and not yet known to be committed.
    struct InFlight {
        let task: Task<Bool, any Error>
        let count: Int
    }
}

/// The tenant asked to stop the import.
struct ImportCancelled: Error {}

/// Valid rows waiting to be written.
private struct Batch {
    let kind: ImportFormat.Kind
    private(set) var interactions: [Interaction] = []
    private(set) var items: [Item] = []
    private(set) var users: [User] = []

    init(kind: ImportFormat.Kind) {
        self.kind = kind
    }

    var count: Int { interactions.count + items.count + users.count }

    var rows: RecordStore.ImportRows {
        switch kind {
        case .interactions: .interactions(interactions)
        case .items: .items(items)
        case .users: .users(users)
        }
    }

    /// Adds a parsed row, or returns its first problem.
    mutating func add(_ value: JSONValue, parser: RowParser) -> (field: String, message: String)? {
        switch kind {
        case .interactions:
            switch parser.interaction(value, path: "") {
            case .row(let row): interactions.append(row)
            case .invalid(let problems): return problems.first
            }
        case .items:
            switch parser.item(value, path: "") {
            case .row(let row): items.append(row)
            case .invalid(let problems): return problems.first
            }
        case .users:
            switch parser.user(value, path: "") {
            case .row(let row): users.append(row)
            case .invalid(let problems): return problems.first
            }
        }
        return nil
    }

    mutating func reset() {
        interactions.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
        users.removeAll(keepingCapacity: true)
    }
}
