import RecCore
import RecStore
import RecTelemetry
import Synchronization

/// One tenant's serving state: its live activity, the current view (model + catalogue) and the running experiment's
/// arms (each a view of its own over the same catalogue), swapped atomically.
public final class TenantServing: Sendable {
    /// The tenant.
    public let tenantID: String
    /// Histories and popularity, fed by the interaction tail.
    public let activity: TenantActivity
    /// The tenant's interaction stream, read into `activity`.
    let tail: InteractionTail
    private let current: Mutex<ServingView>
    private let running = Mutex<LiveExperiment?>(nil)
    /// Serialises writers (a view is built outside `current`'s lock, so readers never wait for a build), and counts
    /// the catalogue changes applied through this replica, so a polled catalogue read before one cannot undo it.
    private let writer = Mutex<Int>(0)
    /// The catalogue signature the current catalogue was read at.
    public let catalogueSignature: Mutex<String>

    init(tenantID: String, activity: TenantActivity, tail: InteractionTail, view: ServingView, catalogueSignature: String) {
        self.tail = tail
        self.tenantID = tenantID
        self.activity = activity
        current = Mutex(view)
        self.catalogueSignature = Mutex(catalogueSignature)
    }

    /// The promoted version's view (what requests outside an experiment use); take it once per request.
    public var view: ServingView { current.withLock { $0 } }

    /// The running experiment or rollout this replica routes by, if any.
    public var experiment: LiveExperiment? { running.withLock { $0 } }

    /// The view that answers `subject` (a user id, or an item id), and the experiment arm that chose it: the
    /// experiment's arm for the subject while one runs, else the promoted version's view.
    public func route(_ subject: String) -> (view: ServingView, arm: ServedArm?) {
        if let experiment {
            let (view, arm) = experiment.route(subject)
            return (view, arm)
        }
        return (view, nil)
    }

    /// Replaces the view with `transform(current)`, built without blocking readers.
    func update(_ transform: (ServingView) -> ServingView) {
        writer.withLock { _ in
            let next = transform(view)
            current.withLock { $0 = next }
        }
    }

    /// Routes by `experiment` from now on (nil: every request is served the promoted version).
    func install(experiment: LiveExperiment?) {
        writer.withLock { _ in
            let catalogue = view.catalogue
            // Built on an older catalogue (a change landed while its models loaded)? Then over the current one.
            let next = experiment.map { $0.catalogueGeneration == catalogue.generation ? $0 : $0.over(catalogue) }
            running.withLock { $0 = next }
        }
    }

    /// Installs `catalogue` in the view and in every arm (the caller holds the writer lock).
    private func installLocked(catalogue: ItemCatalogue) {
        let view = self.view
        let next = ServingView(model: view.model, catalogue: catalogue)
        let arms = experiment?.over(catalogue)
        current.withLock { $0 = next }
        running.withLock { $0 = arms }
    }

    /// How many catalogue changes this replica has applied (read it before reading the catalogue from the store).
    var localCatalogueChanges: Int { writer.withLock { $0 } }

    /// Applies catalogue changes made through this replica (after they committed).
    func applyLocal(upserted: [Item], deleted: [String]) {
        writer.withLock { changes in
            changes += 1
            installLocked(catalogue: view.catalogue.applying(upserted: upserted, deleted: deleted))
        }
    }

    /// Installs a catalogue read from the store, unless a local change was applied since `changes` was read (the
    /// read may predate that change's commit); returns whether it was installed.
    func installPolled(catalogue: ItemCatalogue, ifUnchangedSince changes: Int) -> Bool {
        writer.withLock { current in
            guard current == changes else { return false }
            installLocked(catalogue: catalogue)
            return true
        }
    }

    /// Serves `model` from now on (with the current catalogue).
    func install(model: LoadedModel?) {
        update { ServingView(model: model, catalogue: $0.catalogue) }
    }
}
