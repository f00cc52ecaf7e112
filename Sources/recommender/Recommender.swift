import ArgumentParser

/// The `recommender` command: serve the API or administer tenants.
@main
struct Recommender: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A multi-tenant, observability-first recommendation service.",
        subcommands: [Serve.self, Demo.self, Tenants.self, Eval.self, Tune.self, BenchIndex.self, SLORules.self],
        defaultSubcommand: Serve.self
    )
}
