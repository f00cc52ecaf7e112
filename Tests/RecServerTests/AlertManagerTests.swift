import Foundation
@testable import RecServer
import RecCore
import RecStore
import RecTesting
import Testing

/// The alert manager across replicas: another replica's SLO alerts are its own business while it lives, and anyone's
/// to resolve once it has gone silent; a replica's older view never overturns a newer transition.
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
                #expect(try await parts.store.transitionAlert(alert, now: now, observedAt: now, payload: { _, _ in "{}" }))
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
            let end = WallClock.nowMillis()
            _ = try await parts.store.transitionAlert(alive.resolved(at: end), now: end, observedAt: end + 1, payload: { _, _ in "{}" })
        }
    }

    @Test("a transition made after a replica read its conditions is not overturned by that replica's older view", arguments: TestStore.all)
    func staleViewsDoNotOverturn(store: TestStore) async throws {
        try await store.withRecordStore { records throws in
            // Times far ahead of the clock, so that the other apps sharing a PostgreSQL database (replicas, to this
            // store) cannot overturn these states from their own, present-day views while the test runs.
            let base = WallClock.nowMillis() + 1_000_000_000_000
            func t(_ offset: Int64) -> Int64 { base + offset }
            let condition = AlertCondition(
                name: "TrainingFailed", severity: "warning", tenantID: "t_\(UUID().uuidString.prefix(8))",
                labels: ["model": "ials", "job_id": "job_\(UUID().uuidString)"], annotations: ["summary": "test"]
            )
            // Replica B reads the conditions at 1,000 (the training has failed); replica A fires the alert at 1,100
            // and resolves it at 2,000 (a later training succeeded). B, still acting on its view from 1,000, finds the
            // alert not firing and tries to fire it: nothing happens, and no delivery is queued.
            #expect(try await records.transitionAlert(condition.firing(since: t(1_100)), now: t(1_100), observedAt: t(1_050), payload: { _, _ in "{}" }))
            #expect(try await records.transitionAlert(condition.firing(since: t(1_100)).resolved(at: t(2_000)), now: t(2_000), observedAt: t(1_900), payload: { _, _ in "{}" }))
            #expect(try await !records.transitionAlert(condition.firing(since: t(2_100)), now: t(2_100), observedAt: t(1_000), payload: { _, _ in "{}" }))
            #expect(try await records.firingAlerts(tenantID: condition.tenantID).isEmpty)
            // The other way round: fired at 3,000 by A, B's view from 2,500 (no condition) does not resolve it...
            #expect(try await records.transitionAlert(condition.firing(since: t(3_000)), now: t(3_000), observedAt: t(2_900), payload: { _, _ in "{}" }))
            #expect(try await !records.transitionAlert(condition.firing(since: t(3_000)).resolved(at: t(3_100)), now: t(3_100), observedAt: t(2_500), payload: { _, _ in "{}" }))
            #expect(try await records.firingAlerts(tenantID: condition.tenantID).count == 1)
            // ...while a view from after the firing does (and leaves nothing stamped in the future firing in a shared
            // database: failed expectations do not stop the test before this line).
            #expect(try await records.transitionAlert(condition.firing(since: t(3_000)).resolved(at: t(3_200)), now: t(3_200), observedAt: t(3_150), payload: { _, _ in "{}" }))
            #expect(try await records.firingAlerts(tenantID: condition.tenantID).isEmpty)
        }
    }
}
