#if canImport(Glibc)
import Glibc
#endif
import RecCore
import Synchronization

/// Where JSON log lines go: standard output in the service, memory in tests.
///
/// Lines are written by a thread of its own (`rec-log-writer`), so a request's log line costs an append to a buffer,
/// never a system call on an event loop: the first line into an empty buffer schedules the writer, which writes all
/// that has arrived by then in one system call, and again until the buffer is empty. Error and critical lines are
/// written through at once (with everything before them), so a crash right after one still has it on standard output;
/// whatever is pending at exit is written by an `atexit` handler. When standard output does not keep up and 8 MiB are
/// pending, callers wait (as with any blocking log).
public final class LogSink: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var scheduled = false
    }

    /// Above this many pending bytes (standard output is not keeping up), callers wait for the writer.
    private static let pendingLimit = 8 << 20
    private let capturing: Bool
    private let captured = Mutex<[String]>([])
    private let pending = Mutex(Pending())
    /// Held while writing, so batches reach standard output in the order their lines arrived.
    private let writing = Mutex(())
    private let writer: WorkerThread?

    private init(capturing: Bool) {
        self.capturing = capturing
        writer = capturing ? nil : WorkerThread(name: "rec-log-writer")
    }

    /// Writes each line to standard output.
    public static let standardOutput: LogSink = {
        let sink = LogSink(capturing: false)
        atexit { LogSink.standardOutput.flush() }
        return sink
    }()

    /// Keeps lines in memory so tests can read them.
    public static func memory() -> LogSink { LogSink(capturing: true) }

    /// Queues one line given as UTF-8 bytes (without its newline); `urgent` writes it, and all before it, at once.
    func write(bytes line: [UInt8], urgent: Bool = false) {
        if capturing {
            let text = String(decoding: line, as: UTF8.self)
            captured.withLock { $0.append(text) }
            return
        }
        while pending.withLock({ $0.bytes.count > Self.pendingLimit }) { usleep(1_000) }
        let schedule = pending.withLock { state -> Bool in
            state.bytes.append(contentsOf: line)
            state.bytes.append(0x0A)
            guard !urgent, !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if urgent {
            flush()
        } else if schedule, let writer {
            writer.execute { self.drain() }
        }
    }

    /// Writes everything pending now, on the calling thread.
    public func flush() {
        guard !capturing else { return }
        writing.withLock { _ in
            let batch = pending.withLock { state -> [UInt8] in
                var taken: [UInt8] = []
                swap(&taken, &state.bytes)
                return taken
            }
            Self.writeAll(batch)
        }
    }

    /// The writer thread's turn: writes until nothing is pending, then lets the next line schedule it again.
    private func drain() {
        while true {
            let done = writing.withLock { _ -> Bool in
                let batch = pending.withLock { state -> [UInt8] in
                    var taken: [UInt8] = []
                    swap(&taken, &state.bytes)
                    if taken.isEmpty { state.scheduled = false }
                    return taken
                }
                Self.writeAll(batch)
                return batch.isEmpty
            }
            if done { return }
        }
    }

    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
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
