import RecMath
@testable import RecModels
import RecTesting
import Testing

@Suite("Model artifacts")
struct ModelArtifactTests {
    @Test("every model kind survives encode and decode with identical scores", arguments: ModelKind.allCases)
    func roundTrip(kind: ModelKind) async throws {
        try await offTheLoops {
            let dataset = ModelTrainingTests.communities()
            let params: [String: Double] = switch kind {
            case .ials, .bpr: ["factors": 4, "iterations": 3]
            default: [:]
            }
            let model = try ModelCatalog.train(kind, parameters: ModelCatalog.validate(params, for: kind), dataset: dataset, context: TrainingContext(threads: 2))
            let artifact = ModelArtifact(kind: kind, parameters: params, userIDs: dataset.userIDs, itemIDs: dataset.itemIDs, model: model)
            let bytes = artifact.encode()
            let decoded = try ModelArtifact.decode(bytes)
            #expect(decoded.kind == kind)
            #expect(decoded.userIDs == dataset.userIDs && decoded.itemIDs == dataset.itemIDs)
            #expect(decoded.parameters == params)
            let history = dataset.matrix().userItems
            var before = [Float](repeating: 0, count: 3 * model.itemCount)
            var after = before
            before.withUnsafeMutableBufferPointer { model.scores(users: 5..<8, history: history, into: $0.baseAddress!) }
            after.withUnsafeMutableBufferPointer { decoded.model.scores(users: 5..<8, history: history, into: $0.baseAddress!) }
            #expect(before == after)
        }
    }

    @Test("truncated, extended or foreign bytes are refused")
    func refusesDamage() async throws {
        try await offTheLoops {
            let model = PopularityModel(itemScores: [3, 2, 1], userCount: 1)
            let bytes = ModelArtifact(kind: .popularity, parameters: [:], userIDs: ["u"], itemIDs: ["a", "b", "c"], model: model).encode()
            #expect(throws: ModelArtifact.FormatError.self) { try ModelArtifact.decode(Array(bytes.dropLast(1))) }
            #expect(throws: ModelArtifact.FormatError.self) { try ModelArtifact.decode(bytes + [0]) }
            #expect(throws: ModelArtifact.FormatError.self) { try ModelArtifact.decode(Array("not a model".utf8)) }
            #expect(throws: ModelArtifact.FormatError.self) { try ModelArtifact.decode([]) }
        }
    }
}
