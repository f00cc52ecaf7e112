import Foundation
@testable import RecServer
import ServiceLifecycle
import RecTesting
import Testing

@Suite("Background services on threads of their own")
struct ThreadedServiceTests {
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
        names.append(currentThreadName())
    }

    func record(_ name: String) {
        names.append(name)
    }
}

/// A service that reports the threads its own code, an actor call and a child task ran on.
private struct ProbingService: Service {
    let probe: ThreadProbe

    func run() async throws {
        await probe.record(currentThreadName())
        await probe.recordHere()
        async let child = currentThreadName()
        await probe.record(await child)
    }
}
