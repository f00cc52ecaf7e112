import Foundation
import Logging
import RecCore
@testable import RecTelemetry
import Testing

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    /// A logger writing to `sink` at `info`, with a provider giving `provided` (none when nil).
    private static func logger(_ label: String, _ sink: LogSink, _ provided: Logger.Metadata?) -> Logger {
        let provider = provided.map { metadata in Logger.MetadataProvider { metadata } }
        return Logger(label: label) { label in JSONLogHandler(label: label, sink: sink, level: .info, metadataProvider: provider) }
    }

    @Test("one sorted JSON object a line: later metadata wins, the fixed keys cannot be overridden, secrets are redacted")
    func lineShape() throws {
        let sink = LogSink.memory()
        var logger = Self.logger("rec.test", sink, ["trace_id": "from-provider", "shared": "provider"])
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "a_first"] = "handler"
        logger.info("request completed", metadata: [
            "shared": "event", "msg": "spoofed", "ts": "spoofed", "Authorization": "Bearer secret-value",
            "zz": .array(["x", .dictionary(["k": "v"])]), "count": .stringConvertible(42),
        ])
        logger.debug("below the level")
        let lines = sink.lines
        try #require(lines.count == 1)
        let line = lines[0]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "request completed")
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "rec.test")
        #expect(object["shared"] as? String == "event")
        #expect(object["trace_id"] as? String == "from-provider")
        #expect(object["a_first"] as? String == "handler")
        #expect(object["count"] as? String == "42")
        #expect(object["Authorization"] as? String == "[REDACTED]")
        #expect(!line.contains("secret-value"))
        #expect(!line.contains("spoofed"))
        let ts = try #require(object["ts"] as? String)
        #expect(ts.count == 24 && ts.hasSuffix("Z") && ts.dropFirst(10).first == "T", "\(ts)")
        // Keys in sorted order, each once.
        let keys = line.split(separator: ",").compactMap { part -> String? in
            let trimmed = part.drop { $0 == "{" }
            guard trimmed.first == "\"", let end = trimmed.dropFirst().firstIndex(of: "\"") else { return nil }
            return String(trimmed[trimmed.index(after: trimmed.startIndex)..<end])
        }.filter { object[$0] != nil }
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == keys.count)
    }

    @Test("an access-log line is the line the same fields as event metadata give; the request's fields win over the logger's")
    func accessLine() throws {
        let sink = LogSink.memory()
        var logger = Self.logger("recommender", sink, ["trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331"])
        logger[metadataKey: "hb.request.id"] = "r-1"
        logger[metadataKey: "http.route"] = "from the logger"
        logger[metadataKey: "zzz"] = "last"
        logger[metadataKey: "session_token"] = "hidden"
        let handler = try #require(logger.handler as? JSONLogHandler)
        for entry in [
            AccessLogEntry(method: "POST", route: "/api/v1/recommendations", status: 200, nanoseconds: 1_066_499, tenant: "t_1"),
            AccessLogEntry(method: "GET", route: "NotFound", status: 404, nanoseconds: 12_000_000_500, tenant: nil),
            AccessLogEntry(method: "GET", route: "/health/live", status: 200, nanoseconds: 40_000, tenant: nil),
        ] {
            handler.logRequest(entry)
            logger.info("request completed", metadata: entry.metadata)
        }
        let lines = sink.lines
        try #require(lines.count == 6)
        func withoutTime(_ line: String) throws -> [String: String] {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            #expect(object.removeValue(forKey: "ts") != nil)
            return object
        }
        for pair in stride(from: 0, to: 6, by: 2) {
            #expect(try withoutTime(lines[pair]) == (try withoutTime(lines[pair + 1])))
            // The same keys in the same (sorted) order.
            let keys = { (line: String) in line.split(separator: ",").map { $0.split(separator: ":")[0] } }
            #expect(keys(lines[pair]) == keys(lines[pair + 1]))
        }
        let first = try withoutTime(lines[0])
        #expect(first["duration_ms"] == "1.066")
        #expect(first["http.route"] == "/api/v1/recommendations")
        #expect(first["tenant"] == "t_1")
        #expect(first["trace_id"] == "0af7651916cd43dd8448eb211c80319c")
        #expect(first["session_token"] == "[REDACTED]")
        #expect(first["msg"] == "request completed" && first["level"] == "info" && first["logger"] == "recommender")
        #expect(try withoutTime(lines[2])["duration_ms"] == "12000.001")
        #expect(try withoutTime(lines[2])["tenant"] == nil)
        #expect(try withoutTime(lines[4])["duration_ms"] == "0.040")
        // Below the level nothing is written.
        var quiet = handler
        quiet.logLevel = .warning
        quiet.logRequest(AccessLogEntry(method: "GET", route: "/", status: 200, nanoseconds: 1, tenant: nil))
        #expect(sink.lines.count == 6)
    }

    @Test("keys are in UTF-8 byte order, also when they share their first eight bytes, contain NUL or are not ASCII")
    func byteOrder() throws {
        let sink = LogSink.memory()
        let logger = Self.logger("t", sink, nil)
        let keys = ["z", "é", "http.request.b", "abcdefgh\u{0}", "Z", "http.request.a", "abcdefghi", "abcdefgh", "a", "msgs", "m"]
        logger.info("m", metadata: Dictionary(uniqueKeysWithValues: keys.map { ($0, Logger.Metadata.Value.string("v")) }))
        let line = try #require(sink.lines.first)
        let timestamp = try #require(line.range(of: #""ts":"[^"]*""#, options: .regularExpression))
        let expected = (keys + ["level", "logger", "msg", "ts"])
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { key in
                let value = ["level": "info", "logger": "t", "msg": "m", "ts": "TS"][key] ?? "v"
                return JSONText.quoted(key) + ":" + JSONText.quoted(value)
            }
        #expect(line.replacingCharacters(in: timestamp, with: #""ts":"TS""#) == "{" + expected.joined(separator: ",") + "}")
        #expect(expected.first?.hasPrefix(#""Z""#) == true && expected.last?.hasPrefix(#""é""#) == true)
    }

    @Test("secret keys are matched case-insensitively anywhere in the key")
    func redaction() {
        #expect(Redaction.isSecret("authorization"))
        #expect(Redaction.isSecret("X-API_KEY"))
        #expect(Redaction.isSecret("refresh_Token"))
        #expect(Redaction.isSecret("PASSWORD"))
        #expect(!Redaction.isSecret("tenant"))
        #expect(!Redaction.isSecret("tok"))
        #expect(Redaction.isSecret("xcookie"), "a marker ending at the last byte")
        #expect(Redaction.isSecret("ttoken"), "a marker after a false start")
        #expect(Redaction.isSecret("Set-Cookie"))
        #expect(Redaction.isSecret("tokens_left"))
        #expect(!Redaction.isSecret("passwor"))
        #expect(!Redaction.isSecret(""))
    }
}
