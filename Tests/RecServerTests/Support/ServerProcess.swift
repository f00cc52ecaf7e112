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
    }

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

    func waitForExit() async -> Int32 {
        for _ in 0..<400 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let timedOut = process.isRunning
        if timedOut { process.terminate() }
        // Foundation may report the process gone before it has recorded the exit status (reading the status then
        // traps): `waitUntilExit` returns once it has. It blocks, so off the event loops.
        await offTheLoops { process.waitUntilExit() }
        return timedOut ? -1 : process.terminationStatus
    }

    /// Everything the process wrote so far.
    func logs() -> String {
        String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    }
}
