#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Where JSON log lines go: standard output in the service, memory in tests.
public final class LogSink: Sendable {
    private let capturing: Bool
    private let captured = Mutex<[String]>([])
    private let writeLock = Mutex(())

    private init(capturing: Bool) {
        self.capturing = capturing
    }

    /// Writes each line to standard output.
    public static let standardOutput = LogSink(capturing: false)

    /// Keeps lines in memory so tests can read them.
    public static func memory() -> LogSink { LogSink(capturing: true) }

    /// Writes one line given as UTF-8 bytes (without its newline): one system call, no copy into a String.
    func write(bytes line: [UInt8]) {
        if capturing {
            let text = String(decoding: line, as: UTF8.self)
            captured.withLock { $0.append(text) }
            return
        }
        var data = line
        data.append(0x0A)
        writeLock.withLock { _ in
            data.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }

    /// The captured lines so far (empty for standard output).
    public var lines: [String] {
        captured.withLock { $0 }
    }
}
