import CSQLite

/// Owns one `sqlite3*` handle and its prepared statements; closes them in `deinit`.
///
/// `@unchecked Sendable`: `SQLiteDatabase` uses a reader only on that reader's `WorkerThread`, and the writer only in
/// the one group commit draining at a time, so the handle is never touched by two threads at once.
final class SQLiteConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (creating if needed) the database at `path` in WAL mode.
    init(path: String, readOnly: Bool) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError.unavailable("cannot open SQLite database at \(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
        try exec("PRAGMA foreign_keys = ON")
        // A 64 MiB page cache keeps hot index pages out of read syscalls.
        try exec("PRAGMA cache_size = -65536")
        try exec("PRAGMA temp_store = MEMORY")
        if !readOnly {
            try exec("PRAGMA journal_mode = WAL")
            // Checkpoint (and fsync) every ~40 MiB of WAL instead of every 4 MiB.
            try exec("PRAGMA wal_autocheckpoint = 10000")
            // NORMAL in WAL mode: a committed transaction survives a process crash or kill; only an OS crash or
            // power loss can lose the last commits. `RECOMMENDER_SQLITE_SYNCHRONOUS=FULL` trades speed for that too.
        }
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs SQL text without parameters (PRAGMAs, BEGIN, COMMIT).
    func exec(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error \(status)"
            sqlite3_free(error)
            throw StoreError.database("SQLite: \(message)")
        }
    }

    /// Runs one statement with binds and collects its rows.
    func run(_ sql: String, _ binds: [SQLValue], collect: Bool) throws -> [SQLRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(binds, to: statement)
        var rows: [SQLRow] = []
        var columns: [String: Int]?
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error(status) }
            guard collect else { continue }
            let count = Int(sqlite3_column_count(statement))
            if columns == nil {
                var map: [String: Int] = [:]
                for index in 0..<count { map[String(cString: sqlite3_column_name(statement, Int32(index)))] = index }
                columns = map
            }
            var values: [SQLValue] = []
            values.reserveCapacity(count)
            for index in 0..<Int32(count) { values.append(try column(statement, index)) }
            rows.append(SQLRow(columns: columns ?? [:], values: values))
        }
        return rows
    }

    /// Runs one statement once per row of binds (prepared once), discarding results.
    func runMany(_ sql: String, _ rows: [[SQLValue]]) throws {
        let statement = try prepared(sql)
        defer { sqlite3_clear_bindings(statement) }
        for row in rows {
            try bind(row, to: statement)
            let status = sqlite3_step(statement)
            sqlite3_reset(statement)
            guard status == SQLITE_DONE || status == SQLITE_ROW else { throw error(status) }
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status) }
        statements[sql] = statement
        return statement
    }

    private func bind(_ binds: [SQLValue], to statement: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case .int(let int): status = sqlite3_bind_int64(statement, index, int)
            case .double(let double): status = sqlite3_bind_double(statement, index, double)
            case .text(let text):
                // Bound with its byte length, so text is never cut short at an embedded NUL.
                var text = text
                status = text.withUTF8 { utf8 in
                    UnsafeRawBufferPointer(utf8).withMemoryRebound(to: CChar.self) { chars in
                        guard let base = chars.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, SQLITE_TRANSIENT) }
                        return sqlite3_bind_text(statement, index, base, Int32(chars.count), SQLITE_TRANSIENT)
                    }
                }
            case .blob(let bytes):
                status = bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
            }
            guard status == SQLITE_OK else { throw error(status) }
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) throws -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            // Read by length, as it was bound: text may hold a NUL, where a C string would end. (Text first, then its
            // length: sqlite3_column_bytes counts the form sqlite3_column_text returned.)
            let text = sqlite3_column_text(statement, index)
            let count = Int(sqlite3_column_bytes(statement, index))
            // NULL for a text value only when SQLite ran out of memory converting it.
            guard let text else { throw error(SQLITE_NOMEM) }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let pointer = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }

    private func error(_ status: Int32) -> StoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        let extended = sqlite3_extended_errcode(handle)
        // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE are computed macros Swift does not import.
        if status & 0xff == SQLITE_CONSTRAINT, extended == SQLITE_CONSTRAINT | (6 << 8) || extended == SQLITE_CONSTRAINT | (8 << 8) {
            return .uniqueViolation("SQLite: \(message)")
        }
        return .database("SQLite: \(message)")
    }
}

/// SQLite's "copy the bound bytes now" destructor sentinel, which Swift cannot import as a macro.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
