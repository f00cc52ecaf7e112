import RecCore
import RecStore

/// An experiment as `GET /api/v1/experiments/{id}` shows it: its definition, status and current results.
struct ExperimentPayload: Encodable, Sendable {
    let experiment_id: String
    let name: String
    let status: String
    let primary_metric: String
    let alpha: Double
    let conversion_type: String
    let created_at: String
    let ended_at: String?
    let variants: [ExperimentResults.Variant]
    let srm_p_value: Double?
    let sample_ratio_mismatch: Bool
    let p_value: Double?
    let lift: ExperimentResults.Estimate?
    let decision: String
    let winner: String?
    let minimum_users: Int

    init(_ experiment: ExperimentRecord, _ results: ExperimentResults) {
        experiment_id = experiment.id
        name = experiment.name
        status = experiment.status.rawValue
        primary_metric = experiment.settings.primary_metric
        alpha = experiment.settings.alpha
        conversion_type = experiment.settings.conversion_type
        created_at = Timestamp.formatRFC3339(experiment.createdAt)
        ended_at = experiment.endedAt.map(Timestamp.formatRFC3339)
        variants = results.variants
        srm_p_value = results.srm_p_value
        sample_ratio_mismatch = results.sample_ratio_mismatch
        p_value = results.p_value
        lift = results.lift
        decision = results.decision
        winner = results.winner
        minimum_users = results.minimum_users
    }
}
