import RecTelemetry
import Testing

@Suite("Serving metrics")
struct ServingMetricsTests {
    /// The `rec_serving_model_info` series of an exposition, as their label sets with the value.
    static func modelInfo(_ telemetry: Telemetry) -> [String: Double] {
        let text = String(decoding: telemetry.exposition(), as: UTF8.self)
        var series: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("rec_serving_model_info{") {
            let parts = line.split(separator: " ")
            series[String(parts[0].dropFirst("rec_serving_model_info".count))] = Double(parts[1])
        }
        return series
    }

    @Test("rec_serving_model_info holds one series per tenant: a swap removes the version served before")
    func oneSeriesPerTenant() {
        let telemetry = Telemetry()
        telemetry.serving.serving(tenant: "a", version: "v1", model: "ials")
        telemetry.serving.serving(tenant: "b", version: "v1", model: "bpr")
        telemetry.serving.serving(tenant: "a", version: "v2", model: "ials")
        telemetry.serving.serving(tenant: "a", version: "v2", model: "ials")
        #expect(Self.modelInfo(telemetry) == [
            #"{tenant="a",version="v2",model="ials"}"#: 1,
            #"{tenant="b",version="v1",model="bpr"}"#: 1,
        ])
        // A rollback brings the old version's series back, and drops the one rolled back from.
        telemetry.serving.serving(tenant: "a", version: "v1", model: "ials")
        telemetry.serving.serving(tenant: "b", version: "v3", model: "itemknn")
        #expect(Self.modelInfo(telemetry) == [
            #"{tenant="a",version="v1",model="ials"}"#: 1,
            #"{tenant="b",version="v3",model="itemknn"}"#: 1,
        ])
    }
}
