import Foundation
import NIOPosix
@testable import RecTelemetry
import Testing

@Suite("Log sink")
struct LogSinkTests {
    /// A temporary file written through one descriptor and read through another, so a test sees what has been
    /// written so far.
    private final class Output {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-sink-\(UUID().uuidString)").path
        let read: Int32
        let write: Int32

        init() throws {
            write = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            read = open(path, O_RDONLY)
            try #require(write >= 0 && read >= 0)
        }

        /// Everything written since the last call.
        func available() -> String {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = Glibc.read(read, &buffer, buffer.count)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        deinit {
            close(read)
            close(write)
            unlink(path)
        }
    }

    @Test("on an event loop, lines wait for the loop's queued work and then go out together, in order; elsewhere at once")
    func deferredOnEventLoops() async throws {
        let pipe = try Output()
        let sink = LogSink.file(descriptor: pipe.write)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        // Written on the loop: nothing reaches the pipe while the loop is still busy with the task that logged.
        let seenDuringTask = try await loop.submit { () -> (String, Int) in
            for index in 0..<100 { sink.write(bytes: Array("line \(index)".utf8)) }
            return (pipe.available(), sink.pendingByteCount)
        }.get()
        #expect(seenDuringTask.0 == "")
        #expect(seenDuringTask.1 > 0)
        // The loop's next round writes them all.
        try await loop.submit {}.get()
        #expect(pipe.available() == (0..<100).map { "line \($0)\n" }.joined())
        #expect(sink.pendingByteCount == 0)

        // Off the loops a line is written before `write` returns (the tests' own code runs on event loops, as in
        // `serve`: write from a plain thread).
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                sink.write(bytes: Array("off the loop".utf8))
                continuation.resume()
            }.start()
        }
        #expect(pipe.available() == "off the loop\n")

        // A line pending on a loop that is still busy goes out with `flush`, before a later line written elsewhere.
        let flushed = try await loop.submit { () -> String in
            sink.write(bytes: Array("pending".utf8))
            sink.flush()
            return pipe.available()
        }.get()
        #expect(flushed == "pending\n")
        // Past 64 KiB pending, the loop writes at once.
        let big = String(repeating: "x", count: 70_000)
        let bigSeen = try await loop.submit { () -> Int in
            sink.write(bytes: Array(big.utf8))
            return pipe.available().count
        }.get()
        #expect(bigSeen == 70_001)
        // Warnings and errors do not wait.
        let urgentSeen = try await loop.submit { () -> String in
            sink.write(bytes: Array("an error".utf8), urgent: true)
            return pipe.available()
        }.get()
        #expect(urgentSeen == "an error\n")
        try await group.shutdownGracefully()
    }

    @Test("a loop's lines go out after its own round, even while another loop that logged is still busy")
    func eachLoopWritesItsOwn() async throws {
        let pipe = try Output()
        let sink = LogSink.file(descriptor: pipe.write)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let busy = group.next(), other = group.next()
        #expect(busy !== other)
        let release = DispatchSemaphore(value: 0), logged = DispatchSemaphore(value: 0)
        let held = busy.submit {
            sink.write(bytes: Array("from the busy loop".utf8))
            logged.signal()
            release.wait()  // this loop's round does not end until the test says so
        }
        logged.wait()
        try await other.submit { sink.write(bytes: Array("from the other loop".utf8)) }.get()
        try await other.submit {}.get()
        #expect(pipe.available() == "from the busy loop\nfrom the other loop\n")
        release.signal()
        try await held.get()
        try await busy.submit {}.get()
        #expect(pipe.available() == "")
        try await group.shutdownGracefully()
    }
}
