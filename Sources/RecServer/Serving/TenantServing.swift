import Synchronization

/// One tenant's serving state: its live activity and the current view (model + catalogue), swapped atomically.
final class TenantServing: Sendable {
    /// The tenant.
    let tenantID: String
    /// Histories and popularity, fed by the interaction tail.
    let activity: TenantActivity
    private let current: Mutex<ServingView>
    /// Serialises writers (a view is built outside `current`'s lock, so readers never wait for a build).
    private let writer = Mutex<Void>(())
    /// The catalogue signature the current catalogue was read at.
    let catalogueSignature: Mutex<String>

    init(tenantID: String, activity: TenantActivity, view: ServingView, catalogueSignature: String) {
        self.tenantID = tenantID
        self.activity = activity
        current = Mutex(view)
        self.catalogueSignature = Mutex(catalogueSignature)
    }

    /// The view requests use; take it once per request.
    var view: ServingView { current.withLock { $0 } }

    /// Replaces the view with `transform(current)`, built without blocking readers.
    func update(_ transform: (ServingView) -> ServingView) {
        writer.withLock { _ in
            let next = transform(view)
            current.withLock { $0 = next }
        }
    }

    /// Serves `model` from now on (with the current catalogue).
    func install(model: LoadedModel?) {
        update { ServingView(model: model, catalogue: $0.catalogue) }
    }

    /// Filters with `catalogue` from now on (with the current model).
    func install(catalogue: ItemCatalogue) {
        update { ServingView(model: $0.model, catalogue: catalogue) }
    }
}
