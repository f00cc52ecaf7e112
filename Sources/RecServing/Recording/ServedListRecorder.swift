import Logging
import RecStore
import RecTelemetry
import ServiceLifecycle
import Synchronization

/// Records every served list for attribution off the request path: requests append to a bounded buffer, and this
/// service writes the buffer in batches (and once more at shutdown). When the buffer is full, lists are counted as
/// unrecorded rather than slowing requests down.
public final class ServedListRecorder: Service, Sendable {
    private let store: RecordStore
    private let metrics: ServingMetrics
    private let logger: Logger
    private let buffer = Mutex<[ServedList]>([])
    private let capacity: Int
    private let readiness: Readiness

    /// A recorder writing to `store`, holding at most `capacity` lists in memory.
    public init(store: RecordStore, metrics: ServingMetrics, readiness: Readiness, capacity: Int = 100_000, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.readiness = readiness
        self.capacity = capacity
        self.logger = logger
    }

    /// Queues a served event's list for attribution.
    public func record(_ event: ServedEvent) {
        record(ServedList(
            id: event.recommendationID, tenantID: event.tenantID, kind: event.kind.rawValue, userID: event.userID, itemID: event.itemID,
            modelVersion: event.modelVersion, source: event.source, items: event.itemIDs, createdAt: event.createdAt,
            experimentID: event.arm?.experimentID, variant: event.arm?.variant
        ))
    }

    /// Queues a served list.
    func record(_ list: ServedList) {
        let accepted = buffer.withLock { buffer in
            guard buffer.count < capacity else { return false }
            buffer.append(list)
            return true
        }
        if !accepted { metrics.unrecorded(1) }
    }

    /// Writes what is queued now.
    public func flush() async {
        while true {
            // Take everything at once: requests appending meanwhile never wait for a copy of the rest.
            let queued = buffer.withLock { buffer -> [ServedList] in
                var taken: [ServedList] = []
                swap(&taken, &buffer)
                return taken
            }
            guard !queued.isEmpty else { return }
            var start = queued.startIndex
            while start < queued.endIndex {
                let batch = Array(queued[start..<min(queued.endIndex, start + 2_000)])
                start += batch.count
                do {
                    try await store.recordServedLists(batch)
                } catch {
                    // This batch is lost; the lists after it go back in front of the queue for the next flush.
                    metrics.unrecorded(batch.count)
                    logger.warning("recording served lists failed", metadata: ["rec.count": "\(batch.count)", "error": "\(error)"])
                    requeue(queued[start...])
                    return
                }
            }
        }
    }

    /// Puts lists back in front of the queue (oldest first), counting those beyond its capacity as unrecorded.
    private func requeue(_ lists: ArraySlice<ServedList>) {
        guard !lists.isEmpty else { return }
        let dropped = buffer.withLock { buffer -> Int in
            buffer.insert(contentsOf: lists, at: 0)
            let excess = max(0, buffer.count - capacity)
            buffer.removeLast(excess)
            return excess
        }
        if dropped > 0 { metrics.unrecorded(dropped) }
    }

    /// Flushes every 200 ms until shutdown, then once more.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                if self.readiness.migrated { await self.flush() }
            }
        }
        await flush()
    }
}
