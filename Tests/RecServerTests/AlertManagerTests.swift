import Foundation
@testable import RecServer
import RecCore
import RecStore
import RecTesting
import Testing

/// The alert manager across replicas: another replica's SLO alerts are its own business while it lives, and anyone's
/// to resolve once it has gone silent.
@Suite("Alert manager")
struct AlertManagerTests {
    static func sloAlert(instance: String, now: Int64) -> AlertRecord {
        let condition = AlertCondition(
            name: "RecommendationsAvailabilityBudgetBurn", severity: "page", tenantID: nil,
            labels: ["slo": "recommendations-availability", "service": "recommender", "instance": instance],
            annotations: ["summary": "test"]
        )
        return condition.firing(since: now)
    }

    @Test("a silent replica's SLO alerts are resolved by another; a live replica's are left alone", arguments: TestStore.all)
    func silentReplicasAlertsResolve(store: TestStore) async throws {
        try await TestApp(store).run { _, parts in
            let now = WallClock.nowMillis()
            let gone = Self.sloAlert(instance: "gone-\(UUID().uuidString)", now: now - 3_600_000)
            let alive = Self.sloAlert(instance: "alive-\(UUID().uuidString)", now: now)
            // The gone replica last beat ten minutes ago; the live one beats before raising its alert (as a replica
            // does, in the same evaluation) and keeps beating.
            try await parts.store.heartbeat(instanceID: gone.labels["instance"]!, now: now - 600_000)
            try await parts.store.heartbeat(instanceID: alive.labels["instance"]!, now: now)
            for alert in [gone, alive] {
                #expect(try await parts.store.transitionAlert(alert, now: now, payload: { _, _ in "{}" }))
            }
            let deadline = ContinuousClock.now + .seconds(20)
            var firing: Set<String> = []
            repeat {
                try await parts.store.heartbeat(instanceID: alive.labels["instance"]!, now: WallClock.nowMillis())
                try await Task.sleep(for: .milliseconds(200))
                firing = Set(try await parts.store.firingAlerts(tenantID: nil).map(\.fingerprint))
            } while firing.contains(gone.fingerprint) && ContinuousClock.now < deadline
            #expect(!firing.contains(gone.fingerprint), "the silent replica's alert was resolved")
            #expect(firing.contains(alive.fingerprint), "the live replica's alert is its own to resolve")
            // Clean up the shared database: the live replica's alert would otherwise outlive the test.
            _ = try await parts.store.transitionAlert(alive.resolved(at: WallClock.nowMillis()), now: WallClock.nowMillis(), payload: { _, _ in "{}" })
        }
    }
}
