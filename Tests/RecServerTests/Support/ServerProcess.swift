import AsyncHTTPClient
import Foundation
import RecTesting
import NIOCore

/// The real `recommender` binary running as a child process on a loopback port, for tests of signals and restarts.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let dataDirectory: String
    private let output = Pipe()
    /// The exit status, recorded by Foundation's termination handler (the one moment reading it is safe), whether the
    /// process was started, and everything it wrote so far.
    private let lock = NSLock()
    private var exitStatus: Int32?
    private var started = false
    private var written = Data()
    private var endOfOutput = false

    /// The built executable next to the test bundle.
    static var executable: URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("recommender")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/recommender")
    }

    init(dataDirectory: String, environment: [String: String] = [:]) {
        self.port = Int.random(in: 20_000..<60_000)
        self.dataDirectory = dataDirectory
        process.executableURL = Self.executable
        process.arguments = ["serve", "--data-dir", dataDirectory, "--port", String(port)]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = output
        process.standardError = output
        // Read as it is written, on a thread of its own (blocking reads, never on the concurrency pool): a child whose
        // pipe filled up would block in its next log write and stop answering. (Not `readabilityHandler`: clearing it
        // at the end of the output, from inside the handler, could hang Foundation's dispatch source.)
        let reader = output.fileHandleForReading
        Thread.detachNewThread { [weak self] in
            while true {
                let chunk = reader.availableData
                self?.lock.withLock {
                    self?.written.append(chunk)
                    if chunk.isEmpty { self?.endOfOutput = true }
                }
                if chunk.isEmpty || self == nil { return }
            }
        }
        process.terminationHandler = { [weak self] finished in
            let status = finished.terminationStatus
            self?.lock.withLock { self?.exitStatus = status }
        }
    }

    /// The exit status once Foundation has recorded it.
    private var recordedExit: Int32? { lock.withLock { exitStatus } }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the process and waits until `/health/ready` answers 200.
    func start(client: HTTPClient) async throws {
        try process.run()
        lock.withLock { started = true }
        for _ in 0..<200 {
            if let response = try? await client.execute(HTTPClientRequest(url: baseURL + "/health/ready"), timeout: .seconds(1)), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the server did not become ready")
    }

    /// Sends `signal` to the process if it is running: never to a process not started (its identifier is 0, and
    /// kill(0, …) signals the whole process group, this test process included) or already reaped (its identifier
    /// may belong to another process by now).
    func signal(_ signal: Int32) {
        lock.withLock {
            guard started, exitStatus == nil, process.processIdentifier > 0 else { return }
            kill(process.processIdentifier, signal)
        }
    }

    /// Sends SIGTERM and waits for the exit status (nil when the process was never started).
    @discardableResult
    func terminate() async -> Int32? {
        guard lock.withLock({ started }) else { return nil }
        signal(SIGTERM)
        return await waitForExit()
    }

    /// Waits up to 20 s for the exit status (then kills the process and answers -1), and for the end of its output.
    func waitForExit() async -> Int32 {
        // `isRunning` can turn false before Foundation records the status, and reading `terminationStatus` then traps
        // (it took the whole test process down): the termination handler is where the status is known to be set.
        for _ in 0..<400 where recordedExit == nil {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if let status = recordedExit {
            for _ in 0..<40 where !lock.withLock({ endOfOutput }) {
                try? await Task.sleep(for: .milliseconds(50))
            }
            return status
        }
        // kill(2), not `Process.terminate()`: that traps when the process has exited meanwhile.
        signal(SIGKILL)
        for _ in 0..<100 where recordedExit == nil {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return -1
    }

    /// Everything the process wrote so far.
    func logs() -> String {
        lock.withLock { String(decoding: written, as: UTF8.self) }
    }
}
