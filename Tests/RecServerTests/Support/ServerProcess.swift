import AsyncHTTPClient
import Foundation
import RecTesting
import NIOCore

/// The real `recommender` binary running as a child process on a loopback port, for tests of signals and restarts.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let dataDirectory: String
    let output = Pipe()
    /// The exit status, recorded by Foundation's termination handler (the one moment reading it is safe).
    private let exitLock = NSLock()
    private var exitStatus: Int32?

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
        process.terminationHandler = { [weak self] finished in
            let status = finished.terminationStatus
            self?.exitLock.withLock { self?.exitStatus = status }
        }
    }

    /// The exit status once Foundation has recorded it.
    private var recordedExit: Int32? { exitLock.withLock { exitStatus } }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the process and waits until `/health/ready` answers 200.
    func start(client: HTTPClient) async throws {
        try process.run()
        for _ in 0..<200 {
            if let response = try? await client.execute(HTTPClientRequest(url: baseURL + "/health/ready"), timeout: .seconds(1)), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the server did not become ready")
    }

    /// Sends SIGTERM and waits for the exit status.
    func terminate() async -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        return await waitForExit()
    }

    /// Waits up to 20 s for the exit status (then kills the process and answers -1).
    func waitForExit() async -> Int32 {
        // `isRunning` can turn false before Foundation records the status, and reading `terminationStatus` then traps
        // (it took the whole test process down): the termination handler is where the status is known to be set.
        for _ in 0..<400 where recordedExit == nil {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if let status = recordedExit { return status }
        // kill(2), not `Process.terminate()`: that traps when the process has exited meanwhile (it took the whole
        // test process down).
        kill(process.processIdentifier, SIGKILL)
        for _ in 0..<100 where recordedExit == nil {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return -1
    }

    /// Everything the process wrote so far.
    func logs() -> String {
        String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    }
}
