import Foundation
import Logging
import RecCore
import RecIndex
import RecModels
import RecStore
import RecTelemetry
import ServiceLifecycle
import Synchronization

/// Every tenant's serving state, loaded on first use and kept current: new interactions are tailed from the store,
/// promotions (here, by the trainer or on another replica) swap the model, catalogue changes swap the catalogue.
public final class ServingRegistry: Service, Sendable {
    private let store: RecordStore
    private let artifacts: any ArtifactStore
    private let telemetry: Telemetry
    private let readiness: Readiness
    private let indexConfiguration: IndexConfiguration
    private let pollInterval: Duration
    private let historyCap: Int
    private let preload: Bool
    private let compute: ComputePool
    private let logger: Logger
    /// A tenant being loaded, or loaded (found by the request path without awaiting anything).
    private enum Entry {
        case loading(Task<TenantServing, any Error>)
        case ready(TenantServing)
    }
    private let tenants = Mutex<[String: Entry]>([:])
    private let signal = WakeSignal()
    /// Runs the polling, tenant loads, version swaps and local changes (reading and applying store pages), off the
    /// event loops; what computes for long (decoding artifacts, building catalogues and views) goes to `compute`.
    private let thread = WorkerThread(name: "rec-serving")

    /// A registry over `store` and `artifacts`, polling for changes every `pollInterval`, keeping `historyCap`
    /// interactions per user, and building on `compute`.
    public init(store: RecordStore, artifacts: any ArtifactStore, telemetry: Telemetry, readiness: Readiness,
                indexConfiguration: IndexConfiguration, pollInterval: Duration, historyCap: Int, preload: Bool,
                compute: ComputePool, logger: Logger) {
        self.preload = preload
        self.historyCap = historyCap
        self.compute = compute
        telemetry.ranking.historyCap(historyCap)
        self.store = store
        self.artifacts = artifacts
        self.telemetry = telemetry
        self.readiness = readiness
        self.indexConfiguration = indexConfiguration
        self.pollInterval = pollInterval
        self.logger = logger
    }

    deinit {
        thread.stop()
    }

    // MARK: - Tenants

    /// A tenant's serving state, loading it on first use (concurrent first requests share one load).
    public func tenant(_ tenantID: String) async throws -> TenantServing {
        let entry: Entry = tenants.withLock { tenants in
            if let entry = tenants[tenantID] { return entry }
            let task = Task(executorPreference: thread) {
                let tenant = try await self.load(tenantID: tenantID)
                self.tenants.withLock { $0[tenantID] = .ready(tenant) }
                return tenant
            }
            tenants[tenantID] = .loading(task)
            return .loading(task)
        }
        switch entry {
        case .ready(let tenant):
            return tenant
        case .loading(let task):
            do {
                return try await task.value
            } catch {
                // A failed load is retried by the next request.
                tenants.withLock { tenants in
                    if case .loading(let current) = tenants[tenantID], current == task { tenants[tenantID] = nil }
                }
                throw error
            }
        }
    }

    /// A tenant's state if it is loaded or loading (waiting for the load), else nil: changes to tenants nobody has
    /// asked for yet need not be applied, since their first use reads everything.
    private func existing(_ tenantID: String) async -> TenantServing? {
        switch tenants.withLock({ $0[tenantID] }) {
        case .ready(let tenant): tenant
        case .loading(let task): try? await task.value
        case nil: nil
        }
    }

    /// The tenants loaded so far (what the model monitors watch on this replica).
    public func loaded() -> [TenantServing] {
        tenants.withLock { tenants in
            tenants.values.compactMap { if case .ready(let tenant) = $0 { tenant } else { nil } }
        }
    }

