import Foundation
import Logging
import RecCore

/// A swift-log handler writing one JSON object a line: `ts`, `level`, `msg`, `logger`, then metadata keys, secrets redacted.
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

    /// Writes one log event as a JSON line (built by hand: this runs for every request's access log line).
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var fields: [(String, Any)] = [
            ("ts", Self.timestamp()), ("level", event.level.rawValue), ("msg", event.message.description), ("logger", label),
        ]
        for (key, value) in merged where !["ts", "level", "msg", "logger"].contains(key) {
            fields.append((key, Redaction.isSecret(key) ? "[REDACTED]" : Self.plain(value)))
        }
        fields.sort { $0.0 < $1.0 }
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(UInt8(ascii: "{"))
        for (position, field) in fields.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(field.0, to: &out)
            out.append(UInt8(ascii: ":"))
            Self.append(field.1, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        sink.write(String(decoding: out, as: UTF8.self))
    }

    private static func append(_ value: Any, to out: inout [UInt8]) {
        switch value {
        case let string as String:
            JSONText.appendQuoted(string, to: &out)
        case let array as [Any]:
            out.append(UInt8(ascii: "["))
            for (position, element) in array.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let dictionary as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (position, key) in dictionary.keys.sorted().enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(dictionary[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        default:
            JSONText.appendQuoted("\(value)", to: &out)
        }
    }

    /// Now in RFC 3339 UTC with milliseconds, e.g. `2026-11-27T02:55:05.092Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }

    private static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let array): array.map(plain)
        case .dictionary(let dictionary): dictionary.mapValues(plain)
        }
    }
}
