import RecTelemetry

/// What went wrong in the store, as a code to compare against (`error.code == .leaseLost`, or `error == .leaseLost`)
/// and a message for people. It says nothing about HTTP: the server maps codes to statuses.
///
/// Two errors are equal when their codes are; the message is detail. The static constants exist to compare against,
/// the static functions build an error with its message.
public struct StoreError: Error, Sendable, CustomStringConvertible, Equatable, LabelledError {
    /// The kind of failure; one of the static constants.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: Sendable, Hashable {
            case uniqueViolation
            case corruptRow
            case database
            case unavailable
            case leaseLost
            case notServing
            case nothingServedBefore
            case servingHistoryChanged
            case nameTaken
            case artifactMissing
            case artifactCorrupt
            case experimentRunning
        }

        let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A unique key was violated (a duplicate insert).
        public static let uniqueViolation = Code(.uniqueViolation)
        /// A row lacked a value the schema guarantees.
        public static let corruptRow = Code(.corruptRow)
        /// The database refused a statement.
        public static let database = Code(.database)
        /// The database could not be reached or opened.
        public static let unavailable = Code(.unavailable)
        /// The job is no longer leased by the worker that wrote (its lease ran out and another worker took it).
        public static let leaseLost = Code(.leaseLost)
        /// The version named is not the one the tenant serves.
        public static let notServing = Code(.notServing)
        /// Nothing was served before the version named, so there is nothing to roll back to.
        public static let nothingServedBefore = Code(.nothingServedBefore)
        /// The serving history changed between the caller's read and its write.
        public static let servingHistoryChanged = Code(.servingHistoryChanged)
        /// Another tenant already has the name.
        public static let nameTaken = Code(.nameTaken)
        /// A version's artifact is not in the artifact store.
        public static let artifactMissing = Code(.artifactMissing)
        /// A version's artifact does not match the checksum recorded when it was written.
        public static let artifactCorrupt = Code(.artifactCorrupt)
        /// The tenant already runs an experiment or rollout.
        public static let experimentRunning = Code(.experimentRunning)

        /// The codes any operation fails with when the database refuses it or cannot be reached (the store's own
        /// failures, not the caller's request or a lost race): the error series exported at 0 from the start.
        public static let failures: [Code] = [.database, .unavailable]

        /// The code in snake case (`lease_lost`): a bounded value for metric labels.
        public var description: String {
            switch base {
            case .uniqueViolation: "unique_violation"
            case .corruptRow: "corrupt_row"
            case .database: "database"
            case .unavailable: "unavailable"
            case .leaseLost: "lease_lost"
            case .notServing: "not_serving"
            case .nothingServedBefore: "nothing_served_before"
            case .servingHistoryChanged: "serving_history_changed"
            case .nameTaken: "name_taken"
            case .artifactMissing: "artifact_missing"
            case .artifactCorrupt: "artifact_corrupt"
            case .experimentRunning: "experiment_running"
            }
        }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What happened, for people.
    public let message: String

    init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// A text form for logs.
    public var description: String { message }

    /// The code as a metric label (`lease_lost`, `database`, …).
    public var shortDescription: String { code.description }

    /// Whether this is a unique-key violation (a duplicate insert).
    public var isUniqueViolation: Bool { code == .uniqueViolation }

    /// Equal when the codes are: compare a thrown error with a constant such as `StoreError.leaseLost`.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }

    /// A unique constraint was violated.
    static func uniqueViolation(_ message: String) -> StoreError { StoreError(code: .uniqueViolation, message: message) }
    /// A row lacked a column the schema guarantees.
    static func corruptRow(_ column: String) -> StoreError { StoreError(code: .corruptRow, message: "row has no value for \(column)") }
    /// A row held a value the schema does not allow.
    static func corruptRow(detail: String) -> StoreError { StoreError(code: .corruptRow, message: detail) }
    /// The database reported an error.
    static func database(_ message: String) -> StoreError { StoreError(code: .database, message: message) }
    /// The database could not be reached.
    static func unavailable(_ message: String) -> StoreError { StoreError(code: .unavailable, message: message) }

    /// To compare against: the job is no longer leased by this worker.
    public static let leaseLost = StoreError(code: .leaseLost, message: "the job is no longer leased by this worker")
    /// To compare against: the version is not the serving one.
    public static let notServing = StoreError(code: .notServing, message: "the version is not the serving one")
    /// To compare against: nothing was served before the version.
    public static let nothingServedBefore = StoreError(code: .nothingServedBefore, message: "no version was served before this one")
    /// To compare against: the serving history changed meanwhile.
    public static let servingHistoryChanged = StoreError(code: .servingHistoryChanged, message: "the serving history changed meanwhile; retry")
    /// To compare against: the tenant name is taken.
    public static let nameTaken = StoreError(code: .nameTaken, message: "a tenant with this name already exists")
    /// To compare against: the tenant already runs an experiment or rollout.
    public static let experimentAlreadyRunning = StoreError(code: .experimentRunning, message: "the tenant already runs an experiment or rollout")
    /// To compare against: the artifact is missing.
    public static let artifactMissing = StoreError(code: .artifactMissing, message: "the artifact is missing")
    /// To compare against: the artifact is corrupt.
    public static let artifactCorrupt = StoreError(code: .artifactCorrupt, message: "the artifact is corrupt")

    /// Job `job` is no longer leased by this worker (`what` names the job's kind in the message, e.g. `import job`).
    static func leaseLost(job: String, what: String = "job") -> StoreError {
        StoreError(code: .leaseLost, message: "\(what) \(job) is no longer leased by this worker")
    }

    /// `version` is not the serving version; `current` is (nil when nothing is served).
    static func notServing(_ version: String, current: String?) -> StoreError {
        StoreError(code: .notServing, message: "\(version) is not the serving version\(current.map { " (\($0) is)" } ?? "")")
    }

    /// Nothing was served before `version`.
    static func nothingServedBefore(_ version: String) -> StoreError {
        StoreError(code: .nothingServedBefore, message: "no version was served before \(version)")
    }

    /// A tenant named `name` already exists.
    static func nameTaken(_ name: String) -> StoreError {
        StoreError(code: .nameTaken, message: "a tenant named '\(name)' already exists")
    }

    /// The tenant already runs an experiment or rollout (`message` says what to do).
    static func experimentRunning(_ message: String) -> StoreError {
        StoreError(code: .experimentRunning, message: message)
    }

    /// The artifact of `version` is missing.
    static func artifactMissing(_ version: String) -> StoreError {
        StoreError(code: .artifactMissing, message: "the artifact of \(version) is missing")
    }

    /// The artifact of `version` does not match its checksum.
    static func artifactCorrupt(_ version: String) -> StoreError {
        StoreError(code: .artifactCorrupt, message: "the artifact of \(version) is corrupt (checksum mismatch); it cannot be served")
    }
}
