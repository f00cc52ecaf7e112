import Logging
import RecCore
import RecServing
import RecStore
import RecTelemetry
import ServiceLifecycle
import Synchronization

/// The model monitors, one cycle per interval for every tenant this replica serves (every tenant with a serving version
/// when serving preloads, the default; otherwise those asked for since the start): offline metrics against the
/// newest trained version, online NDCG@10 and hit rate of served lists against the interactions that followed them,
/// drift of the interaction stream since the model's training snapshot (PSI and Jensen–Shannon on item popularity,
/// user activity and event-type mix), unknown-user and unknown-item shares, served scores and model age. Results are
/// exported as metrics, kept for `GET /monitors`, and handed to the alert manager as conditions.
actor MonitorService: Service {
    private let store: RecordStore
    private let serving: ServingRegistry
    private let metrics: MonitorMetrics
    private let feed: MonitorFeed
    private let readiness: Readiness
    private let settings: MonitorSettings
    private let logger: Logger
    private var tenants: [String: TenantState] = [:]
    private let latest = Mutex<Latest>(Latest())

    /// How long after it was served a list is surely in the store (the recorder flushes every 200 ms).
    static let recordingLagMillis: Int64 = 2_000

    /// A scheduled tenant's serving model age against its schedule's interval, for the freshness SLO.
    typealias Freshness = (tenant: String, ageSeconds: Double, allowedSeconds: Double)

    /// What the last cycle concluded, readable without waiting for a cycle.
    struct Latest: Sendable {
        var reports: [String: MonitorReport] = [:]
        var conditions: [AlertCondition] = []
        var freshness: [Freshness] = []
        /// Tenants the last cycle evaluated successfully: only their monitor alerts may be resolved.
        var evaluated: Set<String> = []
        /// Whether a cycle has finished since the start (before it, no monitor alert may be resolved).
        var cycled = false
        /// When the cycle began reading (Unix milliseconds): how old its view is.
        var startedAt: Int64 = 0
    }

    /// One tenant's running state.
    private struct TenantState {
        var version: String
        var snapshotID: Int64
        var baseline: DriftBaseline
        var liveItems = [Double](repeating: 0, count: DriftBaseline.bins + 1)
        var liveUsers = [Double](repeating: 0, count: DriftBaseline.bins + 1)
        var liveTypes: [String: Double] = [:]
        var liveEvents = 0
        /// The interactions stream from where this state started.
        let tail: InteractionTail
        /// Each user's recent interactions (item, event time, type), for attribution.
        var recent: [String: [(item: String, at: Int64, type: String)]] = [:]
        /// Interactions (item, type) under each `recommendation_id`, and when the latest of them happened.
        var attributed: [String: (events: [(item: String, type: String)], at: Int64)] = [:]
        /// The conversion type of each experiment whose lists were evaluated.
        var conversionTypes: [String: String] = [:]
        var listsEvaluatedUntil: Int64
        var quality: [String: RollingQuality] = [:]
    }

    init(store: RecordStore, serving: ServingRegistry, metrics: MonitorMetrics, feed: MonitorFeed, readiness: Readiness, settings: MonitorSettings, logger: Logger) {
        self.store = store
        self.serving = serving
        self.metrics = metrics
        self.feed = feed
        self.readiness = readiness
        self.settings = settings
        self.logger = logger
        metrics.setThresholds(psi: settings.psiThreshold, js: settings.jsThreshold)
    }

    /// Runs a cycle every interval until shutdown.
    func run() async throws {
        while !readiness.migrated {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.cycle()
                try? await Task.sleep(for: self.settings.interval)
            }
        }
    }

    /// The last cycle's report of a tenant.
    nonisolated func report(tenantID: String) -> MonitorReport? {
        latest.withLock { $0.reports[tenantID] }
    }

    /// Every tenant's last report.
    nonisolated func reports() -> [MonitorReport] {
        latest.withLock { $0.reports.values.sorted { $0.tenant_id < $1.tenant_id } }
    }

    /// The alert conditions the last cycle found.
    nonisolated func conditions() -> [AlertCondition] {
        latest.withLock { $0.conditions }
    }

    /// When the last cycle began reading (Unix milliseconds; 0 before the first): its conditions are that old.
    nonisolated func observedAt() -> Int64 {
        latest.withLock { $0.startedAt }
    }

    /// Whether the last cycle evaluated `tenantID`, so the absence of its conditions means they no longer hold (rather
    /// than: not looked at yet, failed this time, or served by another replica).
    nonisolated func judged(tenantID: String) -> Bool {
        latest.withLock { $0.cycled && $0.evaluated.contains(tenantID) }
    }

    /// Freshness of every scheduled tenant's serving model, for the freshness SLO.
    nonisolated func freshness() -> [Freshness] {
        latest.withLock { $0.freshness }
    }

    /// One pass over every tenant with a serving model.
    func cycle() async {
        let now = WallClock.nowMillis()
        let served = serving.loaded().filter { $0.view.model != nil }.sorted { $0.tenantID < $1.tenantID }
        let requests = feed.take()
        var next = Latest()
        next.cycled = true
        next.startedAt = now
        for tenant in served {
            let tenantID = tenant.tenantID
            do {
                let (report, conditions, freshness) = try await evaluate(tenant: tenant, now: now, requests: requests[tenantID] ?? MonitorFeed.Counts())
                next.reports[tenantID] = report
                next.conditions += conditions
                next.evaluated.insert(tenantID)
                if let freshness { next.freshness.append(freshness) }
            } catch {
                logger.warning("monitor cycle failed for a tenant", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
                if let previous = latest.withLock({ $0.reports[tenantID] }) { next.reports[tenantID] = previous }
            }
        }
        let watched = Set(served.map(\.tenantID))
        for tenantID in tenants.keys where !watched.contains(tenantID) { tenants[tenantID] = nil }
        latest.withLock { $0 = next }
    }

    private func evaluate(tenant: TenantServing, now: Int64, requests: MonitorFeed.Counts) async throws -> (MonitorReport, [AlertCondition], Freshness?) {
        let tenantID = tenant.tenantID
        let view = tenant.view
        guard let model = view.model else { throw MonitorError.noModel }
        if tenants[tenantID]?.version != model.version {
            tenants[tenantID] = try await rebuild(tenantID: tenantID, version: model.version, snapshotID: model.snapshotInteractionID, now: now)
        }
        guard var state = tenants[tenantID] else { throw MonitorError.noModel }
        try await tail(tenantID: tenantID, state: &state, now: now)
        try await evaluateLists(tenantID: tenantID, state: &state, now: now)
        // Versions that served nothing for a day are dropped, with their online series.
        let end = now - settings.attributionMillis
        for (version, quality) in state.quality where quality.isEmpty(before: end) {
            state.quality[version] = nil
            metrics.removeOnline(tenant: tenantID, version: version)
        }
        tenants[tenantID] = state

        var conditions: [AlertCondition] = []
        // Serving model and freshness.
        let record = try await store.model(tenantID: tenantID, version: model.version)
        let ageSeconds = record.map { Double(max(0, now - $0.createdAt)) / 1000 } ?? 0
        let schedule = try await store.schedule(tenantID: tenantID)
        let allowed = schedule.map { Double($0.intervalSeconds) }
        let fresh = allowed.map { ageSeconds <= $0 + settings.freshnessGraceSeconds }
        metrics.setAge(tenant: tenantID, seconds: ageSeconds, fresh: fresh)
        if fresh == false, let allowed {
            conditions.append(AlertCondition(
                name: "ModelStale", severity: "warning", tenantID: tenantID, labels: ["model": model.kind.rawValue],
                annotations: [
                    "summary": "The serving model is older than the training schedule allows.",
                    "description": "Tenant \(tenantID) is served version \(model.version), \(Int(ageSeconds / 3_600)) h old; its schedule retrains every \(Int(allowed / 3_600)) h.",
                    "runbook_url": "docs/runbook.md#modelstale",
                ]
            ))
        }

        // Offline: the newest trained version against the serving one.
        var offline: MonitorReport.Offline?
        if let record, let newest = try await store.models(tenantID: tenantID, limit: 1).first {
            var delta: [String: Double] = [:]
            for (metric, value) in newest.metrics {
                guard let base = record.metrics[metric] else { continue }
                delta[metric] = value - base
                metrics.setOfflineDelta(tenant: tenantID, model: newest.kind, metric: metric, value: value - base)
            }
            offline = MonitorReport.Offline(serving_version: record.version, serving_metrics: record.metrics, latest_version: newest.version, latest_metrics: newest.metrics, delta: delta)
        }

        // Online quality per version served over the last hour and day.
        var online: [MonitorReport.Online] = []
        for (version, quality) in state.quality.sorted(by: { $0.key < $1.key }) {
            for (window, minutes) in [("1h", 60), ("1d", 1_440)] {
                let summary = quality.summary(minutes: minutes, endingAt: end)
                metrics.setOnline(tenant: tenantID, version: version, window: window, ndcg: summary.ndcg, hitRate: summary.hitRate, lists: summary.lists)
                online.append(MonitorReport.Online(model_version: version, window: window, lists: summary.lists, lists_with_interactions: summary.interacted, ndcg_at_10: summary.ndcg, hit_rate: summary.hitRate))
            }
        }

        // Drift since the training snapshot. Items and users the snapshot never saw are left out of the popularity and
        // activity comparisons (growth is not drift; their shares are reported, and the unknown-request ratio
        // tracks them); the comparisons are over the snapshot's deciles.
        var features: [String: MonitorReport.Feature] = [:]
        let types = Set(state.baseline.typeCounts.keys).union(state.liveTypes.keys).sorted()
        let known = DriftBaseline.bins
        let distributions: [(String, [Double], [Double])] = [
            ("item_popularity", Array(state.baseline.itemCounts[..<known]), Array(state.liveItems[..<known])),
            ("user_activity", Array(state.baseline.userCounts[..<known]), Array(state.liveUsers[..<known])),
            ("event_type", types.map { state.baseline.typeCounts[$0] ?? 0 }, types.map { state.liveTypes[$0] ?? 0 }),
        ]
        for (feature, baseline, live) in distributions where live.reduce(0, +) > 0 {
            let psi = DriftStatistics.psi(baseline: baseline, live: live)
            let js = DriftStatistics.jensenShannon(baseline: baseline, live: live)
            metrics.setDrift(tenant: tenantID, feature: feature, psi: psi, js: js)
            let drifting = state.liveEvents >= settings.minimumLiveEvents && (psi > settings.psiThreshold || js > settings.jsThreshold)
            features[feature] = MonitorReport.Feature(psi: psi, js_divergence: js, alert: drifting)
            if drifting {
                conditions.append(AlertCondition(
                    name: "ModelInputDrift", severity: "warning", tenantID: tenantID, labels: ["feature": feature],
                    annotations: [
                        "summary": "The interaction stream has drifted from the serving model's training data.",
                        "description": "Tenant \(tenantID): \(feature) PSI \(Self.format(psi)) (threshold \(Self.format(settings.psiThreshold))), Jensen-Shannon \(Self.format(js)) (threshold \(Self.format(settings.jsThreshold))) over \(state.liveEvents) events since version \(model.version)'s snapshot.",
                        "runbook_url": "docs/runbook.md#modelinputdrift",
                    ]
                ))
            }
        }
        let drift = MonitorReport.Drift(
            baseline_events: state.baseline.events, live_events: state.liveEvents, min_events: settings.minimumLiveEvents,
            new_items_share: state.liveEvents > 0 ? state.liveItems[known] / Double(state.liveEvents) : 0,
            new_users_share: state.liveEvents > 0 ? state.liveUsers[known] / Double(state.liveEvents) : 0,
            thresholds: ["psi": settings.psiThreshold, "js_divergence": settings.jsThreshold], features: features
        )

        // Requests since the last cycle.
        let unknownUsers = requests.recommendations > 0 ? Double(requests.unknownUsers) / Double(requests.recommendations) : nil
        let unknownItems = requests.similar > 0 ? Double(requests.unknownItems) / Double(requests.similar) : nil
        if let unknownUsers { metrics.setUnknown(tenant: tenantID, kind: "user", ratio: unknownUsers) }
        if let unknownItems { metrics.setUnknown(tenant: tenantID, kind: "item", ratio: unknownItems) }
        let scores = requests.scores.sorted()
        func quantile(_ q: Double) -> Double? { scores.isEmpty ? nil : scores[min(scores.count - 1, Int(Double(scores.count) * q))] }
        let requestReport = MonitorReport.Requests(
            recommendations: requests.recommendations, unknown_users_ratio: unknownUsers,
            similar: requests.similar, unknown_items_ratio: unknownItems,
            top_score_p10: quantile(0.1), top_score_p50: quantile(0.5), top_score_p90: quantile(0.9)
        )

        let report = MonitorReport(
            tenant_id: tenantID, evaluated_at: now,
            serving: .init(model_version: model.version, model: model.kind.rawValue, age_seconds: ageSeconds, schedule_every_hours: allowed.map { $0 / 3_600 }, fresh: fresh),
            offline: offline, online: online, drift: drift, requests: requestReport
        )
        return (report, conditions, allowed.map { (tenantID, ageSeconds, $0) })
    }

    /// Reads a tenant's whole history once for a new serving version: the snapshot's part becomes the baseline, the
    /// rest the live stream so far.
    private func rebuild(tenantID: String, version: String, snapshotID: Int64, now: Int64) async throws -> TenantState {
        var items: [String: Double] = [:]
        var users: [String: Double] = [:]
        var types: [String: Double] = [:]
        try await InteractionTail(store: store, tenantID: tenantID).drain { page in
            for row in page where row.id <= snapshotID {
                items[row.itemID, default: 0] += 1
                users[row.userID, default: 0] += 1
                types[row.type, default: 0] += 1
            }
        }
        var state = TenantState(
            version: version, snapshotID: snapshotID, baseline: DriftBaseline(items: items, users: users, types: types),
            // Interactions since the snapshot (and 200,000 before it, for attributing lists served by the previous version).
            tail: InteractionTail(store: store, tenantID: tenantID, afterID: min(snapshotID, try await store.interactionIDBack(tenantID: tenantID, count: 200_000))),
            listsEvaluatedUntil: now - settings.attributionMillis - 86_400_000
        )
        if let previous = tenants[tenantID] { state.quality = previous.quality }
        return state
    }

    /// Applies interactions newer than the last one read.
    private func tail(tenantID: String, state: inout TenantState, now: Int64) async throws {
        let horizon = now - settings.attributionMillis - 86_400_000
        let tail = state.tail
        try await tail.drain { page in
            for row in page {
                if row.id > state.snapshotID {
                    state.liveItems[state.baseline.itemBins[row.itemID] ?? DriftBaseline.bins] += 1
                    state.liveUsers[state.baseline.userBins[row.userID] ?? DriftBaseline.bins] += 1
                    state.liveTypes[row.type, default: 0] += 1
                    state.liveEvents += 1
                }
                if row.timestamp >= horizon { state.recent[row.userID, default: []].append((row.itemID, row.timestamp, row.type)) }
                if let id = row.recommendationID {
                    var entry = state.attributed[id] ?? ([], row.timestamp)
                    entry.events.append((row.itemID, row.type))
                    entry.at = max(entry.at, row.timestamp)
                    state.attributed[id] = entry
                }
            }
        }
        // Forget what no open list can use (every 20th cycle on average: the pass walks everything).
        if Int.random(in: 0..<20) == 0 {
            state.recent = state.recent.compactMapValues { events in
                let kept = events.filter { $0.at >= horizon }
                return kept.isEmpty ? nil : kept
            }
            state.attributed = state.attributed.filter { $0.value.at >= horizon }
        }
    }

    /// Scores every list whose attribution window closed since the last cycle; the outcomes of lists an experiment
    /// served are recorded in the store for it (a list another replica recorded first keeps that outcome).
    private func evaluateLists(tenantID: String, state: inout TenantState, now: Int64) async throws {
        // Lists reach the store up to a flush (or a retried one) after they were served: leave them that long, so
        // none is passed over before it is recorded (and never given an outcome).
        let until = now - settings.attributionMillis - Self.recordingLagMillis
        var evaluated = 0
        while state.listsEvaluatedUntil < until, evaluated < 50_000 {
            let lists = try await store.monitoredLists(tenantID: tenantID, after: state.listsEvaluatedUntil, until: until, limit: 5_000)
            var outcomes: [ListOutcome] = []
            for list in lists {
                let cited = state.attributed[list.id]?.events ?? []
                var relevant = Set(cited.map(\.item))
                let window = (state.recent[list.userID] ?? []).filter { $0.at > list.createdAt && $0.at <= list.createdAt + settings.attributionMillis }
                for event in window { relevant.insert(event.item) }
                let version = list.modelVersion ?? "none"
                let ndcg = ListQuality.ndcg(served: list.items, relevant: relevant)
                let hit = ListQuality.hit(served: list.items, relevant: relevant)
                state.quality[version, default: RollingQuality()].add(ndcg: ndcg, interacted: !relevant.isEmpty, hit: hit, at: list.createdAt)
                state.attributed[list.id] = nil
                if let experimentID = list.experimentID {
                    let conversion = try await conversionType(tenantID: tenantID, experimentID: experimentID, state: &state)
                    let served = Set(list.items)
                    let converted = cited.contains { $0.type == conversion } || window.contains { $0.type == conversion && served.contains($0.item) }
                    outcomes.append(ListOutcome(id: list.id, hit: hit, ndcg: ndcg, converted: converted))
                }
            }
            try await store.recordListOutcomes(tenantID: tenantID, outcomes, now: now)
            evaluated += lists.count
            if lists.count < 5_000 {
                state.listsEvaluatedUntil = until
            } else if let last = lists.last {
                state.listsEvaluatedUntil = last.createdAt
            }
        }
    }

    /// The interaction type that counts as a conversion in an experiment (read once per experiment).
    private func conversionType(tenantID: String, experimentID: String, state: inout TenantState) async throws -> String {
        if let known = state.conversionTypes[experimentID] { return known }
        let type = try await store.experiment(tenantID: tenantID, id: experimentID)?.settings.conversion_type ?? "purchase"
        state.conversionTypes[experimentID] = type
        return type
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 1_000).rounded() / 1_000
        return "\(rounded)"
    }

    /// Why a tenant could not be monitored this cycle.
    enum MonitorError: Error {
        case noModel
    }
}
