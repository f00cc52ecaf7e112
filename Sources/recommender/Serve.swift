import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import RecServer
import RecTelemetry
import ServiceLifecycle
import Tracing

/// `recommender serve`: runs the HTTP API until SIGTERM or SIGINT, then drains and flushes.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP service.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to bind.")
    var port: Int = 8080

    func run() async throws {
        let onEventLoops = ServiceBootstrap.runConcurrencyOnEventLoops()
        // Lines logged on the event loops wait for the loop's next round of work: write them before exiting.
        defer { LogSink.standardOutput.flush() }
        let environment = ProcessInfo.processInfo.environment
        var configuration = try ServiceBootstrap.configuration(environment)
        // Flags win over the environment.
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = store.resolvedDataDirectory
        configuration.databaseURL = store.resolvedDatabaseURL
        let (telemetry, tracing, logger) = try ServiceBootstrap.telemetry(environment, level: configuration.logLevel)

        let (app, _) = try await buildApplication(configuration: configuration, telemetry: telemetry, logger: logger)
        logger.info("service starting", metadata: [
            "rec.address": "\(configuration.host):\(configuration.port)",
            "rec.store": "\(configuration.databaseURL == nil ? "sqlite" : "postgresql")",
            "rec.otlp_export": "\(TracingSetup.exportEnabled(environment))",
            "rec.admin_api": "\(configuration.adminToken != nil)",
            "rec.concurrency_on_event_loops": "\(onEventLoops)",
        ])
        // The app shuts down first (draining requests), then the tracer flushes what the drain produced.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: tracing), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        logger.info("service stopped")
    }
}
