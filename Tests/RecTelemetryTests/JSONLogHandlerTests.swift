import Foundation
import Logging
@testable import RecTelemetry
import Testing

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    @Test("one sorted JSON object a line: later metadata wins, the fixed keys cannot be overridden, secrets are redacted")
    func lineShape() throws {
        let sink = LogSink.memory()
        let provider = Logger.MetadataProvider { ["trace_id": "from-provider", "shared": "provider"] }
        var logger = Logger(label: "rec.test") { label in
            JSONLogHandler(label: label, sink: sink, level: .info, metadataProvider: provider)
        }
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

    @Test("secret keys are matched case-insensitively anywhere in the key")
    func redaction() {
        #expect(Redaction.isSecret("authorization"))
        #expect(Redaction.isSecret("X-API_KEY"))
        #expect(Redaction.isSecret("refresh_Token"))
        #expect(Redaction.isSecret("PASSWORD"))
        #expect(!Redaction.isSecret("tenant"))
        #expect(!Redaction.isSecret("tok"))
        #expect(!Redaction.isSecret(""))
    }
}
