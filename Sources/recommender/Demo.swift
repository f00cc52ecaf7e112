import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import RecServer
import RecTelemetry
import ServiceLifecycle
import Tracing

/// `recommender demo`: the service on the embedded default with a synthetic shop loaded, trained and promoted.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the service with a demo tenant: synthetic catalogue and events, a trained and promoted model, and curl commands to try."
    )

    @Option(help: "Folder for the embedded SQLite database (default ./data; also RECOMMENDER_DATA_DIR).")
    var dataDir: String?

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to bind.")
    var port: Int = 8080

    @Option(help: "Items in the synthetic catalogue.")
    var items: Int = 2_000

    @Option(help: "Users in the synthetic event stream.")
    var users: Int = 1_000

    @Flag(help: "Set up, print, and exit instead of serving until interrupted.")
    var once = false

    func validate() throws {
        guard (20...1_000_000).contains(items) else { throw ValidationError("--items must be from 20 to 1000000") }
        guard (10...1_000_000).contains(users) else { throw ValidationError("--users must be from 10 to 1000000") }
    }

    func run() async throws {
        _ = ServiceBootstrap.runConcurrencyOnEventLoops()
        // Lines logged on the event loops wait for the loop's next round of work: write them before exiting.
        defer { LogSink.standardOutput.flush() }
        let environment = ProcessInfo.processInfo.environment
        var configuration = try ServiceBootstrap.configuration(environment)
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = dataDir ?? environment["RECOMMENDER_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        configuration.databaseURL = nil
        // The demo's own output is the point: logs only say something when it matters, unless asked otherwise.
        let level = environment["RECOMMENDER_LOG_LEVEL"] == nil ? Logger.Level.warning : configuration.logLevel
        let (telemetry, tracing, logger) = try ServiceBootstrap.telemetry(environment, level: level)

        let (app, parts) = try await buildApplication(configuration: configuration, telemetry: telemetry, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: tracing), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        print("Starting the service on http://\(host):\(port) (SQLite in \(configuration.dataDirectory)) and generating a demo shop…")
        fflush(nil)
        let itemCount = items, userCount = users, once = once, host = host, port = port
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                do {
                    let started = ContinuousClock.now
                    let data = await DemoData.generate(itemCount: itemCount, userCount: userCount, compute: parts.compute)
                    let summary = try await DemoSetup.run(parts: parts, data: data, logger: logger)
                    print(Self.instructions(summary, base: "http://\(host):\(port)", seconds: (ContinuousClock.now - started).components.seconds))
                    fflush(nil)
                } catch {
                    print("The demo setup failed: \(error)")
                    await group.triggerGracefulShutdown()
                    throw error
                }
                if once { await group.triggerGracefulShutdown() }
            }
            try await tasks.waitForAll()
        }
    }

    /// What to paste next.
    static func instructions(_ summary: DemoSummary, base: String, seconds: Int64) -> String {
        let key = summary.apiKey
        let metrics = ["recall@20", "ndcg@20"].compactMap { name in summary.metrics[name].map { "\(name) \(String(format: "%.3f", $0))" } }.joined(separator: ", ")
        let sample = summary.sampleRecommendations.map { "\($0.item) (\($0.category))" }.joined(separator: ", ")
        let category = summary.sampleUser.tastes.first ?? "books"
        return """

        Demo ready in \(seconds) s: \(summary.counts.items) items in \(DemoData.categories.count) categories, \(summary.counts.users) users, \
        \(summary.counts.interactions) events; model \(summary.modelVersion) serving (holdout \(metrics)).
        Tenant \(summary.tenantID), API key (shown once):

            export KEY=\(key)

        \(summary.sampleUser.id) likes \(summary.sampleUser.tastes.joined(separator: " and ")); their top five: \(sample)

        Recommendations for them, then only from one category:

            curl -s -X POST \(base)/api/v1/recommendations -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
                 -d '{"user_id": "\(summary.sampleUser.id)", "count": 5}'
            curl -s -X POST \(base)/api/v1/recommendations -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
                 -d '{"user_id": "\(summary.sampleUser.id)", "count": 5, "filters": {"category": "\(category)"}}'

        Items like \(summary.sampleItem):

            curl -s "\(base)/api/v1/items/\(summary.sampleItem)/similar?count=5" -H "Authorization: Bearer $KEY"

        A new user: send two events, and their next recommendations are folded in from them ("source": "fold_in"):

            curl -s -X POST \(base)/api/v1/interactions -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
                 -d '{"interactions": [{"user_id": "me", "item_id": "\(summary.sampleItem)", "interaction_type": "view"}, {"user_id": "me", "item_id": "item-1", "interaction_type": "purchase"}]}'
            curl -s -X POST \(base)/api/v1/recommendations -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"user_id": "me"}'

        The tenant's model monitors (offline and online quality, drift, model age), SLO overrides and firing alerts, and
        a webhook for its alerts (signed, Alertmanager's format; a private address needs RECOMMENDER_WEBHOOK_ALLOW_PRIVATE=1):

            curl -s \(base)/api/v1/monitors -H "Authorization: Bearer $KEY"
            curl -s -X POST \(base)/api/v1/webhooks -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \\
                 -d '{"url": "https://hooks.example.com/recommender"}'

        Metrics: \(base)/metrics   API docs: \(base)/docs   Stop with Ctrl-C.
        """
    }
}
