/// Why a training run stopped without a model.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Cancellation was requested.
    case cancelled
    /// The data cannot train this model (e.g. no interactions).
    case insufficientData(String)
    /// The model would need more memory than allowed; the message carries the estimate.
    case tooLarge(String)
    /// The numerics failed (e.g. a matrix that should be positive definite is not).
    case numerical(String)

    /// A sentence for job messages and the CLI.
    public var description: String {
        switch self {
        case .cancelled: "training was cancelled"
        case .insufficientData(let message): message
        case .tooLarge(let message): message
        case .numerical(let message): message
        }
    }
}
