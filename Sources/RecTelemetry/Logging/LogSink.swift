#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where JSON log lines go: standard output in the service, memory in tests.
///
/// Lines are written in batches without a writer thread: a caller that finds no write in progress writes what is
/// pending (its own line and any that arrive meanwhile) until nothing is left; a caller that finds one in progress
/// only appends its line, which the writing caller picks up. Under load one system call carries several lines and
/// callers do not queue on a lock held through a system call; alone, each line is written at once. A line is written
/// by the time the caller that is writing returns; while standard output keeps up, that caller writes a few batches
/// at most, and when it does not, callers wait (as with any blocking log).
public final class LogSink: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var writing = false
    }

    /// Above this many pending bytes (standard output is not keeping up), callers wait for the writer.
    private static let pendingLimit = 8 << 20
    private let capturing: Bool
    private let captured = Mutex<[String]>([])
    private let pending = Mutex(Pending())

    private init(capturing: Bool) {
        self.capturing = capturing
    }

    /// Writes each line to standard output.
    public static let standardOutput = LogSink(capturing: false)

    /// Keeps lines in memory so tests can read them.
    public static func memory() -> LogSink { LogSink(capturing: true) }

    /// Writes one line given as UTF-8 bytes (without its newline); returns once the line is written or handed to the
    /// caller that is writing.
    func write(bytes line: [UInt8]) {
        if capturing {
            let text = String(decoding: line, as: UTF8.self)
            captured.withLock { $0.append(text) }
            return
        }
        while pending.withLock({ $0.bytes.count > Self.pendingLimit }) { usleep(1_000) }
        var batch: [UInt8] = pending.withLock { state in
            state.bytes.append(contentsOf: line)
            state.bytes.append(0x0A)
            guard !state.writing else { return [] }
            state.writing = true
            var taken: [UInt8] = []
            swap(&taken, &state.bytes)
            return taken
        }
        while !batch.isEmpty {
            Self.writeAll(batch)
            batch.removeAll(keepingCapacity: true)
            pending.withLock { state in
                swap(&batch, &state.bytes)  // the next lines, and the spent buffer's capacity for the ones after
                if batch.isEmpty { state.writing = false }
            }
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
