import ArgumentParser

/// Where the data lives: SQLite in a folder by default, PostgreSQL with a URL.
struct StoreOptions: ParsableArguments {
    @Option(help: "Folder for the embedded SQLite database, import spool and instance id.")
    var dataDir: String = "./data"

    @Option(help: "PostgreSQL URL (postgres://user:password@host:5432/db); without it SQLite in --data-dir is used. Also RECOMMENDER_DATABASE_URL.")
    var databaseURL: String?
}
