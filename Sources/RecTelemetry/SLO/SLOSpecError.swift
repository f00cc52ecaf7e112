/// A spec that cannot be used, naming the field (`slos[2].sli.latency.threshold`).
public struct SLOSpecError: Error, CustomStringConvertible, Sendable {
    /// The field's path.
    public let field: String
    /// What is wrong with it.
    public let message: String

    /// Creates the error.
    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
