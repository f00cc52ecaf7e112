/// Failures of the store itself (not of the caller's input).
public struct StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    enum Code: Sendable, Equatable {
        case uniqueViolation
        case corruptRow
        case database
        case unavailable
    }

    let code: Code
    /// What happened.
    public let message: String

    /// A text form for logs.
    public var description: String { message }

    /// Whether this is a unique-key violation (a duplicate insert).
    public var isUniqueViolation: Bool { code == .uniqueViolation }

    /// A unique constraint was violated.
    static func uniqueViolation(_ message: String) -> StoreError { StoreError(code: .uniqueViolation, message: message) }
    /// A row lacked a column the schema guarantees.
    static func corruptRow(_ column: String) -> StoreError { StoreError(code: .corruptRow, message: "row has no value for \(column)") }
    /// The database reported an error.
    static func database(_ message: String) -> StoreError { StoreError(code: .database, message: message) }
    /// The database could not be reached.
    static func unavailable(_ message: String) -> StoreError { StoreError(code: .unavailable, message: message) }
}
