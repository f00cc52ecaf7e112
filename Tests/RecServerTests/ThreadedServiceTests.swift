import Foundation
@testable import RecServer
import ServiceLifecycle
import Testing

@Suite("Background services on threads of their own")
struct ThreadedServiceTests {
    /// The OS name of the calling thread, from Linux's `/proc`.
    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
    }

    @Test("a wrapped service, the default actors it calls and its child tasks run on the service's thread")
    func runsOnItsThread() async throws {
        let probe = ThreadProbe()
        try await ThreadedService(service: ProbingService(probe: probe), threadName: "rec-test-svc").run()
        let names = await probe.names
        #expect(names.count == 3)
        #expect(Set(names) == ["rec-test-svc"], "\(names)")
    }
}

/// Records where a service's code ran.
private actor ThreadProbe {
    private(set) var names: [String] = []

    /// Records the calling thread (this actor's code runs wherever its caller's task prefers).
    func recordHere() {
        names.append(ThreadedServiceTests.threadName())
    }

    func record(_ name: String) {
        names.append(name)
    }
}

/// A service that reports the threads its own code, an actor call and a child task ran on.
private struct ProbingService: Service {
    let probe: ThreadProbe

    func run() async throws {
        await probe.record(ThreadedServiceTests.threadName())
        await probe.recordHere()
        async let child = ThreadedServiceTests.threadName()
        await probe.record(await child)
    }
}
