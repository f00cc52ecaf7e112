/// A statement whose values are always bound parameters: write it as a string literal with `\(value)` interpolations,
/// and use `\(raw: "...")` only for trusted SQL text such as column lists written in code.
public struct SQLQuery: Sendable, ExpressibleByStringInterpolation {
    enum Fragment: Sendable {
        case sql(String)
        case bind(SQLValue)
    }

    var fragments: [Fragment]

    /// A statement with no parameters.
    public init(stringLiteral value: String) {
        fragments = [.sql(value)]
    }

    /// Builds a statement from its interpolation.
    public init(stringInterpolation: Interpolation) {
        fragments = stringInterpolation.fragments
    }

    /// The interpolation that turns values into binds.
    public struct Interpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []

        /// Reserves space.
        public init(literalCapacity: Int, interpolationCount: Int) {
            fragments.reserveCapacity(interpolationCount * 2 + 1)
        }

        /// Appends literal SQL.
        public mutating func appendLiteral(_ literal: String) {
            fragments.append(.sql(literal))
        }

        /// Appends a bound value.
        public mutating func appendInterpolation(_ value: some SQLBindable) {
            fragments.append(.bind(value.sqlValue))
        }

        /// Appends a bound optional value (NULL when nil).
        public mutating func appendInterpolation<T: SQLBindable>(_ value: T?) {
            fragments.append(.bind(value?.sqlValue ?? .null))
        }

        /// Appends trusted SQL text written in code (never user input).
        public mutating func appendInterpolation(raw sql: String) {
            fragments.append(.sql(sql))
        }
    }

    /// Appends another statement's text and binds.
    public static func + (lhs: SQLQuery, rhs: SQLQuery) -> SQLQuery {
        var out = lhs
        out.fragments += rhs.fragments
        return out
    }

    /// The SQL text with `dialect`'s placeholders, and the binds in order.
    public func render(_ dialect: SQLDialect) -> (sql: String, binds: [SQLValue]) {
        var sql = ""
        var binds: [SQLValue] = []
        for fragment in fragments {
            switch fragment {
            case .sql(let text): sql += text
            case .bind(let value):
                binds.append(value)
                sql += dialect.placeholder(binds.count)
            }
        }
        return (sql, binds)
    }
}

/// The SQL flavour a store speaks.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres

    /// The placeholder for the `index`th (1-based) parameter.
    public func placeholder(_ index: Int) -> String {
        switch self {
        case .sqlite: "?"
        case .postgres: "$\(index)"
        }
    }
}
