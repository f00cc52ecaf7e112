import Foundation
import InMemoryTracing
import Tracing
import Testing
import RecCore
import RecServer
import RecTesting

@Suite("Instrumentation layer")
struct TelemetryTests {
    @Test("/metrics exposes the HTTP histogram by route template, module RED metrics, auth and ingestion counters, process metrics")
    func metricsExposition() async throws {
        try await TestApp(.sqlite).run { client, _ throws in
            let tenant = try await client.createTenant()
            #expect(try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "a"]]]).status == 200)
            #expect(try await client.send(.get, "/api/v1/items/a", key: tenant.key).status == 200)
            #expect(try await client.send(.get, "/api/v1/items/missing", key: tenant.key).status == 404)
            #expect(try await client.send(.post, "/api/v1/interactions", key: tenant.key, json: ["interactions": [["user_id": "u", "item_id": "a", "interaction_type": "nope"]]]).status == 400)
            #expect(try await client.send(.get, "/api/v1/items", key: "rk_bad").status == 401)
            #expect(try await client.send(.get, "/no/such/route").status == 404)

            let text = try await client.send(.get, "/metrics").text
            let samples = PrometheusText.parse(text)
            func has(_ name: String, _ labels: [String: String]) -> Bool {
                samples.contains { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }
            }
            #expect(PrometheusText.types(text)["http_server_request_duration_seconds"] == "histogram")
            #expect(has("http_server_request_duration_seconds_count", ["http_route": "/api/v1/items/{item_id}", "http_request_method": "GET", "http_response_status_code": "200"]))
            #expect(has("http_server_request_duration_seconds_count", ["http_route": "/api/v1/items/{item_id}", "http_response_status_code": "404"]))
            #expect(has("http_server_request_duration_seconds_count", ["http_route": "NotFound", "http_response_status_code": "404"]))
            // Raw paths never become label values.
            #expect(!samples.contains { $0.labels["http_route"] == "/api/v1/items/a" })
            #expect(has("http_server_active_requests", ["http_request_method": "GET"]))
            #expect(has("rec_store_calls_total", ["operation": "upsert_items"]))
            #expect(has("rec_store_duration_seconds_bucket", ["operation": "get_item"]))
            #expect(has("rec_ingest_rows_accepted_total", ["kind": "items"]))
            #expect(has("rec_ingest_rows_rejected_total", ["kind": "interactions", "reason": "invalid_field"]))
            #expect(has("rec_auth_failures_total", ["reason": "malformed"]))
            for name in ["process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds"] {
                #expect(samples.contains { $0.name == name && $0.value > 0 }, "\(name)")
            }
            // Secrets never reach metrics.
            #expect(!text.contains(tenant.key))
        }
    }

    @Test("each request gets a server span with child spans, and its log line carries that span's trace id; keys are never logged")
    func traceCorrelation() async throws {
        let app = TestApp(.sqlite)
        try await app.run { client, _ throws in
            let tenant = try await client.createTenant()
            #expect(try await client.send(.post, "/api/v1/items", key: tenant.key, json: ["items": [["item_id": "traced"]]]).status == 200)
        }
        let line = try #require(app.sink.lines.last { $0.contains("\"http.route\":\"/api/v1/items\"") && $0.contains("request completed") })
        let log = try JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8))
        let traceID = try #require(log["trace_id"]?.stringValue)
        #expect(log["tenant"]?.stringValue?.hasPrefix("t_") == true)
        #expect(log["level"] == "info")
        #expect(log["msg"] == "request completed")
        let spans = TestTracing.tracer.finishedSpans.filter { $0.traceID == traceID }
        let server = try #require(spans.first { $0.operationName == "/api/v1/items" })
        #expect(server.kind == SpanKind.server)
        #expect(spans.contains { $0.operationName == "auth.api_key" && $0.parentSpanID == server.spanID })
        #expect(spans.contains { $0.operationName == "store.upsert_items" })
        for line in app.sink.lines {
            #expect(!line.contains("rk_"), "a log line carries an API key: \(line)")
            #expect(!line.contains(TestApp.adminToken))
        }
    }
}

/// A small parser of the Prometheus text format, enough to check families, labels and values.
enum PrometheusText {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    static func parse(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
            for pair in body.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    static func types(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            if parts.count == 4 { out[String(parts[2])] = String(parts[3]) }
        }
        return out
    }
}
