import RecCore

/// One result row: values by column name.
public struct SQLRow: Sendable {
    let columns: [String: Int]
    let values: [SQLValue]

    /// The raw value of `column`, or NULL when absent.
    public subscript(_ column: String) -> SQLValue {
        guard let index = columns[column] else { return .null }
        return values[index]
    }

    /// A text column, nil when NULL.
    public func string(_ column: String) -> String? {
        switch self[column] {
        case .text(let value): value
        case .int(let value): String(value)
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    /// An integer column, nil when NULL.
    public func int(_ column: String) -> Int64? {
        switch self[column] {
        case .int(let value): value
        case .double(let value): Int64(value)
        case .text(let value): Int64(value)
        default: nil
        }
    }

    /// A floating-point column, nil when NULL.
    public func double(_ column: String) -> Double? {
        switch self[column] {
        case .double(let value): value
        case .int(let value): Double(value)
        case .text(let value): Double(value)
        default: nil
        }
    }

    /// A blob column, nil when NULL.
    public func bytes(_ column: String) -> [UInt8]? {
        switch self[column] {
        case .blob(let value): value
        case .text(let value): Array(value.utf8)
        default: nil
        }
    }

    /// A required text column; a missing value is a schema bug, reported as a store error.
    public func requiredString(_ column: String) throws -> String {
        guard let value = string(column) else { throw StoreError.corruptRow(column) }
        return value
    }

    /// A required integer column.
    public func requiredInt(_ column: String) throws -> Int64 {
        guard let value = int(column) else { throw StoreError.corruptRow(column) }
        return value
    }
}
