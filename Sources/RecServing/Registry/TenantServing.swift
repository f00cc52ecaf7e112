import RecCore
import RecStore
import Synchronization

/// One tenant's serving state: its live activity and the current view (model + catalogue), swapped atomically.
public final class TenantServing: Sendable {
    /// The tenant.
    public let tenantID: String
    /// Histories and popularity, fed by the interaction tail.
    public let activity: TenantActivity
    /// The tenant's interaction stream, read into `activity`.
    let tail: InteractionTail
    private let current: Mutex<ServingView>
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

    /// The view requests use; take it once per request.
    public var view: ServingView { current.withLock { $0 } }

    /// Replaces the view with `transform(current)`, built without blocking readers.
    func update(_ transform: (ServingView) -> ServingView) {
        writer.withLock { _ in
            let next = transform(view)
            current.withLock { $0 = next }
        }
    }

    /// How many catalogue changes this replica has applied (read it before reading the catalogue from the store).
    var localCatalogueChanges: Int { writer.withLock { $0 } }

    /// Applies catalogue changes made through this replica (after they committed).
    func applyLocal(upserted: [Item], deleted: [String]) {
        writer.withLock { changes in
            changes += 1
            let view = self.view
            let next = ServingView(model: view.model, catalogue: view.catalogue.applying(upserted: upserted, deleted: deleted))
            current.withLock { $0 = next }
        }
    }

    /// Installs a catalogue read from the store, unless a local change was applied since `changes` was read (the
    /// read may predate that change's commit); returns whether it was installed.
    func installPolled(catalogue: ItemCatalogue, ifUnchangedSince changes: Int) -> Bool {
        writer.withLock { current in
            guard current == changes else { return false }
            let next = ServingView(model: view.model, catalogue: catalogue)
            self.current.withLock { $0 = next }
            return true
        }
    }

    /// Serves `model` from now on (with the current catalogue).
    func install(model: LoadedModel?) {
        update { ServingView(model: model, catalogue: $0.catalogue) }
    }
}
