import Foundation
import Hummingbird
import Logging
import RecCore
import RecServing
import RecStore
import RecTelemetry
import ServiceLifecycle

/// The pieces a running application is made of, exposed so tests and commands can reach the same objects.
public struct AppParts: Sendable {
    /// The record store.
    public let store: RecordStore
    /// Tenant administration.
    public let tenants: TenantService
    /// The routes registered, for the OpenAPI check.
    public let routes: RouteLog
    /// Whether migrations ran.
    public let readiness: Readiness
    /// Background import worker.
    public let importWorker: ImportWorker
    /// Background trainer.
    public let trainer: TrainerService
    /// Where model artifacts are kept.
    public let artifacts: any ArtifactStore
    /// Serving state of every tenant.
    public let serving: ServingRegistry
    /// What ranks: `recommend` and `similar`.
    public let engine: ServingEngine
    /// The pool CPU-bound bursts run on (off the event loops).
    public let compute: ComputePool
    /// The served-list recorder.
    public let recorder: ServedListRecorder
    /// The in-process SLO evaluator.
    public let slo: SLOEvaluator
    /// The model monitors.
    let monitors: MonitorService
    /// The experiments' results and the canary decisions.
    let experiments: ExperimentService
    /// The alert manager.
    let alerts: AlertManager
    /// The webhook sender.
    let deliveries: WebhookDeliveryService
}

