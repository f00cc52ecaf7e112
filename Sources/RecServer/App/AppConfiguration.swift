import Foundation
import Logging
import RecIndex

/// Everything the service is configured with, from flags and `RECOMMENDER_*` environment variables.
public struct AppConfiguration: Sendable {
    /// Address to bind.
    public var host = "127.0.0.1"
    /// Port to bind (0 picks a free one).
    public var port = 8080
    /// Folder for the SQLite database, import spool and instance id.
    public var dataDirectory = "./data"
    /// PostgreSQL URL; nil means SQLite in `dataDirectory`.
    public var databaseURL: String?
    /// The operator token guarding `/admin/v1`; nil disables the admin API (404).
    public var adminToken: String?
    /// The default per-tenant limit; nil means unlimited unless a tenant has its own.
    public var defaultRateLimit: RateLimit? = RateLimit(perSecond: 2_000, burst: 4_000)
    /// The largest import upload accepted.
    public var maxImportBytes = 4 << 30
    /// Minimum log level.
    public var logLevel: Logger.Level = .info
    /// Commit SQLite transactions with `synchronous=FULL` (survive power loss, slower).
    public var sqliteSynchronousFull = false

    /// Threads one training may use (default: every core).
    public var trainingThreads = ProcessInfo.processInfo.activeProcessorCount
    /// Where model artifacts live: a folder, or the database (shared by replicas). Nil picks the folder
    /// `<data dir>/artifacts` on SQLite and the database on PostgreSQL.
    public var artifacts: ArtifactLocation?
    /// Bytes one training may plan to use (its estimate is checked before it allocates); default ¾ of RAM.
    public var trainingMemoryLimit = Int(ProcessInfo.processInfo.physicalMemory / 4 * 3)
    /// Whether this instance runs training jobs.
    public var trainerEnabled = true
    /// Whether requests are traced, measured and access-logged (off only to measure what that costs).
    public var telemetryEnabled = true
    /// Which item index a trained factor model gets and how it is searched.
    public var indexConfiguration = IndexConfiguration()
    /// How often serving looks for new interactions, catalogue changes and promotions made elsewhere (another
    /// replica, the trainer); changes made through this instance's API apply at once.
    public var servingPollInterval: Duration = .milliseconds(1_000)
    /// Whether serving loads every tenant that has a serving version at start (else each on its first request).
    public var servingPreload = true
    /// The most recent interactions each user's in-memory history keeps (fold-in and `exclude_seen` read them).
    public var historyCap = 500
    /// Threads of the compute pool (large JSON batches, rankings that walk the catalogue, model loads, view builds).
    public var computeThreads = ProcessInfo.processInfo.activeProcessorCount
    /// The SLO spec file; nil uses the built-in copy of `alerts/slos.yaml`.
    public var sloSpecPath: String?
    /// How the model monitors run and when they alert.
    public var monitors = MonitorSettings()
    /// How often the alert manager evaluates SLO burn rates, monitor thresholds and training failures.
    public var alertInterval: Duration = .seconds(15)
    /// How often running experiments' results are computed and canary rollouts decided.
    public var experimentInterval: Duration = .seconds(30)
    /// How webhook deliveries are sent and retried.
    public var deliveries = DeliverySettings()
    /// The service's own address, as alerts link to it (`externalURL`, `generatorURL`); empty when unknown.
    public var externalURL = ""
    /// How long served lists are kept (for attribution and the online monitors, which re-read a day beyond the
    /// attribution window), in days; nil for the default: 7.
    public var servedRetentionDays: Int?

    /// How long served lists are kept, in milliseconds: the days set (7 by default), and never less than the attribution
    /// window and a day.
    public var servedRetentionMillis: Int64 {
        max(Int64(servedRetentionDays ?? 7) * 86_400_000, monitors.attributionMillis + 86_400_000)
    }

    /// Where artifacts are stored.
    public enum ArtifactLocation: Sendable, Equatable {
        /// Files under a folder.
        case folder(String)
        /// Rows in the database.
        case database
    }

    /// The defaults.
    public init() {}

