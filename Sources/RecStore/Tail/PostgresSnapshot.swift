/// A PostgreSQL snapshot as `pg_current_snapshot()::text` prints it (`xmin:xmax:xip,…`): the transactions still in
/// progress when a statement ran, whose rows it could not see.
struct PostgresSnapshot: Sendable, Equatable {
    /// Every transaction below this one had finished.
    let xmin: UInt64
    /// No transaction from this one on had started.
    let xmax: UInt64
    /// The transactions in progress (between `xmin` and `xmax`).
    let inProgress: Set<UInt64>

    /// Parses the text form; nil when it is not one.
    init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let xmin = UInt64(parts[0]), let xmax = UInt64(parts[1]) else { return nil }
        var inProgress = Set<UInt64>()
        for item in parts[2].split(separator: ",") {
            guard let xid = UInt64(item) else { return nil }
            inProgress.insert(xid)
        }
        self.xmin = xmin
        self.xmax = xmax
        self.inProgress = inProgress
    }

    /// Whether transaction `xid` may still commit rows this snapshot did not see.
    func mayCommitLater(_ xid: UInt64) -> Bool {
        xid >= xmax || inProgress.contains(xid)
    }
}
