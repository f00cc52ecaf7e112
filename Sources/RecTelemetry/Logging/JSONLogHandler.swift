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

    /// Writes one log event as a JSON line, keys in order (built by hand: this runs for every request's access log
    /// line, so it avoids merging dictionaries and formatting through Strings).
    public func log(event: LogEvent) {
        // Later sources win: the handler's metadata, then the provider's (trace ids), then the event's.
        var entries: [(key: String, value: Logger.Metadata.Value)] = []
        entries.reserveCapacity(metadata.count + (event.metadata?.count ?? 0) + 8)
        for (key, value) in metadata where !Self.reserved.contains(key) { entries.append((key, value)) }
        if let provided = metadataProvider?.get() {
            for (key, value) in provided where !Self.reserved.contains(key) { entries.append((key, value)) }
        }
        if let extra = event.metadata {
            for (key, value) in extra where !Self.reserved.contains(key) { entries.append((key, value)) }
        }
        // Stable by key (compared as bytes: keys are ASCII, and Unicode-aware comparison is slower), so the last of
        // equal keys is the one that wins.
        let ordered = entries.indices.sorted { Self.byteOrder(entries[$0].key, entries[$1].key, $0, $1) }
        var out: [UInt8] = []
        out.reserveCapacity(320)
        out.append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendQuoted(name, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        var fixed = 0  // the next of `reserved` (sorted) to place
        func placeFixed(before name: String?) {
            while fixed < Self.reserved.count, name.map({ Self.byteOrder(Self.reserved[fixed], $0, 0, 0) }) ?? true {
                key(Self.reserved[fixed])
                switch fixed {
                case 0: JSONText.appendQuoted(event.level.rawValue, to: &out)
                case 1: JSONText.appendQuoted(label, to: &out)
                case 2: JSONText.appendQuoted(event.message.description, to: &out)
                default: out.append(UInt8(ascii: "\"")); Self.appendTimestamp(to: &out); out.append(UInt8(ascii: "\""))
                }
                fixed += 1
            }
        }
        for (position, index) in ordered.enumerated() {
            let entry = entries[index]
            if position + 1 < ordered.count, entries[ordered[position + 1]].key == entry.key { continue }
            placeFixed(before: entry.key)
            key(entry.key)
            if Redaction.isSecret(entry.key) {
                JSONText.appendQuoted("[REDACTED]", to: &out)
            } else {
                Self.append(entry.value, to: &out)
            }
        }
        placeFixed(before: nil)
        out.append(UInt8(ascii: "}"))
        sink.write(bytes: out)
    }

    /// Whether `a` (at position `i`) sorts before `b` (at `j`): by UTF-8 bytes, then by position.
    private static func byteOrder(_ a: String, _ b: String, _ i: Int, _ j: Int) -> Bool {
        var a = a, b = b
        let order = a.withUTF8 { x in b.withUTF8 { y -> Int in
            let shared = min(x.count, y.count)
            for index in 0..<shared where x[index] != y[index] { return x[index] < y[index] ? -1 : 1 }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        } }
        return order < 0 || (order == 0 && i < j)
    }

    /// The keys every line carries, sorted: `level`, `logger`, `msg`, `ts` (metadata cannot override them).
    private static let reserved = ["level", "logger", "msg", "ts"]

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

    /// Appends now in RFC 3339 UTC with milliseconds (e.g. `2026-11-27T02:55:05.092Z`, without quotes) to `out`.
    static func appendTimestamp(to out: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
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
    }
}
