/// Hands each served event to the instrumentation that counts it: served-list and served-score metrics, the SLO
/// evaluator's personalisation objective, and the monitor feed (unknown users and items, score drift).
public struct ServedEventFanOut: ServedEventSink {
    private let serving: ServingMetrics
    private let monitors: MonitorMetrics
    private let slo: SLOEvaluator?
    private let feed: MonitorFeed
    private let experiments: ExperimentMetrics

    /// A fan-out to these sinks.
    public init(serving: ServingMetrics, monitors: MonitorMetrics, slo: SLOEvaluator?, feed: MonitorFeed, experiments: ExperimentMetrics) {
        self.experiments = experiments
        self.serving = serving
        self.monitors = monitors
        self.slo = slo
        self.feed = feed
    }

    /// Counts the event everywhere it counts.
    public func served(_ event: ServedEvent) {
        let kind = event.kind.rawValue
        serving.served(kind: kind, source: event.source)
        if let score = event.topScore { monitors.servedScore(kind: kind, score) }
        switch event.kind {
        case .recommendations:
            slo?.recordServed(tenant: event.tenantID, personalised: event.personalised)
            if let arm = event.arm { experiments.served(tenant: event.tenantID, experiment: arm.experimentID, variant: arm.variant) }
            feed.recommendation(tenantID: event.tenantID, known: event.subjectKnown, topScore: event.topScore)
        case .similar:
            feed.similar(tenantID: event.tenantID, known: event.subjectKnown)
        }
    }
}
