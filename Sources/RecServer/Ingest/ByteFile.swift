#if canImport(Glibc)
import Glibc
#endif

/// Owns one C `FILE*` for streaming reads or writes; closes it in `deinit`.
///
/// `@unchecked Sendable`: a `ByteFile` is used by one task at a time (the request that spools it, then the single
/// worker that imports it), never concurrently.
final class ByteFile: @unchecked Sendable {
    private var handle: UnsafeMutablePointer<FILE>?
    /// The file's path.
    let path: String

    /// Opens `path` with a C `mode` (`"rb"`, `"wb"`).
    init(path: String, mode: String) throws {
        self.path = path
        guard let handle = fopen(path, mode) else {
            throw ImportFailure("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.handle = handle
    }

    deinit {
        if let handle { fclose(handle) }
    }

    /// Appends bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let handle, bytes.count > 0 else { return }
        guard fwrite(bytes.baseAddress, 1, bytes.count, handle) == bytes.count else {
            throw ImportFailure("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads up to `count` bytes into `buffer`, returning how many were read (0 at the end).
    func read(into buffer: inout [UInt8], count: Int) -> Int {
        guard let handle else { return 0 }
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        return buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, handle) }
    }

    /// Flushes to the kernel and to disk, then closes.
    func close(sync: Bool) throws {
        guard let handle else { return }
        self.handle = nil
        if sync {
            fflush(handle)
            fsync(fileno(handle))
        }
        guard fclose(handle) == 0 else { throw ImportFailure("cannot close \(path)") }
    }
}

/// An import that cannot go on (unreadable file, bad header): the job fails with this message.
struct ImportFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
