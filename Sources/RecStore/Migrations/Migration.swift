import Foundation

/// One versioned schema change; `{{ID}}`, `{{BLOB}}` and `{{TEXTKEY}}` are replaced per dialect.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
    /// Statements run only on PostgreSQL, after `statements`.
    var postgresStatements: [String] = []

    /// The statements in `dialect`.
    func sql(for dialect: SQLDialect) -> [String] {
        (dialect == .postgres ? statements + postgresStatements : statements).map { statement in
            switch dialect {
            case .sqlite:
                statement
                    .replacingOccurrences(of: "{{ID}}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                    .replacingOccurrences(of: "{{BLOB}}", with: "BLOB")
                    .replacingOccurrences(of: "{{TEXTKEY}}", with: "TEXT")
            case .postgres:
                statement
                    .replacingOccurrences(of: "{{ID}}", with: "BIGSERIAL PRIMARY KEY")
                    .replacingOccurrences(of: "{{BLOB}}", with: "BYTEA")
                    .replacingOccurrences(of: "{{TEXTKEY}}", with: "TEXT COLLATE \"C\"")
            }
        }
    }
}
