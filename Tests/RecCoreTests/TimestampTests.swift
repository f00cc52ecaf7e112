import Testing
import RecCore

@Suite("Timestamps")
struct TimestampTests {
    @Test("RFC 3339 parses with offsets and fractions, and formats back in UTC")
    func parseAndFormat() {
        #expect(Timestamp.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.parseRFC3339("2024-05-01T12:00:00Z") == 1_714_564_800_000)
        #expect(Timestamp.parseRFC3339("2024-05-01T14:00:00.250+02:00") == 1_714_564_800_250)
        #expect(Timestamp.parseRFC3339("2024-02-29T00:00:00.5Z") == 1_709_164_800_500)
        #expect(Timestamp.formatRFC3339(1_714_564_800_250) == "2024-05-01T12:00:00.250Z")
        #expect(Timestamp.formatRFC3339(0) == "1970-01-01T00:00:00.000Z")
    }

    @Test("malformed or impossible dates are refused", arguments: [
        "", "2024-05-01", "2024-05-01 12:00", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:00:00", "2024-05-01T12:00:00+2:00", "2024-05-01T12:00:00.Z", "yesterday", "2024-05-01T12:00:00Zjunk",
    ])
    func rejects(text: String) {
        #expect(Timestamp.parseRFC3339(text) == nil)
    }
}
