#if canImport(Glibc)
import Glibc
#endif
import NIOPosix
import Synchronization

/// Where JSON log lines go: standard output in the service, memory in tests.
///
/// Lines are written in batches without a writer thread:
/// - On an event loop (where requests run in `serve`), a line is appended to the pending bytes and that loop writes
///   them after the work it has queued: one system call carries the lines of many requests, and no thread is woken for
///   it. Past 64 KiB pending, and for urgent lines (warnings and errors), the caller writes at once.
/// - Elsewhere, a caller that finds no write in progress writes what is pending (its own line and any that arrive
///   meanwhile) until nothing is left; a caller that finds one in progress only appends its line, which the writing
///   caller picks up.
///
/// Callers never queue on a lock held through a system call. When standard output does not keep up (past 8 MiB
/// pending while a write is in progress), callers wait, as with any blocking log. `flush()` writes whatever is pending:
/// the service calls it before it exits. A crash loses the lines still pending: at most 64 KiB, and never a warning
/// or an error.
public final class LogSink: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var writing = false
        /// The event loops with a write of the pending bytes queued.
        var scheduled: [ObjectIdentifier] = []
    }

    /// Above this many pending bytes while a write is in progress (standard output is not keeping up), callers wait.
    private static let pendingLimit = 8 << 20
    /// Above this many pending bytes, an event loop writes at once instead of after its queued work.
    private static let deferLimit = 64 << 10
    private let descriptor: Int32?
    private let captured = Mutex<[String]>([])
    private let pending = Mutex(Pending())

    private init(descriptor: Int32?) {
        self.descriptor = descriptor
    }

    /// Writes each line to standard output.
    public static let standardOutput = LogSink(descriptor: STDOUT_FILENO)

    /// Keeps lines in memory so tests can read them.
    public static func memory() -> LogSink { LogSink(descriptor: nil) }

    /// Writes each line to `descriptor` (which the caller keeps open), as standard output's sink does.
    static func file(descriptor: Int32) -> LogSink { LogSink(descriptor: descriptor) }

    /// Writes one line given as UTF-8 bytes (without its newline): on an event loop and not `urgent`, after the loop's
    /// queued work; otherwise before returning, or by the caller that is writing.
    func write(bytes line: [UInt8], urgent: Bool = false) {
        guard descriptor != nil else {
            let text = String(decoding: line, as: UTF8.self)
            captured.withLock { $0.append(text) }
            return
        }
        while pending.withLock({ $0.writing && $0.bytes.count > Self.pendingLimit }) { usleep(1_000) }
        guard !urgent, let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            pending.withLock { state in
                state.bytes.append(contentsOf: line)
                state.bytes.append(0x0A)
            }
            drain()
            return
        }
        let id = ObjectIdentifier(loop as AnyObject)
        let now: Bool?  // write now, queue a write on this loop, or leave it to the write this loop has queued
        now = pending.withLock { state in
            state.bytes.append(contentsOf: line)
            state.bytes.append(0x0A)
            if state.bytes.count >= Self.deferLimit { return true }
            if state.scheduled.contains(id) { return nil }
            state.scheduled.append(id)
            return false
        }
        switch now {
        case true?: drain()
        case false?: loop.execute { self.drain(queuedOn: id) }
        case nil: break
        }
    }

    /// Writes every pending line, waiting for a write in progress elsewhere to finish.
    public func flush() {
        while true {
            drain()
            if pending.withLock({ !$0.writing && $0.bytes.isEmpty }) { return }
            usleep(1_000)
        }
    }

    /// Writes what is pending until nothing is left, unless a write is in progress (whose caller then writes it);
    /// `loop` is the event loop that queued this write.
    private func drain(queuedOn loop: ObjectIdentifier? = nil) {
        guard let descriptor else { return }
        var batch: [UInt8] = pending.withLock { state in
            if let loop { state.scheduled.removeAll { $0 == loop } }
            guard !state.writing, !state.bytes.isEmpty else { return [] }
            state.writing = true
            var taken: [UInt8] = []
            swap(&taken, &state.bytes)
            return taken
        }
        while !batch.isEmpty {
            Self.writeAll(batch, to: descriptor)
            batch.removeAll(keepingCapacity: true)
            pending.withLock { state in
                swap(&batch, &state.bytes)  // the next lines, and the spent buffer's capacity for the ones after
                if batch.isEmpty { state.writing = false }
            }
        }
    }

    /// How many bytes wait to be written (for tests).
    var pendingByteCount: Int {
        pending.withLock { $0.bytes.count }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0, errno == EINTR { continue }
                    break
                }
                offset += written
            }
        }
    }

    /// The captured lines so far (empty for standard output).
    public var lines: [String] {
        captured.withLock { $0 }
    }
}
