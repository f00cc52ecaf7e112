import Foundation
import Logging
import RecCore

/// A swift-log handler writing one JSON object a line: `ts`, `level`, `msg`, `logger` and the metadata keys, all in
/// key order, secrets redacted.
public struct JSONLogHandler: LogHandler {
    /// The handler's own metadata.
    public var metadata: Logger.Metadata = [:]
    /// The minimum level written.
    public var logLevel: Logger.Level
    /// Adds task-local metadata such as `trace_id` and `span_id`.
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let sink: LogSink

    /// Creates a handler for `label` writing to `sink`.
    public init(label: String, sink: LogSink = .standardOutput, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.sink = sink
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    /// Reads or writes one metadata key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one log event as a JSON line, keys in order (built by hand, without merging dictionaries or comparing keys
    /// as Strings).
    public func log(event: LogEvent) {
        writeLine(fixed: Self.eventFields, extra: event.metadata, urgent: event.level >= .warning) { field, out in
            switch field {
            case .level: JSONText.appendQuoted(event.level.rawValue, to: &out)
            case .logger: JSONText.appendQuoted(label, to: &out)
            case .message: JSONText.appendQuoted(event.message.description, to: &out)
            default: Self.appendTimestamp(to: &out)
            }
        }
    }

    /// Writes one request's access-log line at `info`: the line `log(event:)` would write for the message
    /// `request completed` with the request's fields as metadata, without making that metadata (this runs for every
    /// request).
    public func logRequest(_ request: AccessLogEntry) {
        guard logLevel <= .info else { return }
        writeLine(fixed: request.tenant == nil ? Self.requestFieldsWithoutTenant : Self.requestFields, extra: nil, urgent: request.status >= 500) { field, out in
            switch field {
            case .level: JSONText.appendQuoted(Logger.Level.info.rawValue, to: &out)
            case .logger: JSONText.appendQuoted(label, to: &out)
            case .message: out.append(contentsOf: #""request completed""#.utf8)
            case .timestamp: Self.appendTimestamp(to: &out)
            case .duration: JSONText.appendQuoted(AccessLogEntry.milliseconds(request.nanoseconds), to: &out)
            case .method: JSONText.appendQuoted(request.method, to: &out)
            case .status: JSONText.appendQuoted(String(request.status), to: &out)
            case .route: JSONText.appendQuoted(request.route, to: &out)
            case .tenant: JSONText.appendQuoted(request.tenant ?? "", to: &out)
            }
        }
    }

    /// Writes `fixed` (sorted, written by `value`) merged in key order with the handler's, the provider's and `extra`
    /// metadata (later sources win among those; none overrides a fixed field), secrets redacted; an `urgent` line is
    /// written before this returns (see `LogSink`).
    private func writeLine(fixed: [FixedField], extra: Logger.Metadata?, urgent: Bool, value: (Field, inout [UInt8]) -> Void) {
        var names: [String] = []
        var values: [Logger.Metadata.Value] = []
        var keys: [SortKey] = []
        let capacity = metadata.count + (extra?.count ?? 0) + 4
        names.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
        func add(_ source: Logger.Metadata) {
            for (name, value) in source {
                let key = SortKey(name)
                if fixed.contains(where: { $0.key.prefix == key.prefix && $0.key.length == key.length && $0.name == name }) { continue }
                names.append(name)
                values.append(value)
                keys.append(key)
            }
        }
        add(metadata)
        if let provided = metadataProvider?.get() { add(provided) }
        if let extra { add(extra) }
        // A stable insertion sort of positions (a line has a handful of keys), so the last of equal keys wins.
        var order = Array(names.indices)
        for next in order.indices.dropFirst() {
            let position = order[next]
            var slot = next
            while slot > 0, SortKey.before(keys[position], names[position], keys[order[slot - 1]], names[order[slot - 1]]) {
                order[slot] = order[slot - 1]
                slot -= 1
            }
            order[slot] = position
        }
        var out: [UInt8] = []
        out.reserveCapacity(384)
        out.append(UInt8(ascii: "{"))
        func key(_ encoded: [UInt8]) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: encoded)
        }
        var placed = 0  // fixed fields written so far
        func placeFixed(before position: Int?) {
            while placed < fixed.count, position.map({ SortKey.before(fixed[placed].key, fixed[placed].name, keys[$0], names[$0]) }) ?? true {
                key(fixed[placed].encoded)
                value(fixed[placed].field, &out)
                placed += 1
            }
        }
        for (rank, position) in order.enumerated() {
            // Of equal keys (next to each other now), only the last is written.
            if rank + 1 < order.count, !SortKey.before(keys[position], names[position], keys[order[rank + 1]], names[order[rank + 1]]) { continue }
            placeFixed(before: position)
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(names[position], to: &out)
            out.append(UInt8(ascii: ":"))
            if Redaction.isSecret(names[position]) {
                out.append(contentsOf: #""[REDACTED]""#.utf8)
            } else {
                Self.append(values[position], to: &out)
            }
        }
        placeFixed(before: nil)
        out.append(UInt8(ascii: "}"))
        sink.write(bytes: out, urgent: urgent)
    }

    /// The fields a line's handler writes itself.
    private enum Field {
        case level, logger, message, timestamp, duration, method, status, route, tenant
    }

    /// A field the handler writes itself: its key, sort key and JSON-encoded key with the colon.
    private struct FixedField {
        let field: Field
        let name: String
        let key: SortKey
        let encoded: [UInt8]

        init(_ field: Field, _ name: String) {
            self.field = field
            self.name = name
            key = SortKey(name)
            encoded = Array(JSONText.quoted(name).utf8) + [UInt8(ascii: ":")]
        }

        /// `fields` in the order their keys sort.
        static func sorted(_ fields: [FixedField]) -> [FixedField] {
            fields.sorted { SortKey.before($0.key, $0.name, $1.key, $1.name) }
        }
    }

    /// Every line's own keys (metadata cannot override them).
    private static let eventFields = FixedField.sorted([
        .init(.level, "level"), .init(.logger, "logger"), .init(.message, "msg"), .init(.timestamp, "ts"),
    ])

    /// An access-log line's own keys: every line's, and the request's.
    private static let requestFields = FixedField.sorted([
        .init(.level, "level"), .init(.logger, "logger"), .init(.message, "msg"), .init(.timestamp, "ts"),
        .init(.duration, "duration_ms"), .init(.method, "http.request.method"), .init(.status, "http.response.status_code"),
        .init(.route, "http.route"), .init(.tenant, "tenant"),
    ])

    /// An access-log line's own keys for a request without a tenant.
    private static let requestFieldsWithoutTenant = requestFields.filter { $0.field != .tenant }

    /// A key's first eight bytes as a number that orders like the bytes, and its length: most keys differ in their
    /// first eight bytes, so most comparisons are one integer comparison.
    private struct SortKey {
        let prefix: UInt64
        let length: Int

        init(_ name: String) {
            var name = name
            (prefix, length) = name.withUTF8 { utf8 in
                var prefix: UInt64 = 0
                for index in 0..<8 { prefix = prefix << 8 | UInt64(index < utf8.count ? utf8[index] : 0) }
                return (prefix, utf8.count)
            }
        }

        /// Whether key `a` (named `aName`) sorts before key `b` by UTF-8 bytes (equal keys do not).
        static func before(_ a: SortKey, _ aName: String, _ b: SortKey, _ bName: String) -> Bool {
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            if a.length <= 8 || b.length <= 8 { return a.length < b.length }
            return aName.utf8.lexicographicallyPrecedes(bName.utf8)
        }
    }

    private static func append(_ value: Logger.Metadata.Value, to out: inout [UInt8]) {
        switch value {
        case .string(let string):
            JSONText.appendQuoted(string, to: &out)
        case .stringConvertible(let convertible):
            JSONText.appendQuoted(convertible.description, to: &out)
        case .array(let array):
            out.append(UInt8(ascii: "["))
            for (position, element) in array.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            out.append(UInt8(ascii: "{"))
            for (position, key) in dictionary.keys.sorted().enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(dictionary[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends now as a JSON string in RFC 3339 UTC with milliseconds (e.g. `"2026-11-27T02:55:05.092Z"`) to `out`.
    static func appendTimestamp(to out: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        out.append(UInt8(ascii: "\""))
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        digits(now.tv_nsec / 1_000_000, 3)
        out.append(UInt8(ascii: "Z"))
        out.append(UInt8(ascii: "\""))
    }
}
