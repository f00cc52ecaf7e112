import Foundation
import RecCore
import Testing

@Suite("Hand-written JSON strings")
struct JSONTextTests {
    @Test("quoted strings escape what JSON requires and copy everything else, read back unchanged")
    func quotedRoundTrip() throws {
        let samples = [
            "", "plain", "say \"hi\"", #"back\slash"#, "line\nbreak\r\ttab", "\u{0}\u{1}\u{1f}", "end\"",
            "\"start", "ünïcödé ✓ 推荐 🎬", String(repeating: "long run ", count: 100) + "\"",
            "bridged" as NSString as String,
        ]
        for sample in samples {
            let quoted = JSONText.quoted(sample)
            #expect(quoted.first == "\"" && quoted.last == "\"", "\(quoted)")
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
            #expect(decoded == [sample], "\(quoted)")
            // Only the characters JSON requires are escaped.
            #expect(!quoted.dropFirst().dropLast().unicodeScalars.contains { $0.value < 0x20 })
        }
        #expect(JSONText.quoted("a\u{1}b") == #""a\u0001b""#)
        #expect(JSONText.quoted("q\"\\") == #""q\"\\""#)
        var out: [UInt8] = Array("x".utf8)
        JSONText.appendQuoted("y", to: &out)
        #expect(out == Array("x\"y\"".utf8))
    }
}
