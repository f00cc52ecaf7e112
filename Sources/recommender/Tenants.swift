import ArgumentParser
import Foundation
import Logging
import RecCore
import RecServer
import RecStore
import RecTelemetry

/// `recommender tenants ...`: tenant administration straight against the store.
struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create and list tenants.", subcommands: [Create.self, List.self])

    /// `recommender tenants create --name acme`: prints `{"tenant_id","api_key",...}`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant and print its first API key (shown once) as JSON.")

        @OptionGroup var store: StoreOptions

        @Option(help: "The tenant's unique name.")
        var name: String

        func run() async throws {
            let created = try await withStore(store) { try await $0.create(name: name) }
            print(try JSONText.string(created))
        }
    }

    /// `recommender tenants list`: one JSON object per tenant.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants as JSON lines.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let tenants = try await withStore(store) { try await $0.store.tenants() }
            for tenant in tenants {
                print(try JSONText.string(["tenant_id": tenant.id, "name": tenant.name, "status": tenant.status.rawValue]))
            }
        }
    }
}

/// Opens the store, migrates it, runs `body` with a tenant service, and closes it.
func withStore<T: Sendable>(_ options: StoreOptions, _ body: @escaping @Sendable (TenantService) async throws -> T) async throws -> T {
    var logger = Logger(label: "recommender")
    logger.logLevel = .warning
    return try await StoreFactory.withMigratedStore(
        databaseURL: options.resolvedDatabaseURL, dataDirectory: options.resolvedDataDirectory, telemetry: Telemetry(), logger: logger
    ) { store in
        try await body(TenantService(store: store, authenticator: nil))
    }
}
