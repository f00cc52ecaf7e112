import Foundation
import Hummingbird
import RecCore
import RecServing

/// `POST /api/v1/recommendations` and `GET /api/v1/items/{item_id}/similar`: parse, ask the serving engine, encode.
struct RecommendationsController {
    let engine: ServingEngine
    let compute: ComputePool

    func register(on routes: RouteRegistrar) {
        routes.on(.post, "recommendations", use: recommend)
        routes.on(.get, "items/{item_id}/similar", use: similar)
    }

    @Sendable func recommend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.recommend)
        let body = try await BatchBody.json(request, context: context, compute: compute)
        let query = try RecommendationQuery.parse(body, tenantID: caller.tenantID)
        return Self.encode(try await engine.recommend(query))
    }

    @Sendable func similar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller(.recommend)
        let itemID = try PathID.require(context, "item_id")
        let parameters = request.uri.queryParameters
        var count = 10
        if let text = parameters["count"] {
            guard let value = Int(text), (1...RecommendationQuery.maxCount).contains(value) else {
                throw RecError.invalidField("count", "must be a whole number from 1 to \(RecommendationQuery.maxCount)")
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
        var userID: String?
        if let text = parameters["user_id"] {
            let value = text.removingPercentEncoding ?? String(text)
            guard !value.isEmpty, value.utf8.count <= 256 else {
                throw RecError.invalidField("user_id", "must be a non-empty string of at most 256 bytes")
            }
            userID = value
        }
        let query = SimilarItemsQuery(tenantID: caller.tenantID, itemID: itemID, count: count, filter: filter, userID: userID)
        return Self.encode(try await engine.similar(query))
    }

    /// Writes the response by hand (the hot path).
    static func encode(_ served: ServedRanking) -> Response {
        let list = served.list
        var out: [UInt8] = []
        out.reserveCapacity(96 + list.items.count * 48)
        out.append(contentsOf: #"{"recommendation_id":"#.utf8)
        JSONText.appendQuoted(served.recommendationID, to: &out)
        out.append(contentsOf: #","model_version":"#.utf8)
        if let version = list.modelVersion { JSONText.appendQuoted(version, to: &out) } else { out.append(contentsOf: "null".utf8) }
        if let arm = served.arm {
            out.append(contentsOf: #","experiment":{"experiment_id":"#.utf8)
            JSONText.appendQuoted(arm.experimentID, to: &out)
            out.append(contentsOf: #","variant":"#.utf8)
            JSONText.appendQuoted(arm.variant, to: &out)
            out.append(UInt8(ascii: "}"))
        }
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
}
