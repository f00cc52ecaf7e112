/// A tenant's monitors as `GET /api/v1/monitors` shows them.
struct MonitorReport: Encodable, Sendable {
    /// The serving model and its age.
    struct Serving: Encodable, Sendable {
        let model_version: String
        let model: String
        let age_seconds: Double
        let schedule_every_hours: Double?
        let fresh: Bool?
    }

    /// Offline metrics of the serving version and the newest trained one.
    struct Offline: Encodable, Sendable {
        let serving_version: String
        let serving_metrics: [String: Double]
        let latest_version: String
        let latest_metrics: [String: Double]
        let delta: [String: Double]
    }

    /// Online quality of one version over one window.
    struct Online: Encodable, Sendable {
        let model_version: String
        let window: String
        let lists: Int
        let lists_with_interactions: Int
        let ndcg_at_10: Double
        let hit_rate: Double
    }

    /// One feature's drift.
    struct Feature: Encodable, Sendable {
        let psi: Double
        let js_divergence: Double
        let alert: Bool
    }

    /// Drift of the live stream against the training snapshot.
    struct Drift: Encodable, Sendable {
        let baseline_events: Int
        let live_events: Int
        let min_events: Int
        /// Share of live events on items the snapshot never saw.
        let new_items_share: Double
        /// Share of live events by users the snapshot never saw.
        let new_users_share: Double
        let thresholds: [String: Double]
        let features: [String: Feature]
    }

    /// Served-score quantiles and unknown shares over the last cycle.
    struct Requests: Encodable, Sendable {
        let recommendations: Int
        let unknown_users_ratio: Double?
        let similar: Int
        let unknown_items_ratio: Double?
        let top_score_p10: Double?
        let top_score_p50: Double?
        let top_score_p90: Double?
    }

    let tenant_id: String
    let evaluated_at: Int64
    let serving: Serving
    let offline: Offline?
    let online: [Online]
    let drift: Drift?
    let requests: Requests
}
