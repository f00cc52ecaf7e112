import Foundation
import RecCore
@testable import RecModels
import RecTesting
import Testing

@Suite("Feature files")
struct FeatureFileTests {
    private func parse(_ text: String, _ kind: FeatureFile.Kind) throws(RecError) -> [String: EntityFeatures] {
        try FeatureFile.parse(Array(text.utf8), kind: kind, file: "features.ndjson")
    }

    /// The error `text` fails with.
    private func failure(_ text: String, _ kind: FeatureFile.Kind) -> RecError? {
        do {
            _ = try parse(text, kind)
            return nil
        } catch {
            return error
        }
    }

    @Test("Item and user rows become features by id, as imports read them; later lines win")
    func rows() async throws {
        try await offTheLoops {
            let items = try parse("""
                {"item_id":"1","title":"Toy Story (1995)","tags":["Animation","Comedy"],"properties":{"release_year":1995}}

                {"item_id":"2","category":"film","properties":{"release_year":1996,"color":"red"}}\r
                {"item_id":"2","tags":["Drama"]}
                """, .items)
            #expect(items.count == 2)
            let toy = try #require(items["1"])
            #expect(toy.tokens.contains("tag=Animation") && toy.tokens.contains("tag=Comedy") && toy.tokens.contains("title=toy"))
            #expect(toy.numbers == ["release_year": 1995])
            #expect(items["2"]?.tokens == ["tag=Drama"])
            let users = try parse(#"{"user_id":"7","properties":{"age":24,"gender":"M","occupation":"technician"}}"#, .users)
            #expect(users["7"] == EntityFeatures(tokens: ["gender=M", "occupation=technician"], numbers: ["age": 24]))
            let data = Dataset(userIDs: ["7", "8"], itemIDs: ["2", "1", "3"], interactions: []).withFeatures(items: items, users: users)
            #expect(data.itemFeatures.map(\.isEmpty) == [false, false, true])
            #expect(data.itemFeatures[1] == toy)
            #expect(data.userFeatures[1] == .empty)
        }
    }

    @Test("A bad line fails naming the file, the line number and the field", arguments: [
        (#"{"item_id":"1"}"# + "\n\n" + #"{"item_id":"2","tags":[3]}"#, FeatureFile.Kind.items, 3, "tags[0]"),
        (#"{"item_id":"1"}"# + "\n" + #"{"item_id":"2""#, .items, 2, "$"),
        (#"{"item_id":"1","genre":"x"}"#, .items, 1, "genre"),
        (#"{"title":"no id"}"#, .items, 1, "item_id"),
        (#"{"user_id":"1"}"# + "\n" + #"{"user_id":"2","properties":[1]}"#, .users, 2, "properties"),
        (#"{"user_id":"1","tags":["a"]}"#, .users, 1, "tags"),
    ])
    func badLines(text: String, kind: FeatureFile.Kind, line: Int, field: String) async throws {
        try await offTheLoops {
            let error = try #require(failure(text, kind))
            #expect(error.code == "invalid_field")
            #expect(error.message.hasPrefix("features.ndjson, line \(line): \(field): "), "\(error.message)")
            #expect(error.details["line"] == .number(Double(line)))
            #expect(error.details["field"] == .string(field))
            #expect(error.details["file"] == .string("features.ndjson"))
        }
    }

    @Test("A missing file is named")
    func missingFile() async throws {
        try await offTheLoops {
            let path = try TestStore.temporaryDirectory() + "/absent.ndjson"
            #expect(throws: RecError.invalidField("item-features", "cannot read \(path)")) {
                try FeatureFile.read(path: path, kind: .items)
            }
        }
    }
}
