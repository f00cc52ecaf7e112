import Synchronization

/// Each experiment arm's answers on this replica, and how many were slower than the recommendation latency SLO's
/// threshold: what a canary's latency guardrail compares (candidate against baseline, so load that slows every arm
/// alike trips nothing).
public final class ArmGuardrails: Sendable {
    /// An arm's counts.
    public struct Counts: Sendable, Equatable {
        /// Answers served.
        public var requests = 0
        /// Answers slower than the threshold.
        public var slow = 0

        /// No answers yet.
        public init() {}
    }

    /// The latency above which an answer counts as slow (the SLO's threshold), in seconds.
    public let slowSeconds: Double
    private let counts = Mutex<[String: [String: Counts]]>([:])

    /// Guardrail counts with `slowSeconds` as the threshold.
    public init(slowSeconds: Double) {
        self.slowSeconds = slowSeconds
    }

    /// Counts one answer of `arm` that took `seconds`.
    public func record(_ arm: ServedArm, seconds: Double) {
        counts.withLock { counts in
            counts[arm.experimentID, default: [:]][arm.variant, default: Counts()].requests += 1
            if seconds > slowSeconds { counts[arm.experimentID, default: [:]][arm.variant, default: Counts()].slow += 1 }
        }
    }

    /// The counts of each arm of `experiment`, by variant name.
    public func counts(experiment: String) -> [String: Counts] {
        counts.withLock { $0[experiment] ?? [:] }
    }

    /// Forgets the experiments not in `ids`.
    public func retain(_ ids: Set<String>) {
        counts.withLock { counts in counts = counts.filter { ids.contains($0.key) } }
    }
}
