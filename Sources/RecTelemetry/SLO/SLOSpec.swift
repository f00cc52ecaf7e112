import Yams

/// The service's objectives, read from one YAML file (`alerts/slos.yaml`) in the spirit of Sloth's `prometheus/v1`:
/// the single source of the in-process evaluator and of the generated Prometheus rules.
public struct SLOSpec: Sendable, Equatable {
    /// The `service` label of every generated rule.
    public var service: String
    /// Labels added to every generated rule and alert.
    public var labels: [String: String]
    /// The objectives, in file order.
    public var objectives: [SLODefinition]
    /// Tenants' own objectives.
    public var tenantOverrides: [SLOTenantOverride]

    /// The spec format this parser reads.
    public static let version = "recommender/v1"

    /// Parses and validates a spec; every error names the field.
    public static func parse(yaml text: String) throws -> SLOSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw SLOSpecError(field: "(document)", "is empty") }
            root = node
        } catch let error as SLOSpecError {
            throw error
        } catch {
            throw SLOSpecError(field: "(document)", "is not valid YAML: \(error)")
        }
        let top = try SpecNode(node: root, path: "").mapping(allowed: ["version", "service", "labels", "slos", "tenants"])
        guard let version = top["version"] else { throw SLOSpecError(field: "version", "is required (\(Self.version))") }
        guard try version.string() == Self.version else { throw SLOSpecError(field: "version", "must be \(Self.version)") }
        guard let serviceNode = top["service"] else { throw SLOSpecError(field: "service", "is required") }
        let service = try serviceNode.string()
        let labels = try top["labels"]?.stringMap() ?? [:]
        guard let slosNode = top["slos"] else { throw SLOSpecError(field: "slos", "is required") }
        var objectives: [SLODefinition] = []
        for node in try slosNode.sequence() {
            let definition = try parseObjective(node)
            guard !objectives.contains(where: { $0.name == definition.name }) else {
                throw SLOSpecError(field: "\(node.path).name", "repeats the name \(definition.name)")
            }
            objectives.append(definition)
        }
        guard !objectives.isEmpty else { throw SLOSpecError(field: "slos", "must list at least one objective") }
        var overrides: [SLOTenantOverride] = []
        for node in try top["tenants"]?.sequence() ?? [] {
            let fields = try node.mapping(allowed: ["tenant", "slo", "objective"])
            guard let tenant = try fields["tenant"]?.string(), !tenant.isEmpty else { throw SLOSpecError(field: "\(node.path).tenant", "is required") }
            guard let slo = try fields["slo"]?.string() else { throw SLOSpecError(field: "\(node.path).slo", "is required") }
            guard objectives.contains(where: { $0.name == slo }) else { throw SLOSpecError(field: "\(node.path).slo", "names no objective of the spec") }
            guard let objectiveNode = fields["objective"] else { throw SLOSpecError(field: "\(node.path).objective", "is required") }
            let objective = try percentage(objectiveNode)
            guard !overrides.contains(where: { $0.tenant == tenant && $0.slo == slo }) else {
                throw SLOSpecError(field: node.path, "repeats the override of \(slo) for \(tenant)")
            }
            overrides.append(SLOTenantOverride(tenant: tenant, slo: slo, objective: objective))
        }
        return SLOSpec(service: service, labels: labels, objectives: objectives, tenantOverrides: overrides)
    }

    /// The latency thresholds the duration histogram can answer exactly (its bucket boundaries, in seconds).
    public static var latencyThresholds: [Double] {
        Telemetry.latencyBuckets.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
    }

    private static func parseObjective(_ node: SpecNode) throws -> SLODefinition {
        let fields = try node.mapping(allowed: ["name", "objective", "description", "sli", "alerting"])
        guard let name = try fields["name"]?.string() else { throw SLOSpecError(field: "\(node.path).name", "is required") }
        guard !name.isEmpty, name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
            throw SLOSpecError(field: "\(node.path).name", "must be lowercase letters, digits and dashes")
        }
        guard let objectiveNode = fields["objective"] else { throw SLOSpecError(field: "\(node.path).objective", "is required") }
        let objective = try percentage(objectiveNode)
        guard let sliNode = fields["sli"] else { throw SLOSpecError(field: "\(node.path).sli", "is required") }
        let indicator = try parseIndicator(sliNode)
        guard let alertingNode = fields["alerting"] else { throw SLOSpecError(field: "\(node.path).alerting", "is required") }
        let alerting = try parseAlerting(alertingNode)
        return SLODefinition(
            name: name, objective: objective, description: try fields["description"]?.string() ?? "",
            indicator: indicator, alerting: alerting
        )
    }

    /// A percentage in (0, 100), as a ratio.
    private static func percentage(_ node: SpecNode) throws -> Double {
        let value = try node.number()
        guard value > 0, value < 100 else { throw SLOSpecError(field: node.path, "must be a percentage above 0 and below 100 (e.g. 99.9)") }
        return value / 100
    }

    private static func parseIndicator(_ node: SpecNode) throws -> SLOIndicator {
        let kinds = try node.mapping(allowed: ["availability", "latency", "freshness", "personalisation"])
        guard kinds.count == 1, let (kind, body) = kinds.first else {
            throw SLOSpecError(field: node.path, "must name exactly one of availability, latency, freshness, personalisation")
        }
        switch kind {
        case "availability":
            let fields = try body.mapping(allowed: ["routes", "methods"])
            return .availability(routes: try routes(fields, body), methods: try fields["methods"]?.strings() ?? [])
        case "latency":
            let fields = try body.mapping(allowed: ["routes", "methods", "threshold"])
            guard let thresholdNode = fields["threshold"] else { throw SLOSpecError(field: "\(body.path).threshold", "is required") }
            let threshold = try thresholdNode.duration()
            guard latencyThresholds.contains(where: { abs($0 - threshold) < 1e-9 }) else {
                let allowed = latencyThresholds.map { "\(Int(($0 * 1_000_000).rounded()) / 1_000)ms" }.joined(separator: ", ")
                throw SLOSpecError(field: thresholdNode.path, "must be a bucket boundary of http_server_request_duration_seconds (\(allowed))")
            }
            return .latency(routes: try routes(fields, body), methods: try fields["methods"]?.strings() ?? [], threshold: threshold)
        case "freshness":
            let fields = body.node.mapping == nil && body.node.null != nil ? [:] : try body.mapping(allowed: ["grace"])
            return .freshness(grace: try fields["grace"]?.duration() ?? 3_600)
        default:
            if body.node.null == nil { _ = try body.mapping(allowed: []) }
            return .personalisation
        }
    }

    private static func routes(_ fields: [String: SpecNode], _ body: SpecNode) throws -> [String] {
        guard let node = fields["routes"] else { throw SLOSpecError(field: "\(body.path).routes", "is required") }
        let routes = try node.strings()
        guard !routes.isEmpty else { throw SLOSpecError(field: node.path, "must list at least one route") }
        for (index, route) in routes.enumerated() where !route.hasPrefix("/") {
            throw SLOSpecError(field: "\(node.path)[\(index)]", "must be a route template starting with /")
        }
        return routes
    }

    private static func parseAlerting(_ node: SpecNode) throws -> SLOAlerting {
        let fields = try node.mapping(allowed: ["name", "labels", "annotations", "page_alert", "ticket_alert"])
        guard let name = try fields["name"]?.string() else { throw SLOSpecError(field: "\(node.path).name", "is required") }
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic,
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else { throw SLOSpecError(field: "\(node.path).name", "must be a Prometheus alert name (letters, digits, underscores)") }
        func severityLabels(_ key: String, default severity: String) throws -> [String: String] {
            guard let alert = fields[key] else { return ["severity": severity] }
            let labels = try alert.mapping(allowed: ["labels"])["labels"]?.stringMap() ?? [:]
            return labels["severity"] == nil ? labels.merging(["severity": severity]) { a, _ in a } : labels
        }
        return SLOAlerting(
            name: name, labels: try fields["labels"]?.stringMap() ?? [:], annotations: try fields["annotations"]?.stringMap() ?? [:],
            pageLabels: try severityLabels("page_alert", default: "page"), ticketLabels: try severityLabels("ticket_alert", default: "ticket")
        )
    }
}
