import Foundation
import RecStore
import RecTelemetry
import RecTesting
import Testing

@Suite("Store metrics")
struct StoreMetricsTests {
    @Test("RecordStore.operations lists exactly the operations the store's sources measure")
    func operationsAreComplete() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/RecStore").standardized
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
        let pattern = try Regex(#"measure\("([a-z_]+)""#)
        var measured: Set<String> = []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let name = match.output[1].substring { measured.insert(String(name)) }
            }
        }
        #expect(measured.count > 50, "the scan found the sources")
        #expect(measured == Set(RecordStore.operations), "missing: \(measured.subtracting(RecordStore.operations).sorted()), stale: \(Set(RecordStore.operations).subtracting(measured).sorted())")
        #expect(RecordStore.operations.count == Set(RecordStore.operations).count)
    }

    @Test("a new store exports every operation's calls, and its errors for the store's own failures, at 0")
    func seriesStartAtZero() throws {
        let telemetry = Telemetry()
        let database = try SQLiteDatabase(path: try TestStore.temporaryDirectory() + "/metrics.db", readers: 1)
        _ = RecordStore(database: database, telemetry: telemetry)
        let lines = Set(String(decoding: telemetry.exposition(), as: UTF8.self).split(separator: "\n").map(String.init))
        for operation in RecordStore.operations {
            #expect(lines.contains("rec_store_calls_total{operation=\"\(operation)\"} 0"), "\(operation)")
            for error in ["database", "unavailable"] {
                #expect(lines.contains("rec_store_errors_total{operation=\"\(operation)\",error=\"\(error)\"} 0"), "\(operation) \(error)")
            }
        }
    }
}