/// Builds the application: store, migrations (before the server listens), routes, middleware and background services.
/// Telemetry backends are bootstrapped by the caller (`main`), never here, so tests can build many apps in one process.
public func buildApplication(
    configuration: AppConfiguration,
    telemetry: Telemetry,
    logger: Logger
) async throws -> (app: some ApplicationProtocol, parts: AppParts) {
    let opened = try StoreFactory.open(
        databaseURL: configuration.databaseURL, dataDirectory: configuration.dataDirectory,
        sqliteSynchronousFull: configuration.sqliteSynchronousFull, logger: logger
    )
    let store = RecordStore(database: opened.database, telemetry: telemetry)
    let instanceID = try InstanceIdentity.load(dataDirectory: configuration.dataDirectory)
    let spool = (configuration.dataDirectory as NSString).appendingPathComponent("spool")
    try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)

    let authenticator = KeyAuthenticator(store: store, metrics: telemetry.access)
    let tenants = TenantService(store: store, authenticator: authenticator)
    let readiness = Readiness()
    let worker = ImportWorker(store: store, telemetry: telemetry, instanceID: instanceID, readiness: readiness, spoolDirectory: spool, logger: logger)
    let document = try APIDocument.load()
    let artifacts: any ArtifactStore
    switch configuration.artifacts ?? (configuration.databaseURL == nil ? .folder((configuration.dataDirectory as NSString).appendingPathComponent("artifacts")) : .database) {
    case .folder(let path): artifacts = FolderArtifactStore(root: path)
    case .database: artifacts = DatabaseArtifactStore(store: store)
    }
    let compute = ComputePool(name: "rec-compute", threads: configuration.computeThreads)
    let serving = ServingRegistry(
        store: store, artifacts: artifacts, telemetry: telemetry, readiness: readiness,
        indexConfiguration: configuration.indexConfiguration, pollInterval: configuration.servingPollInterval,
        historyCap: configuration.historyCap, preload: configuration.servingPreload, compute: compute, logger: logger
    )
    let recorder = ServedListRecorder(store: store, metrics: telemetry.serving, readiness: readiness, logger: logger)
    let trainer = TrainerService(
        store: store, artifacts: artifacts, telemetry: telemetry, instanceID: instanceID, readiness: readiness,
        threads: configuration.trainingThreads, memoryLimit: configuration.trainingMemoryLimit,
        indexConfiguration: configuration.indexConfiguration, logger: logger,
        onPromotion: { tenantID, version in
            do {
                try await serving.activate(tenantID: tenantID, version: version)
            } catch {
                // Committed but not swapped in here: the next poll round retries the swap.
                logger.error("promoted version not activated", metadata: ["tenant": "\(tenantID)", "rec.version": "\(version)", "error": "\(error)"])
            }
        }
    )

    let spec = try SLOSpecLoader.load(path: configuration.sloSpecPath)
    let slo = SLOEvaluator(spec: spec, registry: telemetry.registry)
    let feed = MonitorFeed()
    // A canary's latency guardrail: the recommendation latency SLO's threshold, and its fast-burn (page) share.
    let latencySLO = spec.objectives.first { objective in
        if case .latency(let routes, _, _) = objective.indicator { return routes.contains("/api/v1/recommendations") }
        return false
    }
    var slowSeconds = 0.025
    if let latencySLO, case .latency(_, _, let threshold) = latencySLO.indicator { slowSeconds = threshold }
    let guardrails = ArmGuardrails(slowSeconds: slowSeconds)
    let slowShareLimit = min(1, (BurnRatePolicy.page.map(\.factor).max() ?? 14.4) * (latencySLO?.errorBudget ?? 0.01))
    let engine = ServingEngine(
        registry: serving,
        ranker: Ranker(metrics: telemetry.serving, ranking: telemetry.ranking, configuration: configuration.indexConfiguration, logger: logger),
        compute: compute,
        events: ServedEventFanOut(serving: telemetry.serving, monitors: telemetry.monitors, slo: slo, feed: feed, experiments: telemetry.experiments),
        recorder: recorder, ranking: telemetry.ranking, guardrails: guardrails
    )
    var monitorSettings = configuration.monitors
    // Stale-model alerts and the rec_serving_model_fresh gauge (which the generated freshness rule reads) use the
    // spec's grace, like the in-process freshness SLO.
    for objective in spec.objectives {
        if case .freshness(let grace) = objective.indicator { monitorSettings.freshnessGraceSeconds = grace }
    }
    let monitors = MonitorService(
        store: store, serving: serving, metrics: telemetry.monitors, feed: feed, readiness: readiness,
        settings: monitorSettings, logger: logger
    )
    let experiments = ExperimentService(
        store: store, serving: serving, guardrails: guardrails, slowShareLimit: slowShareLimit, metrics: telemetry.experiments, readiness: readiness,
        interval: configuration.experimentInterval, logger: logger
    )
    let deliverySignal = WakeSignal()
    let deliveries = WebhookDeliveryService(
        store: store, metrics: telemetry.alerts, readiness: readiness, settings: configuration.deliveries, signal: deliverySignal, logger: logger
    )
    let externalURL = configuration.externalURL
    let alerts = AlertManager(
        store: store, slo: slo, monitors: monitors, experiments: experiments, metrics: telemetry.alerts, readiness: readiness, instanceID: instanceID,
        interval: configuration.alertInterval, externalURL: externalURL, deliveries: deliverySignal, logger: logger
    )
    let webhookPolicy = WebhookURLPolicy(allowPrivate: configuration.deliveries.allowPrivate)

    let router = Router(context: AppRequestContext.self)
    if configuration.telemetryEnabled {
        router.add(middleware: RequestTelemetryMiddleware(metrics: telemetry.http, slo: slo))
    }
    router.add(middleware: ErrorMiddleware())
    let log = RouteLog()

    ServiceController(store: store, telemetry: telemetry, readiness: readiness, document: document)
        .register(on: RouteRegistrar(group: router.group(""), prefix: "", log: log))

    if let token = configuration.adminToken {
        let admin = router.group("admin/v1").add(middleware: OperatorMiddleware(token: token, metrics: telemetry.access))
        let adminRoutes = RouteRegistrar(group: admin, prefix: "/admin/v1", log: log)
        AdminController(tenants: tenants).register(on: adminRoutes)
        WebhooksController(store: store, policy: webhookPolicy, deliveries: deliverySignal, externalURL: externalURL, operatorScope: true).register(on: adminRoutes)
        MonitorsController(store: store, monitors: monitors, slo: slo, operatorScope: true).register(on: adminRoutes)
    }

    let api = router.group("api/v1")
        .add(middleware: APIKeyMiddleware(authenticator: authenticator))
        .add(middleware: RateLimitMiddleware(limiter: RateLimiter(defaultLimit: configuration.defaultRateLimit), metrics: telemetry.access))
    let apiRoutes = RouteRegistrar(group: api, prefix: "/api/v1", log: log)
    let types = InteractionTypeCache(store: store)
    CatalogueController(store: store, telemetry: telemetry, types: types, serving: serving, compute: compute).register(on: apiRoutes)
    InteractionsController(store: store, telemetry: telemetry, types: types, serving: serving, compute: compute).register(on: apiRoutes)
    RecommendationsController(engine: engine, compute: compute).register(on: apiRoutes)
    ImportsController(store: store, spoolDirectory: spool, instanceID: instanceID, maxBytes: configuration.maxImportBytes, worker: worker).register(on: apiRoutes)
    JobsController(store: store).register(on: apiRoutes)
    let experimentsController = ExperimentsController(store: store, serving: serving)
    experimentsController.register(on: apiRoutes)
    ModelsController(store: store, artifacts: artifacts, trainer: trainer, serving: serving, experiments: experimentsController).register(on: apiRoutes)
    WebhooksController(store: store, policy: webhookPolicy, deliveries: deliverySignal, externalURL: externalURL, operatorScope: false).register(on: apiRoutes)
    MonitorsController(store: store, monitors: monitors, slo: slo, operatorScope: false).register(on: apiRoutes)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "recommender"),
        logger: logger
    )
    if let service = opened.service { app.addServices(service) }
    // Each background service on a thread of its own (the import worker and the serving registry own theirs: the API
    // hands them work too).
    app.addServices(
        worker,
        ThreadedService(service: RetentionPruner(store: store, readiness: readiness, servedRetentionMillis: configuration.servedRetentionMillis, logger: logger), threadName: "rec-pruner", background: true),
        serving,
        ThreadedService(service: recorder, threadName: "rec-served-log"),
        ComputePoolShutdown(pool: compute),
        // The monitors' cycle, alerts and webhook deliveries yield to serving while it is busy.
        ThreadedService(service: monitors, threadName: "rec-monitors", background: true),
        ThreadedService(service: experiments, threadName: "rec-experiments", background: true),
        ThreadedService(service: alerts, threadName: "rec-alerts", background: true),
        ThreadedService(service: deliveries, threadName: "rec-webhooks", background: true)
    )
    if configuration.trainerEnabled { app.addServices(ThreadedService(service: trainer, threadName: "rec-trainer", background: true)) }
    app.beforeServerStarts {
        try await Migrator(database: opened.database).migrate(logger: logger)
        readiness.markMigrated()
    }
    let parts = AppParts(store: store, tenants: tenants, routes: log, readiness: readiness, importWorker: worker, trainer: trainer, artifacts: artifacts, serving: serving, engine: engine, compute: compute, recorder: recorder, slo: slo, monitors: monitors, experiments: experiments, alerts: alerts, deliveries: deliveries)
    return (app, parts)
}
