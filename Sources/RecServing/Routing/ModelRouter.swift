/// Chooses which loaded model answers a request: the seam experiments and canaries plug into (an experiment routes a
/// share of users to a candidate version and names the arm it chose, which the served event then carries).
public protocol ModelRouter: Sendable {
    /// The model to rank with for `subject` (a user id, or an item id for similar items) of `tenantID`, from `view`,
    /// and the experiment arm chosen (nil when no experiment applies).
    func route(tenantID: String, subject: String, view: ServingView) -> (model: LoadedModel?, arm: String?)
}

/// Every request is answered by the tenant's promoted version.
public struct PromotedModelRouter: ModelRouter {
    /// The router.
    public init() {}

    /// The view's model, no arm.
    public func route(tenantID: String, subject: String, view: ServingView) -> (model: LoadedModel?, arm: String?) {
        (view.model, nil)
    }
}