    /// Applies `RECOMMENDER_*` environment variables over the defaults; names the variable when a value is bad.
    public mutating func apply(environment: [String: String]) throws {
        if let token = environment["RECOMMENDER_ADMIN_TOKEN"], !token.isEmpty {
            guard token.count >= 16 else { throw ConfigurationError("RECOMMENDER_ADMIN_TOKEN must be at least 16 characters") }
            adminToken = token
        }
        if let url = environment["RECOMMENDER_DATABASE_URL"], !url.isEmpty { databaseURL = url }
        if let dir = environment["RECOMMENDER_DATA_DIR"], !dir.isEmpty { dataDirectory = dir }
        if let text = environment["RECOMMENDER_RATE_LIMIT"] {
            defaultRateLimit = try Self.parseRateLimit(text, variable: "RECOMMENDER_RATE_LIMIT")
        }
        if let text = environment["RECOMMENDER_MAX_IMPORT_BYTES"] {
            guard let value = Int(text), value > 0 else { throw ConfigurationError("RECOMMENDER_MAX_IMPORT_BYTES must be a positive integer") }
            maxImportBytes = value
        }
        if let text = environment["RECOMMENDER_LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: text.lowercased()) else { throw ConfigurationError("RECOMMENDER_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical") }
            logLevel = level
        }
        if let text = environment["RECOMMENDER_TRAINING_THREADS"] {
            guard let value = Int(text), (1...256).contains(value) else { throw ConfigurationError("RECOMMENDER_TRAINING_THREADS must be an integer from 1 to 256") }
            trainingThreads = value
        }
        if let text = environment["RECOMMENDER_TRAINING_MEMORY_MB"] {
            guard let value = Int(text), (64...16_777_216).contains(value) else { throw ConfigurationError("RECOMMENDER_TRAINING_MEMORY_MB must be an integer from 64 to 16777216") }
            trainingMemoryLimit = value << 20
        }
        if let text = environment["RECOMMENDER_ARTIFACTS"], !text.isEmpty {
            if text == "database" {
                artifacts = .database
            } else if text.hasPrefix("folder:"), text.count > 7 {
                artifacts = .folder(String(text.dropFirst(7)))
            } else {
                throw ConfigurationError("RECOMMENDER_ARTIFACTS must be database or folder:PATH")
            }
        }
        if let text = environment["RECOMMENDER_TRAINER"] {
            guard ["on", "off"].contains(text) else { throw ConfigurationError("RECOMMENDER_TRAINER must be on or off") }
            trainerEnabled = text == "on"
        }
        if let text = environment["RECOMMENDER_TELEMETRY"] {
            guard ["on", "off"].contains(text) else { throw ConfigurationError("RECOMMENDER_TELEMETRY must be on or off") }
            telemetryEnabled = text == "on"
        }
        if let text = environment["RECOMMENDER_HNSW_MIN_ITEMS"] {
            guard let value = Int(text), value >= 0 else { throw ConfigurationError("RECOMMENDER_HNSW_MIN_ITEMS must be a non-negative integer") }
            indexConfiguration.hnswMinimumVectors = value
        }
        if let text = environment["RECOMMENDER_HNSW_EF_SEARCH"] {
            guard let value = Int(text), (1...100_000).contains(value) else { throw ConfigurationError("RECOMMENDER_HNSW_EF_SEARCH must be an integer from 1 to 100000") }
            indexConfiguration.efSearch = value
        }
        if let text = environment["RECOMMENDER_EXACT_SCAN_LIMIT"] {
            guard let value = Int(text), (0...10_000_000).contains(value) else { throw ConfigurationError("RECOMMENDER_EXACT_SCAN_LIMIT must be an integer from 0 to 10000000") }
            indexConfiguration.scanLimit = value
        }
        if let text = environment["RECOMMENDER_SERVING_POLL_MS"] {
            guard let value = Int(text), (10...600_000).contains(value) else { throw ConfigurationError("RECOMMENDER_SERVING_POLL_MS must be an integer from 10 to 600000") }
            servingPollInterval = .milliseconds(value)
        }
        if let text = environment["RECOMMENDER_HISTORY_CAP"] {
            guard let value = Int(text), (1...1_000_000).contains(value) else { throw ConfigurationError("RECOMMENDER_HISTORY_CAP must be an integer from 1 to 1000000") }
            historyCap = value
        }
        if let text = environment["RECOMMENDER_COMPUTE_THREADS"] {
            guard let value = Int(text), (1...256).contains(value) else { throw ConfigurationError("RECOMMENDER_COMPUTE_THREADS must be an integer from 1 to 256") }
            computeThreads = value
        }
        if let text = environment["RECOMMENDER_SERVING_PRELOAD"] {
            guard ["on", "off"].contains(text) else { throw ConfigurationError("RECOMMENDER_SERVING_PRELOAD must be on or off") }
            servingPreload = text == "on"
        }
        if let path = environment["RECOMMENDER_SLO_SPEC"], !path.isEmpty { sloSpecPath = path }
        if let text = environment["RECOMMENDER_MONITOR_INTERVAL_MS"] {
            monitors.interval = .milliseconds(try Self.integer(text, "RECOMMENDER_MONITOR_INTERVAL_MS", in: 100...86_400_000))
        }
        if let text = environment["RECOMMENDER_ATTRIBUTION_MINUTES"] {
            monitors.attributionMillis = Int64(try Self.integer(text, "RECOMMENDER_ATTRIBUTION_MINUTES", in: 0...10_080)) * 60_000
        }
        if let text = environment["RECOMMENDER_DRIFT_PSI"] {
            guard let value = Double(text), value > 0, value.isFinite else { throw ConfigurationError("RECOMMENDER_DRIFT_PSI must be a positive number (default 0.2)") }
            monitors.psiThreshold = value
        }
        if let text = environment["RECOMMENDER_DRIFT_JS"] {
            guard let value = Double(text), value > 0, value <= 1 else { throw ConfigurationError("RECOMMENDER_DRIFT_JS must be a number above 0 and at most 1 (default 0.1)") }
            monitors.jsThreshold = value
        }
        if let text = environment["RECOMMENDER_DRIFT_MIN_EVENTS"] {
            monitors.minimumLiveEvents = try Self.integer(text, "RECOMMENDER_DRIFT_MIN_EVENTS", in: 1...1_000_000_000)
        }
        if let text = environment["RECOMMENDER_ALERT_INTERVAL_MS"] {
            alertInterval = .milliseconds(try Self.integer(text, "RECOMMENDER_ALERT_INTERVAL_MS", in: 100...3_600_000))
        }
        if let text = environment["RECOMMENDER_EXPERIMENT_INTERVAL_MS"] {
            experimentInterval = .milliseconds(try Self.integer(text, "RECOMMENDER_EXPERIMENT_INTERVAL_MS", in: 100...3_600_000))
        }
        if let text = environment["RECOMMENDER_WEBHOOK_ALLOW_PRIVATE"] {
            guard ["0", "1"].contains(text) else { throw ConfigurationError("RECOMMENDER_WEBHOOK_ALLOW_PRIVATE must be 0 or 1") }
            deliveries.allowPrivate = text == "1"
        }
        if let text = environment["RECOMMENDER_WEBHOOK_RETRY_BASE_MS"] {
            deliveries.baseDelay = .milliseconds(try Self.integer(text, "RECOMMENDER_WEBHOOK_RETRY_BASE_MS", in: 10...3_600_000))
        }
        if let text = environment["RECOMMENDER_WEBHOOK_MAX_ATTEMPTS"] {
            deliveries.maxAttempts = try Self.integer(text, "RECOMMENDER_WEBHOOK_MAX_ATTEMPTS", in: 1...100)
        }
        if let text = environment["RECOMMENDER_EXTERNAL_URL"] { externalURL = text }
        if let text = environment["RECOMMENDER_SQLITE_SYNCHRONOUS"] {
            guard ["FULL", "NORMAL"].contains(text.uppercased()) else { throw ConfigurationError("RECOMMENDER_SQLITE_SYNCHRONOUS must be FULL or NORMAL") }
            sqliteSynchronousFull = text.uppercased() == "FULL"
        }
        if let text = environment["RECOMMENDER_SERVED_RETENTION_DAYS"] {
            servedRetentionDays = try Self.integer(text, "RECOMMENDER_SERVED_RETENTION_DAYS", in: 1...3_650)
            guard Int64(servedRetentionDays ?? 0) * 86_400_000 >= monitors.attributionMillis + 86_400_000 else {
                throw ConfigurationError("RECOMMENDER_SERVED_RETENTION_DAYS must be at least a day longer than the attribution window (RECOMMENDER_ATTRIBUTION_MINUTES)")
            }
        }
    }

    /// An integer setting within `range`, or an error naming the variable.
    static func integer(_ text: String, _ variable: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(variable) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Parses `PER_SECOND[:BURST]`, or `off`.
    static func parseRateLimit(_ text: String, variable: String) throws -> RateLimit? {
        if text.lowercased() == "off" { return nil }
        let parts = text.split(separator: ":")
        guard (1...2).contains(parts.count), let rate = Double(parts[0]), RateLimit.allowedRates.contains(rate) else {
            throw ConfigurationError("\(variable) must be PER_SECOND[:BURST] with PER_SECOND from 0.001 to 10000000 (e.g. 2000:4000), or off")
        }
        guard parts.count == 2 else { return RateLimit(perSecond: rate) }
        guard let burst = Int(parts[1]), (1...10_000_000).contains(burst) else {
            throw ConfigurationError("\(variable): BURST must be an integer from 1 to 10000000")
        }
        return RateLimit(perSecond: rate, burst: burst)
    }
}

/// A configuration value that cannot be used, naming the setting.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// Creates the error.
    public init(_ description: String) {
        self.description = description
    }
}
