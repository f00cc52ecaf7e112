import Synchronization

/// A lock-protected map from a label tuple to a metric object, so hot paths never rebuild metric handles.
final class MetricCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let storage = Mutex<[Key: Value]>([:])
    private let make: @Sendable (Key) -> Value

    init(_ make: @escaping @Sendable (Key) -> Value) {
        self.make = make
    }

    /// The keys with a metric now.
    func keys() -> [Key] {
        storage.withLock { Array($0.keys) }
    }

    /// Forgets `key`'s metric, returning it (to unregister) if it existed.
    func remove(_ key: Key) -> Value? {
        storage.withLock { $0.removeValue(forKey: key) }
    }

    func callAsFunction(_ key: Key) -> Value {
        storage.withLock { map in
            if let value = map[key] { return value }
            let value = make(key)
            map[key] = value
            return value
        }
    }
}
