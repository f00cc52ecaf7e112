import Foundation
import RecCore
import RecTesting
import Testing

@Suite("The eval and tune commands")
struct EvalCommandTests {
    /// A CSV of 90 users in three communities of 15 items.
    static func writeData() throws -> String {
        let directory = try TestStore.temporaryDirectory()
        var csv = "user,item,weight,timestamp\n"
        for user in 0..<90 {
            for step in 0..<8 { csv += "u\(user),i\((user % 3) * 15 + (user * 5 + step * 2) % 15),1,\(1_700_000_000 + user * 10 + step)\n" }
        }
        let path = directory + "/events.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("eval prints a result line and a JSON object with the metrics at K; tune writes a parameter file eval reads back")
    func evalAndTune() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let data = try Self.writeData()
            let eval = try CommandTests.run(["eval", "--train", data, "--format", "csv", "--model", "ials", "--param", "factors=8",
                                             "--param", "iterations=5", "--split", "random:0.2:3", "--k", "10", "--threads", "2", "--json"])
            #expect(eval.status == 0, "\(eval.output)")
            let lines = eval.output.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("ials recall@10=") })
            let json = try JSONDecoder().decode([String: JSONValue].self, from: Data(try #require(lines.last).utf8))
            for key in ["model", "params", "train_seconds", "recall@10", "ndcg@10", "precision@10", "map@10", "coverage"] {
                #expect(json[key] != nil, "missing \(key)")
            }
            #expect(json["params"]?.objectValue?["factors"] == .number(8))
            #expect((json["recall@10"]?.numberValue ?? 0) > 0.3)

            let output = try TestStore.temporaryDirectory() + "/best.json"
            let tune = try CommandTests.run(["tune", "--train", data, "--format", "csv", "--model", "itemknn", "--trials", "3",
                                             "--k", "10", "--validation", "random:0.2:5", "--output", output])
            #expect(tune.status == 0, "\(tune.output)")
            #expect(tune.output.split(separator: "\n").filter { $0.hasPrefix("trial ") }.count == 3)
            let file = try JSONDecoder().decode([String: JSONValue].self, from: Data(contentsOf: URL(fileURLWithPath: output)))
            #expect(file["model"] == .string("itemknn"))
            #expect(file["validation"]?.objectValue?["recall@10"] != nil)
            let again = try CommandTests.run(["eval", "--train", data, "--format", "csv", "--params", output, "--k", "10"])
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("itemknn recall@10="))
        }
    }

    @Test("eval reads feature files, ranks a cold-items split among the held-out items, and content needs item features")
    func featuresAndColdItems() async throws {
        try await offTheLoops {
            let data = try Self.writeData()
            let directory = try TestStore.temporaryDirectory()
            // Item i belongs to community i / 15, as the events do; u0 has a property, the other users none.
            let items = (0..<45).map { #"{"item_id":"i\#($0)","tags":["c\#($0 / 15)"],"properties":{"release_year":\#(1990 + $0 % 7)}}"# }
            try (items.joined(separator: "\n") + "\n").write(toFile: directory + "/items.ndjson", atomically: true, encoding: .utf8)
            try #"{"user_id":"u0","properties":{"age":30}}"#.write(toFile: directory + "/users.ndjson", atomically: true, encoding: .utf8)
            let eval = try CommandTests.run(["eval", "--train", data, "--format", "csv", "--model", "content", "--split", "cold-items:0.2:3",
                                             "--item-features", directory + "/items.ndjson", "--user-features", directory + "/users.ndjson",
                                             "--k", "5", "--threads", "2", "--json"])
            #expect(eval.status == 0, "\(eval.output)")
            // The events touch 24 of the 45 items (8 per community): the file has a row for each of them and more.
            #expect(eval.output.contains("item features: 24 of 24 items matched, of 45 ids in"))
            #expect(eval.output.contains("user features: 1 of 90 users matched"))
            #expect(eval.output.contains("ranking among the 5 held-out items"))
            let json = try JSONDecoder().decode([String: JSONValue].self, from: Data(try #require(eval.output.split(separator: "\n").last).utf8))
            #expect(json["model"] == .string("content"))
            #expect(json["candidates"] == .number(5))
            #expect((json["precision@5"]?.numberValue ?? 0) > 0.3, "\(eval.output)")

            let missing = try CommandTests.run(["eval", "--train", data, "--format", "csv", "--model", "content"])
            #expect(missing.status != 0)
            #expect(missing.output.contains("content needs --item-features"))
            try (items[0] + "\n" + #"{"item_id":"i1","tags":"c0"}"#).write(toFile: directory + "/bad.ndjson", atomically: true, encoding: .utf8)
            let bad = try CommandTests.run(["tune", "--train", data, "--format", "csv", "--model", "ials", "--item-features", directory + "/bad.ndjson"])
            #expect(bad.status != 0)
            #expect(bad.output.contains("bad.ndjson, line 2: tags: "), "\(bad.output)")
        }
    }

    @Test("bad options fail with a message naming them, and tune refuses a test file")
    func badOptions() async throws {
        // Blocks on child processes (or computes): off the event loops, where test code runs as in serve.
        try await offTheLoops {
            let data = try Self.writeData()
            let unknown = try CommandTests.run(["eval", "--train", data, "--format", "csv", "--model", "ials", "--param", "factor=8"])
            #expect(unknown.status != 0)
            #expect(unknown.output.contains("params.factor"))
            let model = try CommandTests.run(["eval", "--train", data, "--format", "csv", "--model", "svd"])
            #expect(model.status != 0)
            #expect(model.output.contains("--model must be one of"))
            let missing = try CommandTests.run(["eval", "--train", data + ".missing", "--format", "csv", "--model", "ials"])
            #expect(missing.status != 0)
            #expect(missing.output.contains("cannot read"))
            let tune = try CommandTests.run(["tune", "--train", data, "--test", data, "--format", "csv", "--model", "ials"])
            #expect(tune.status != 0)
            #expect(tune.output.contains("never reads a test set"))
        }
    }
}
