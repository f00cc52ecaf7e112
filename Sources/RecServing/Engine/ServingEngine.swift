import RecModels
import Logging
import RecCore
import RecTelemetry
import Tracing

/// What ranks, behind one call each: a controller parses a request into a query, calls `recommend` or `similar`, and
/// encodes the answer. Inside: the view that answers the subject (the running experiment's arm for it, or the
/// promoted version's),
/// the ranking (inline on the caller's event loop, or on the compute pool when it must walk the catalogue), one span,
/// and one served event for the telemetry fan-out and the recorder.
public final class ServingEngine: Sendable {
    /// Every tenant's serving state.
    public let registry: ServingRegistry
    private let ranker: Ranker
    private let compute: ComputePool
    private let events: any ServedEventSink
    private let recorder: ServedListRecorder
    private let ranking: RankingMetrics
    private let guardrails: ArmGuardrails

    /// An engine over `registry`, ranking with `ranker`, deferring walks to `compute`, and reporting each answer to
    /// `events` and `recorder` (and an experiment arm's latency to `guardrails`).
    public init(registry: ServingRegistry, ranker: Ranker, compute: ComputePool,
                events: any ServedEventSink, recorder: ServedListRecorder, ranking: RankingMetrics, guardrails: ArmGuardrails) {
        self.guardrails = guardrails
        self.registry = registry
        self.ranker = ranker
        self.compute = compute
        self.events = events
        self.recorder = recorder
        self.ranking = ranking
    }

    /// A user's recommendations.
    public func recommend(_ query: RecommendationQuery) async throws -> ServedRanking {
        let started = ContinuousClock.now
        let tenant = try await registry.tenant(query.tenantID)
        let (view, arm) = tenant.route(query.userID)
        let model = view.model
        let activity = tenant.activity
        var excluded = query.filter
        if query.excludeSeen { excluded.excluded.formUnion(activity.seen(by: query.userID)) }
        let filter = excluded
        // A user a two-tower model never saw, with no interactions yet: their stored properties are all it has.
        var properties: EntityFeatures?
        if let model, model.kind == .twoTower, model.userIndex[query.userID] == nil, activity.history(of: query.userID).items.isEmpty {
            do {
                let stored = try await registry.userProperties(tenantID: query.tenantID, userID: query.userID)
                if !stored.isEmpty { properties = EntityFeatures(userProperties: stored) }
            } catch {
                // Without the properties the user gets the fallback, as before the model could read them.
                ranker.logger.warning("user properties unreadable", metadata: ["tenant": "\(query.tenantID)", "error": "\(error)"])
            }
        }
        let ranker = ranker
        let list = await rank(.recommendations) { [properties] inline throws(RankingDeferred) in
            try ranker.recommend(model: model, view: view, activity: activity, userID: query.userID, count: query.count, filter: filter,
                                 properties: properties, inline: inline)
        }
        if let arm { guardrails.record(arm, seconds: (ContinuousClock.now - started).seconds) }
        return serve(list, kind: .recommendations, tenantID: query.tenantID, userID: query.userID, itemID: nil,
                     known: model?.userIndex[query.userID] != nil, arm: arm)
    }

    /// The items most like an item of the catalogue; `RecError.notFound` when the catalogue has no such item (a
    /// deleted item has no similar items, even if the serving model still knows it). While an experiment runs, the
    /// arm is the user's when the query names one, else the item's.
    public func similar(_ query: SimilarItemsQuery) async throws -> ServedRanking {
        let started = ContinuousClock.now
        let tenant = try await registry.tenant(query.tenantID)
        let (view, arm) = tenant.route(query.userID ?? query.itemID)
        let model = view.model
        guard view.catalogue.items[query.itemID] != nil else { throw RecError.notFound("item") }
        let activity = tenant.activity
        let ranker = ranker
        let list = await rank(.similar) { inline throws(RankingDeferred) in
            try ranker.similar(model: model, view: view, activity: activity, itemID: query.itemID, count: query.count, filter: query.filter, inline: inline)
        }
        if let arm { guardrails.record(arm, seconds: (ContinuousClock.now - started).seconds) }
        return serve(list, kind: .similar, tenantID: query.tenantID, userID: query.userID, itemID: query.itemID,
                     known: model?.itemIndex[query.itemID] != nil, arm: arm)
    }

    /// Runs `body` inline, and again on the compute pool when it defers; the one `serving.rank` span covers both.
    private func rank(_ kind: ServedEvent.Kind, _ body: @escaping @Sendable (Bool) throws(RankingDeferred) -> RankedList) async -> RankedList {
        await withSpan("serving.rank", ofKind: .internal) { span in
            span.attributes["rec.kind"] = kind.rawValue
            let list: RankedList
            do throws(RankingDeferred) {
                list = try body(true)
            } catch {
                ranking.deferredRanking(error.reason)
                span.attributes["rec.deferred"] = error.reason.rawValue
                list = await compute.run {
                    do throws(RankingDeferred) {
                        return try body(false)
                    } catch {
                        // Off the event loops every walk is allowed: a ranking only defers inline.
                        preconditionFailure("a ranking deferred on the compute pool (\(error))")
                    }
                }
            }
            span.attributes["rec.source"] = list.source.rawValue
            return list
        }
    }

    /// Names the list, reports it once (telemetry fan-out, then the recorder) and returns it.
    private func serve(_ list: RankedList, kind: ServedEvent.Kind, tenantID: String, userID: String?, itemID: String?, known: Bool,
                       arm: ServedArm?) -> ServedRanking {
        let now = WallClock.nowMillis()
        let id = RecommendationID.make(at: now)
        let event = ServedEvent(
            tenantID: tenantID, kind: kind, recommendationID: id, userID: userID, itemID: itemID, modelVersion: list.modelVersion,
            source: list.source.rawValue, itemIDs: list.items.map(\.id), topScore: list.items.first.map { Double($0.score) },
            subjectKnown: known, createdAt: now, arm: arm
        )
        events.served(event)
        recorder.record(event)
        return ServedRanking(recommendationID: id, list: list, arm: arm)
    }
}
