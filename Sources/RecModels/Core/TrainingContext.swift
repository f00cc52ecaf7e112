/// What a trainer is told besides the data: threads, seed, where to report progress, and whether to stop.
public struct TrainingContext: Sendable {
    /// One progress report.
    public struct Progress: Sendable, Equatable {
        /// The stage, e.g. `factorize`, `similarity`, `invert`.
        public let stage: String
        /// Completed epochs (or steps) of this stage.
        public let epoch: Int
        /// Epochs of this stage in all.
        public let epochs: Int
        /// The training loss after this epoch, when the model computes one.
        public let loss: Double?

        /// Creates a report.
        public init(stage: String, epoch: Int, epochs: Int, loss: Double? = nil) {
            self.stage = stage
            self.epoch = epoch
            self.epochs = epochs
            self.loss = loss
        }

        /// Fraction of the stage done.
        public var fraction: Double { epochs > 0 ? Double(epoch) / Double(epochs) : 0 }
    }

    /// Worker threads for the CPU work (at least 1).
    public let threads: Int
    /// Seed for every random choice, so runs repeat.
    public let seed: UInt64
    /// Called after each epoch (from a training thread).
    public let report: @Sendable (Progress) -> Void
    /// Polled between epochs and chunks; when true the trainer throws `TrainingError.cancelled`.
    public let isCancelled: @Sendable () -> Bool

    /// Creates a context.
    public init(threads: Int, seed: UInt64 = 42,
                report: @escaping @Sendable (Progress) -> Void = { _ in },
                isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.threads = max(1, threads)
        self.seed = seed
        self.report = report
        self.isCancelled = isCancelled
    }

    /// Throws `TrainingError.cancelled` if cancellation was requested.
    public func checkCancellation() throws(TrainingError) {
        if isCancelled() { throw .cancelled }
    }
}
