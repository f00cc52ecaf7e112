import Foundation
import Testing
import RecCore

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every JSON type, escapes and surrogate pairs the same as Foundation")
    func agreesWithFoundation() throws {
        let text = #"{"a":[1,-2.5,3e2,0,true,false,null],"s":"q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","o":{},"e":[],"u":"ünï😀"}"#
        let ours = try JSONParser.parse(Array(text.utf8))
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
        #expect(ours.objectValue?["s"]?.stringValue == "q\"\\/\u{8}\u{c}\n\r\té😀")
        #expect(ours.objectValue?["a"]?.arrayValue?[2] == .number(300))
    }

    @Test("refuses malformed documents", arguments: [
        "", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "[1 2]", "01", "1.", "-", "+1", ".5", "tru", "nul", "\"abc", "\"a\u{1}b\"",
        "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"", "{a:1}", "[1]]", "{} {}", "NaN", "1e", "[\"\\u12\"]",
    ])
    func rejects(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test("deep nesting is refused instead of exhausting the stack")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect((try? JSONParser.parse(Array(ok.utf8))) != nil)
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
    }

    @Test("large integers and fractions keep their value")
    func numbers() throws {
        #expect(try JSONParser.parse(Array("123456789012345".utf8)) == .number(123_456_789_012_345))
        #expect(try JSONParser.parse(Array("12345678901234567890".utf8)) == .number(12_345_678_901_234_567_890))
        #expect(try JSONParser.parse(Array("-0.000125".utf8)) == .number(-0.000125))
    }
}