    private func load(tenantID: String) async throws -> TenantServing {
        let started = ContinuousClock.now
        let signature = try await store.catalogueSignature(tenantID: tenantID)
        let catalogue = try await readCatalogue(tenantID: tenantID, generation: 1)
        let activity = TenantActivity(historyCap: historyCap, metrics: telemetry.ranking)
        let tail = InteractionTail(store: store, tenantID: tenantID)
        try await self.tail(tail, into: activity)
        activity.rankPopularIfDue()  // before the tenant serves its first fallback
        let version = try await store.servingVersion(tenantID: tenantID)
        let model: LoadedModel? = if let version { try await loadModel(tenantID: tenantID, version: version) } else { nil }
        let view = await compute.run { ServingView(model: model, catalogue: catalogue) }
        let tenant = TenantServing(tenantID: tenantID, activity: activity, tail: tail, view: view, catalogueSignature: signature)
        if let model { telemetry.serving.serving(tenant: tenantID, version: model.version, model: model.kind.rawValue) }
        await route(tenant, by: try await store.runningExperiment(tenantID: tenantID))
        logger.info("tenant serving loaded", metadata: [
            "tenant": "\(tenantID)", "rec.version": "\(model?.version ?? "none")", "rec.items": "\(catalogue.items.count)",
            "rec.users": "\(activity.size.users)", "rec.history_bytes": "\(activity.size.bytes)", "rec.seconds": "\((ContinuousClock.now - started).seconds)",
            "rec.exact_scan": "\(model?.indexes?.recommendScan != nil)",
            "rec.exact_scan_proven_share": "\(model?.indexes?.scanProvenShare.map { String($0) } ?? "n/a")",
        ])
        return tenant
    }

    private func readCatalogue(tenantID: String, generation: Int) async throws -> ItemCatalogue {
        var items: [String: CatalogueItem] = [:]
        var after: String?
        while true {
            let page = try await store.items(tenantID: tenantID, after: after, limit: 10_000)
            for item in page { items[item.itemID] = CatalogueItem(item) }
            guard page.count == 10_000, let last = page.last else { break }
            after = last.itemID
        }
        let snapshot = items
        return await compute.run { ItemCatalogue(items: snapshot, generation: generation) }
    }

    /// Applies the tenant's interactions not yet applied, and has popularity ranked again soon.
    private func tail(_ tail: InteractionTail, into activity: TenantActivity) async throws {
        let applied = try await tail.drain { page in
            activity.apply(page.map { ($0.id, $0.userID, $0.itemID, $0.weight, $0.timestamp) })
        }
        if applied > 0 { rankPopularitySoon(activity) }
    }

    /// Ranks a tenant's popularity on the serving thread once it is due (at most once a second after its counts change),
    /// in a task of its own, so an ingest request that tails does not wait for the sort.
    private func rankPopularitySoon(_ activity: TenantActivity) {
        guard activity.claimRanking() else { return }
        Task(executorPreference: thread) {
            while let wait = activity.rankClaimed() {
                try? await Task.sleep(for: wait)
            }
        }
    }

    /// A user's stored properties (empty when the tenant has no such user): what a model that reads them encodes a
    /// user it never saw from.
    public func userProperties(tenantID: String, userID: String) async throws -> [String: JSONValue] {
        try await store.user(tenantID: tenantID, userID: userID)?.properties ?? [:]
    }

    // MARK: - Models

    /// Loads a version: verified artifact, decoded off the concurrency pool, indexes read (or rebuilt if missing).
    private func loadModel(tenantID: String, version: String) async throws -> LoadedModel {
        let started = ContinuousClock.now
        guard let record = try await store.model(tenantID: tenantID, version: version) else {
            throw RecError.conflict("the serving version \(version) is not registered")
        }
        let bytes = try await artifacts.verifiedRead(tenantID: tenantID, version: version, checksum: record.checksum)
        var indexBytes: [UInt8]?
        if [ModelKind.ials, .bpr, .lightgcn, .twoTower].contains(where: { $0.rawValue == record.kind }) {
            do {
                indexBytes = try await artifacts.read(tenantID: tenantID, version: ItemIndexes.artifactName(version))
            } catch {
                // Rebuilt below from the model (the log line there says so).
                indexBytes = nil
            }
        }
        let configuration = indexConfiguration
        let logger = logger
        let metrics = telemetry.serving
        let threads = compute.threads
        let model = try await compute.run { [indexBytes] in
            let artifact = try ModelArtifact.decode(bytes)
            var indexes: ItemIndexes?
            if let factors = artifact.model.servingFactors {
                let vectors = FactorVectors(factors)
                do {
                    guard let indexBytes else { throw IndexError("no index artifact") }
                    indexes = try ItemIndexes.decode(indexBytes, model: vectors, configuration: configuration)
                } catch {
                    logger.warning("item index unreadable, rebuilding", metadata: ["tenant": "\(tenantID)", "rec.version": "\(version)", "error": "\(error)"])
                    indexes = try ItemIndexes.build(model: vectors, configuration: configuration, threads: threads)
                }
            }
            return LoadedModel(version: version, artifact: artifact, indexes: indexes, metrics: metrics)
        }
        telemetry.serving.loaded(model: record.kind, duration: ContinuousClock.now - started)
        return model
    }

