/// One trained model version of a tenant: what it is, how it scored offline, and where its artifact is checked.
public struct ModelVersion: Sendable, Equatable {
    /// The version id, e.g. `ials-20261127-001502-3f9a`.
    public let version: String
    /// The owning tenant.
    public let tenantID: String
    /// The model family (`ials`, `ease`, …).
    public let kind: String
    /// The parameters it was trained with (defaults filled in).
    public let params: [String: Double]
    /// Offline metrics on the seeded holdout (`recall@20`, `ndcg@20`, …).
    public let metrics: [String: Double]
    /// The training job that produced it.
    public let jobID: String?
    /// SHA-256 (hex) of the artifact bytes.
    public let checksum: String
    /// Size of the artifact.
    public let artifactBytes: Int
    /// Users, items and interactions in the training snapshot.
    public let users: Int
    /// Items in the training snapshot.
    public let items: Int
    /// Interactions in the training snapshot.
    public let interactions: Int
    /// Seconds the training took.
    public let trainSeconds: Double
    /// Creation time in Unix milliseconds.
    public let createdAt: Int64

    /// Creates a value.
    public init(version: String, tenantID: String, kind: String, params: [String: Double], metrics: [String: Double], jobID: String?, checksum: String, artifactBytes: Int, users: Int, items: Int, interactions: Int, trainSeconds: Double, createdAt: Int64) {
        self.version = version
        self.tenantID = tenantID
        self.kind = kind
        self.params = params
        self.metrics = metrics
        self.jobID = jobID
        self.checksum = checksum
        self.artifactBytes = artifactBytes
        self.users = users
        self.items = items
        self.interactions = interactions
        self.trainSeconds = trainSeconds
        self.createdAt = createdAt
    }
}
