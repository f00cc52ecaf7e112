import Foundation
import Hummingbird
import Synchronization
import RecCore
import RecStore
import RecTelemetry
import Tracing

/// `POST /api/v1/recommendations` and `GET /api/v1/items/{item_id}/similar`: ranked lists from the serving model,
/// each recorded (asynchronously) under the `recommendation_id` it returns.
struct RecommendationsController {
    let serving: ServingRegistry
    let log: RecommendationLog
    let telemetry: Telemetry
    let slo: SLOEvaluator?
    let feed: MonitorFeed

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "recommendations", use: recommend)
        routes.on(.get, "items/{item_id}/similar", use: similar)
    }

    @Sendable func recommend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.recommend)
        let query = try RecommendationRequest.parse(try await BatchBody.json(request, context: context))
        let tenant = try await serving.tenant(caller.tenantID)
        let view = tenant.view
        let history = tenant.activity.history(of: query.userID)
        var filter = query.filter
        if query.excludeSeen { filter.excluded.formUnion(history.items) }
        let ranker = serving.ranker
        let list = withSpan("serving.rank", ofKind: .internal) { span in
            span.attributes["rec.kind"] = "recommendations"
            let list = ranker.recommend(view: view, history: history, userID: query.userID, count: query.count, filter: filter, activity: tenant.activity)
            span.attributes["rec.source"] = list.source.rawValue
            return list
        }
        feed.recommendation(tenantID: caller.tenantID, known: view.model?.userIndex[query.userID] != nil, topScore: list.items.first.map { Double($0.score) })
        slo?.recordServed(tenant: caller.tenantID, personalised: list.source != .fallback)
        if let top = list.items.first { telemetry.monitors.servedScore(kind: "recommendations", Double(top.score)) }
        return respond(list, kind: "recommendations", tenantID: caller.tenantID, userID: query.userID, itemID: nil)
    }

    @Sendable func similar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.recommend)
        let itemID = try PathID.require(context, "item_id")
        let parameters = request.uri.queryParameters
        var count = 10
        if let text = parameters["count"] {
            guard let value = Int(text), (1...RecommendationRequest.maxCount).contains(value) else {
                throw RecError.invalidField("count", "must be a whole number from 1 to \(RecommendationRequest.maxCount)")
            }
            count = value
        }
        var filter = ItemFilter()
        let categories = parameters.getAll("category").map { String($0).removingPercentEncoding ?? String($0) }
        if !categories.isEmpty {
            guard categories.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 256 }) else {
                throw RecError.invalidField("category", "must be a non-empty string of at most 256 bytes")
            }
            filter.categories = Set(categories)
        }
        filter.excluded = [itemID]
        let tenant = try await serving.tenant(caller.tenantID)
        let view = tenant.view
        // Only catalogue items: a deleted item has no similar items (even if the serving model still knows it).
        guard view.catalogue.items[itemID] != nil else { throw RecError.notFound("item") }
        let ranker = serving.ranker
        let list = withSpan("serving.rank", ofKind: .internal) { span in
            span.attributes["rec.kind"] = "similar"
            let list = ranker.similar(view: view, itemID: itemID, count: count, filter: filter, activity: tenant.activity)
            span.attributes["rec.source"] = list.source.rawValue
            return list
        }
        feed.similar(tenantID: caller.tenantID, known: view.model?.itemIndex[itemID] != nil)
        if let top = list.items.first { telemetry.monitors.servedScore(kind: "similar", Double(top.score)) }
        return respond(list, kind: "similar", tenantID: caller.tenantID, userID: nil, itemID: itemID)
    }

    /// Writes the response by hand (the hot path) and queues the list for attribution.
    private func respond(_ list: RankedList, kind: String, tenantID: String, userID: String?, itemID: String?) -> Response {
        let now = WallClock.nowMillis()
        let id = Self.recommendationID(at: now)
        telemetry.serving.served(kind: kind, source: list.source.rawValue)
        log.record(ServedList(
            id: id, tenantID: tenantID, kind: kind, userID: userID, itemID: itemID, modelVersion: list.modelVersion,
            source: list.source.rawValue, items: list.items.map(\.id), createdAt: now
        ))
        var out: [UInt8] = []
        out.reserveCapacity(96 + list.items.count * 48)
        out.append(contentsOf: #"{"recommendation_id":"#.utf8)
        JSONText.appendQuoted(id, to: &out)
        out.append(contentsOf: #","model_version":"#.utf8)
        if let version = list.modelVersion { JSONText.appendQuoted(version, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","source":"#.utf8)
        JSONText.appendQuoted(list.source.rawValue, to: &out)
        out.append(contentsOf: #","items":["#.utf8)
        for (position, item) in list.items.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"item_id":"#.utf8)
            JSONText.appendQuoted(item.id, to: &out)
            out.append(contentsOf: #","score":"#.utf8)
            JSONText.appendNumber(item.score, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return JSONResponse.make(.ok, bytes: out)
    }

    /// `rec_` and 24 hex digits: the time in milliseconds (11), then this process's counter through a bijection of
    /// 52 bits keyed by a random salt (13). Unique within a process, unlikely to collide across replicas (2⁻⁵² a pair
    /// in the same millisecond), no hint of the volume served, no system call per id, and time-ordered, so storing them
    /// appends to the primary key's index instead of writing to random pages of it.
    static func recommendationID(at millis: Int64) -> String {
        let count = idCounter.add(1, ordering: .relaxed).newValue
        return "rec_" + hex(UInt64(max(0, millis)), digits: 11) + hex(scramble(count), digits: 13)
    }

    /// A bijection of the 52-bit numbers (add, multiply by odd constants, shift-xor: each step is invertible), keyed
    /// by the process's salt.
    private static func scramble(_ value: UInt64) -> UInt64 {
        let mask: UInt64 = (1 << 52) - 1
        var x = (value &+ idSalt) & mask
        x = (x &* 0x9E37_79B9_7F4A_7C15) & mask
        x ^= x >> 26
        x = (x &* ((0xBF58_476D_1CE4_E5B9 ^ (idSalt >> 12)) | 1)) & mask
        x ^= x >> 23
        x = (x &* 0x94D0_49BB_1331_11EB) & mask
        return x ^ (x >> 29)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value & ((1 << (4 * digits)) - 1), radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }
}

private let idSalt = UInt64.random(in: 0...UInt64.max)
private let idCounter = Atomic<UInt64>(0)