    /// Makes `version` the one served for `tenantID` (if the tenant is loaded; otherwise its first use loads it).
    /// Returns once the swap is done, so a caller promoting through this replica reads its own write.
    public func activate(tenantID: String, version: String) async throws {
        try await withTaskExecutorPreference(thread) {
            guard let tenant = await existing(tenantID) else { return }
            guard tenant.view.model?.version != version else { return }
            swapIn(try await loadModel(tenantID: tenantID, version: version), for: tenant)
        }
    }

    /// Serves `model` for `tenant` from now on, and says so (metric, log line).
    private func swapIn(_ model: LoadedModel, for tenant: TenantServing) {
        let previous = tenant.view.model?.version
        tenant.install(model: model)
        telemetry.serving.serving(tenant: tenant.tenantID, version: model.version, model: model.kind.rawValue)
        logger.info("serving version swapped", metadata: ["tenant": "\(tenant.tenantID)", "rec.version": "\(model.version)", "rec.previous": "\(previous ?? "none")"])
    }

    /// Promotes `version` through `commit` (the store's change), checking its artifact once: read and verified (and,
    /// when this replica serves the tenant, decoded) before the commit, installed right after it. A corrupt or missing
    /// artifact fails before anything changes, and a committed promotion cannot fail to activate here.
    public func promote<T: Sendable>(tenantID: String, version: String, commit: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(thread) {
            let tenant = await existing(tenantID)
            var model: LoadedModel?
            if let tenant, tenant.view.model?.version != version {
                model = try await loadModel(tenantID: tenantID, version: version)
            } else {
                guard let record = try await store.model(tenantID: tenantID, version: version) else {
                    throw RecError.notFound("model version")
                }
                _ = try await artifacts.verifiedRead(tenantID: tenantID, version: version, checksum: record.checksum)
            }
            let result = try await commit()
            if let tenant, let model { swapIn(model, for: tenant) }
            return result
        }
    }

    // MARK: - Experiments

    /// Routes `tenant` by `record` (the running experiment or rollout the store holds, or nil for none) unless it
    /// does already: loads the arms' versions (sharing the models already loaded) and builds their views. An arm
    /// that cannot load leaves the tenant on its promoted version, retried at the next poll.
    private func route(_ tenant: TenantServing, by record: ExperimentRecord?) async {
        let current = tenant.experiment
        guard current?.id != record?.id else { return }
        guard let record else {
            tenant.install(experiment: nil)
            logger.info("experiment routing ended", metadata: ["tenant": "\(tenant.tenantID)", "rec.experiment": "\(current?.id ?? "")"])
            return
        }
        do {
            var loaded: [String: LoadedModel] = [:]
            if let model = tenant.view.model { loaded[model.version] = model }
            for arm in current?.arms ?? [] { if let model = arm.view.model { loaded[model.version] = model } }
            for variant in record.variants where loaded[variant.model_version] == nil {
                loaded[variant.model_version] = try await loadModel(tenantID: tenant.tenantID, version: variant.model_version)
            }
            let catalogue = tenant.view.catalogue
            let models = loaded
            let experiment = await compute.run {
                LiveExperiment(id: record.id, salt: record.salt, arms: record.variants.map { variant in
                    LiveExperiment.Arm(name: variant.name, traffic: variant.traffic, view: ServingView(model: models[variant.model_version], catalogue: catalogue))
                })
            }
            tenant.install(experiment: experiment)
            logger.info("experiment routing started", metadata: [
                "tenant": "\(tenant.tenantID)", "rec.experiment": "\(record.id)",
                "rec.variants": "\(record.variants.map { "\($0.name)=\($0.model_version):\($0.traffic)%" }.joined(separator: ","))",
            ])
        } catch {
            logger.warning("experiment arms unloadable", metadata: ["tenant": "\(tenant.tenantID)", "rec.experiment": "\(record.id)", "error": "\(error)"])
        }
    }

