import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RecCore
import RecServer
import RecTelemetry
import RecTesting

/// Builds the real application for a test, on SQLite or PostgreSQL, with captured logs and its own metrics registry.
struct TestApp {
    static let adminToken = "test-operator-token-0123456789"

    let store: TestStore
    let sink = LogSink.memory()
    let telemetry = Telemetry()
    var configure: @Sendable (inout AppConfiguration) -> Void = { _ in }

    init(_ store: TestStore, configure: @escaping @Sendable (inout AppConfiguration) -> Void = { _ in }) {
        self.store = store
        self.configure = configure
    }

    /// Runs `body` against the app through Hummingbird's in-process router client.
    func run(_ testing: TestingSetup = .router, _ body: @Sendable (TestClient, AppParts) async throws -> Void) async throws {
        TestTracing.install()
        var configuration = AppConfiguration()
        configuration.dataDirectory = try TestStore.temporaryDirectory()
        configuration.databaseURL = try store.databaseURL()
        configuration.adminToken = Self.adminToken
        configuration.port = 0
        configuration.defaultRateLimit = nil
        // The PostgreSQL database is shared by every test: load tenants on first use, not every tenant at start.
        configuration.servingPreload = false
        configuration.servingPollInterval = .milliseconds(250)
        // Every app on the shared PostgreSQL database sends any test's webhook deliveries: all must agree that the
        // loopback receivers are allowed and retry quickly.
        configuration.deliveries.allowPrivate = true
        configuration.deliveries.baseDelay = .milliseconds(100)
        configuration.deliveries.pollInterval = .milliseconds(100)
        configuration.alertInterval = .milliseconds(500)
        configure(&configuration)
        let logger = LoggerFactory.make(label: "test", level: .info, sink: sink, extraProvider: TestTracing.metadataProvider)
        let (app, parts) = try await buildApplication(configuration: configuration, telemetry: telemetry, logger: logger)
        try await app.test(testing) { client in
            try await body(TestClient(client: client), parts)
        }
    }
}

/// A thin JSON-speaking wrapper over Hummingbird's test client.
struct TestClient: Sendable {
    let client: any TestClientProtocol

    /// Sends a request; `json` is encoded as the body.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: JSONValue? = nil, body: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let key { headers[.authorization] = "Bearer \(key)" }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONEncoder().encode(json))
        } else if let body {
            buffer = ByteBuffer(string: body)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
        }
    }

    /// Creates a tenant through the admin API and returns its id and all-scopes key.
    func createTenant(_ name: String = "tenant-\(UUID().uuidString.prefix(8))") async throws -> (id: String, key: String) {
        let reply = try await send(.post, "/admin/v1/tenants", key: TestApp.adminToken, json: ["name": .string(name)])
        guard reply.status == 201, let id = reply.json["tenant_id"]?.stringValue, let key = reply.json["api_key"]?.stringValue else {
            throw TestFailure("tenant creation answered \(reply.status): \(reply.text)")
        }
        return (id, key)
    }

    /// Issues a key with `scopes` for a tenant.
    func issueKey(tenantID: String, scopes: [String]) async throws -> String {
        let reply = try await send(.post, "/admin/v1/tenants/\(tenantID)/keys", key: TestApp.adminToken, json: ["scopes": .array(scopes.map(JSONValue.string))])
        guard reply.status == 201, let key = reply.json["api_key"]?.stringValue else { throw TestFailure("key issue answered \(reply.status): \(reply.text)") }
        return key
    }
}

/// A response: status, headers, body text, and the body parsed as JSON.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPFields
    let text: String

    /// The body as a JSON object (empty when it is not one).
    var json: [String: JSONValue] {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))?.objectValue ?? [:]
    }

    /// `error.code` of an error body.
    var errorCode: String? { json["error"]?.objectValue?["code"]?.stringValue }

    /// `error.details.field` of an error body.
    var errorField: String? { json["error"]?.objectValue?["details"]?.objectValue?["field"]?.stringValue }
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last })) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}
