/// Why one webhook delivery attempt failed, and whether another attempt could succeed.
struct DeliveryFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    enum Code: Sendable, Equatable {
        /// The URL resolves to an address webhooks may not reach: final, retrying cannot help.
        case refused
        /// The URL is unusable now (invalid, or its host does not resolve, perhaps only for now).
        case badURL
        /// The receiver answered with a status outside 2xx.
        case status
        /// The request failed on the way (connection, TLS, timeout).
        case transport
    }

    /// The kind of failure.
    let code: Code
    /// What happened, as stored with the delivery.
    let message: String

    /// Whether the delivery is abandoned at once instead of retried.
    var isPermanent: Bool { code == .refused }

    /// The stored text: `refused: url …`, `url …`, `receiver answered 503`, or the transport error.
    var description: String { message }

    /// The URL points at a forbidden address.
    static func refused(_ problem: String) -> DeliveryFailure { DeliveryFailure(code: .refused, message: "refused: url \(problem)") }
    /// The URL cannot be used now.
    static func badURL(_ problem: String) -> DeliveryFailure { DeliveryFailure(code: .badURL, message: "url \(problem)") }
    /// The receiver answered `status`.
    static func status(_ status: UInt) -> DeliveryFailure { DeliveryFailure(code: .status, message: "receiver answered \(status)") }
    /// The request failed with `error`.
    static func transport(_ error: any Error) -> DeliveryFailure { DeliveryFailure(code: .transport, message: "\(error)") }
}