    /// Routes the tenant by its running experiment now (after this replica created, stopped or decided one), so the
    /// caller's next request reads its own write; other replicas follow at their next poll.
    public func experimentChanged(tenantID: String) async throws {
        try await withTaskExecutorPreference(thread) {
            guard let tenant = await existing(tenantID) else { return }
            await route(tenant, by: try await store.runningExperiment(tenantID: tenantID))
        }
    }

    /// Reads `version`'s artifact and checks it against its checksum, off the event loops: `StoreError.artifactMissing`
    /// or `.artifactCorrupt` when it cannot be served, `RecError.notFound` when no such version is registered.
    public func verifyArtifact(tenantID: String, version: String) async throws {
        try await withTaskExecutorPreference(thread) {
            guard let record = try await store.model(tenantID: tenantID, version: version) else { throw RecError.notFound("model version") }
            _ = try await artifacts.verifiedRead(tenantID: tenantID, version: version, checksum: record.checksum)
        }
    }

    // MARK: - Changes made through this replica

    /// Applies catalogue changes at once (other replicas notice them by polling).
    public func itemsChanged(tenantID: String, upserted: [Item], deleted: [String]) async {
        await withTaskExecutorPreference(thread) {
            guard let tenant = await existing(tenantID) else { return }
            tenant.applyLocal(upserted: upserted, deleted: deleted)
        }
    }

    /// Reads a tenant's new interactions now, so the caller's next recommendation reflects them.
    public func interactionsAdded(tenantID: String) async {
        await withTaskExecutorPreference(thread) {
            guard let tenant = await existing(tenantID) else { return }
            do {
                try await tail(tenant.tail, into: tenant.activity)
            } catch {
                // The next poll round reads them (and logs if it fails too).
                signal.wake()
            }
        }
    }

    // MARK: - Polling

    /// Preloads tenants with a serving version (unless configured not to), then polls for changes made elsewhere until shutdown.
    public func run() async throws {
        await withTaskExecutorPreference(thread) { await self.pollUntilShutdown() }
    }

    private func pollUntilShutdown() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled && !self.readiness.migrated { try? await Task.sleep(for: .milliseconds(50)) }
            if self.preload, let versions = try? await self.store.servingVersions() {
                for tenantID in versions.keys.sorted() { _ = try? await self.tenant(tenantID) }
            }
            while !Task.isCancelled {
                await self.signal.wait(for: self.pollInterval)
                await self.poll()
            }
        }
    }

    /// One round: tail interactions, swap promoted versions, reload changed catalogues.
    public func poll() async {
        let tenants = loaded()
        guard !tenants.isEmpty else { return }
        let versions = (try? await store.servingVersions()) ?? [:]
        // Unreadable: every tenant keeps routing as it does (nil would end their experiments here).
        var experiments: [String: ExperimentRecord]?
        do {
            experiments = Dictionary(try await store.runningExperiments().map { ($0.tenantID, $0) }, uniquingKeysWith: { first, _ in first })
        } catch {
            logger.warning("running experiments unreadable", metadata: ["error": "\(error)"])
        }
        for tenant in tenants {
            do {
                try await tail(tenant.tail, into: tenant.activity)
                if let version = versions[tenant.tenantID], version != tenant.view.model?.version {
                    try await activate(tenantID: tenant.tenantID, version: version)
                }
                if let experiments { await route(tenant, by: experiments[tenant.tenantID]) }
                let changes = tenant.localCatalogueChanges
                let signature = try await store.catalogueSignature(tenantID: tenant.tenantID)
                if signature != tenant.catalogueSignature.withLock({ $0 }) {
                    let catalogue = try await readCatalogue(tenantID: tenant.tenantID, generation: tenant.view.catalogue.generation + 1)
                    // Read before a change made here committed? Then drop it: the next round reads again.
                    if tenant.installPolled(catalogue: catalogue, ifUnchangedSince: changes) {
                        tenant.catalogueSignature.withLock { $0 = signature }
                    }
                }
            } catch {
                logger.warning("serving refresh failed", metadata: ["tenant": "\(tenant.tenantID)", "error": "\(error)"])
            }
        }
    }
}
