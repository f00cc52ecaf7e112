import Foundation
import RecCore
import RecStore

/// The body of a webhook delivery, in Alertmanager's webhook format (`version: "4"`), so receivers written for
/// Alertmanager work unchanged. One alert per notification; the group is the alert's own name.
enum AlertPayload {
    struct Body: Encodable {
        let version = "4"
        let groupKey: String
        let truncatedAlerts = 0
        let status: String
        let receiver: String
        let groupLabels: [String: String]
        let commonLabels: [String: String]
        let commonAnnotations: [String: String]
        let externalURL: String
        let alerts: [Alert]
    }

    struct Alert: Encodable {
        let status: String
        let labels: [String: String]
        let annotations: [String: String]
        let startsAt: String
        let endsAt: String
        let generatorURL: String
        let fingerprint: String
    }

    /// The JSON body notifying `webhook` of `alert`'s current status.
    static func json(webhook: Webhook, alert: AlertRecord, externalURL: String) -> String {
        let body = Body(
            groupKey: "{}:{alertname=\"\(alert.name)\"}", status: alert.status, receiver: webhook.id,
            groupLabels: ["alertname": alert.name], commonLabels: alert.labels, commonAnnotations: alert.annotations,
            externalURL: externalURL,
            alerts: [Alert(
                status: alert.status, labels: alert.labels, annotations: alert.annotations,
                startsAt: Timestamp.formatRFC3339(alert.startsAt),
                // Alertmanager's zero time while firing.
                endsAt: alert.status == "resolved" ? Timestamp.formatRFC3339(alert.endsAt ?? alert.startsAt) : "0001-01-01T00:00:00Z",
                generatorURL: externalURL, fingerprint: alert.fingerprint
            )]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(body)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
