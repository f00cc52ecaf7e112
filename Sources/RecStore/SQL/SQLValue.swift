/// A value bound into a statement or read from a row, in the few types both stores share.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// Types that can be bound as a statement parameter.
public protocol SQLBindable {
    /// The value as bound.
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable {
    /// Binds as text.
    public var sqlValue: SQLValue { .text(self) }
}

extension Int64: SQLBindable {
    /// Binds as a 64-bit integer.
    public var sqlValue: SQLValue { .int(self) }
}

extension Int: SQLBindable {
    /// Binds as a 64-bit integer.
    public var sqlValue: SQLValue { .int(Int64(self)) }
}

extension Double: SQLBindable {
    /// Binds as a double.
    public var sqlValue: SQLValue { .double(self) }
}

extension Bool: SQLBindable {
    /// Binds as 0 or 1 so both stores agree.
    public var sqlValue: SQLValue { .int(self ? 1 : 0) }
}

extension Array: SQLBindable where Element == UInt8 {
    /// Binds as a blob / bytea.
    public var sqlValue: SQLValue { .blob(self) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// Binds the wrapped value, or NULL.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension SQLValue: SQLBindable {
    /// Binds itself.
    public var sqlValue: SQLValue { self }
}
