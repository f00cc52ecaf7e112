/// A failure reported by FAISS (its C++ exception text) or by a request the index cannot answer.
public struct IndexError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
