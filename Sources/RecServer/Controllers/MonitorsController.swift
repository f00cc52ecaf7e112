import Hummingbird
import RecCore
import RecStore
import RecTelemetry

/// `GET /api/v1/monitors` (a tenant's own SLO overrides, model monitors and firing alerts) and, mounted under
/// `/admin/v1`, every SLO, every tenant's monitors and every firing alert.
struct MonitorsController {
    let store: RecordStore
    let monitors: MonitorService
    let slo: SLOEvaluator?
    let operatorScope: Bool

    func register(on routes: RouteRegistrar) {
        routes.on(.get, "monitors", use: show)
    }

    struct SLOPayload: Encodable {
        let slo: String
        let tenant: String?
        let objective: Double
        let sli: [String: Double]
        let burn_rates: [String: Double]
        let error_budget_remaining: Double
        let page: Bool
        let ticket: Bool
        let events_30d: Double

        init(_ status: SLOStatus) {
            slo = status.slo
            tenant = status.tenant
            objective = status.objective
            sli = Dictionary(uniqueKeysWithValues: status.sli.map { ($0.key.rawValue, $0.value) })
            burn_rates = Dictionary(uniqueKeysWithValues: status.burnRates.map { ($0.key.rawValue, $0.value) })
            error_budget_remaining = status.errorBudgetRemaining
            page = status.page
            ticket = status.ticket
            events_30d = status.events
        }
    }

    struct AlertPayloadItem: Encodable {
        let fingerprint: String
        let labels: [String: String]
        let annotations: [String: String]
        let starts_at: String

        init(_ alert: AlertRecord) {
            fingerprint = alert.fingerprint
            labels = alert.labels
            annotations = alert.annotations
            starts_at = Timestamp.formatRFC3339(alert.startsAt)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let statuses = slo?.evaluate() ?? []
        if operatorScope {
            struct All: Encodable {
                let slos: [SLOPayload]
                let tenants: [MonitorReport]
                let alerts: [AlertPayloadItem]
            }
            return try JSONResponse.make(.ok, All(
                slos: statuses.map(SLOPayload.init), tenants: monitors.reports(),
                alerts: try await store.firingAlerts(tenantID: nil).map(AlertPayloadItem.init)
            ))
        }
        let caller = try context.requireCaller(anyOf: [.manage, .recommend])
        struct Own: Encodable {
            let slos: [SLOPayload]
            let monitors: MonitorReport?
            let alerts: [AlertPayloadItem]
        }
        return try JSONResponse.make(.ok, Own(
            slos: statuses.filter { $0.tenant == caller.tenantID }.map(SLOPayload.init),
            monitors: monitors.report(tenantID: caller.tenantID),
            alerts: try await store.firingAlerts(tenantID: caller.tenantID).map(AlertPayloadItem.init)
        ))
    }
}
