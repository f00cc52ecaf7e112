import Testing
import RecCore

@Suite("Row parsing")
struct RowParserTests {
    let parser = RowParser(types: InteractionType.defaults, now: 1_000)

    @Test("weights come from the type unless given; ratings take their value")
    func weights() throws {
        guard case .row(let purchase) = parser.interaction(.object(["user_id": .string("u"), "item_id": .string("i"), "interaction_type": .string("purchase")]), path: "") else {
            Issue.record("purchase was refused")
            return
        }
        #expect(purchase.weight == 8)
        #expect(purchase.timestamp == 1_000)
        guard case .row(let rating) = parser.interaction(.object(["user_id": .string("u"), "item_id": .string("i"), "interaction_type": .string("rating"), "value": .number(4.5)]), path: "") else {
            Issue.record("rating was refused")
            return
        }
        #expect(rating.weight == 4.5)
    }

    @Test("every problem of a row is reported with its full path")
    func allProblems() {
        let outcome = parser.interaction(.object(["user_id": .string(""), "interaction_type": .string("rating"), "extra": .bool(true)]), path: "interactions[7]")
        guard case .invalid(let problems) = outcome else {
            Issue.record("an invalid row was accepted")
            return
        }
        #expect(problems.map(\.field) == ["interactions[7].user_id", "interactions[7].item_id", "interactions[7].extra", "interactions[7].value"])
    }

    @Test("ids must be 1–256 bytes of printable UTF-8")
    func identifiers() {
        #expect(Identifier.problem(with: "café-☕") == nil)
        #expect(Identifier.problem(with: String(repeating: "é", count: 128)) == nil)
        #expect(Identifier.problem(with: String(repeating: "é", count: 129)) != nil)
        #expect(Identifier.problem(with: "") != nil)
        #expect(Identifier.problem(with: "a\u{0}b") != nil)
        #expect(Identifier.problem(with: "a\u{200B}b") != nil)
    }
}
