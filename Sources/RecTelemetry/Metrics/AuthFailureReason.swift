/// Why authentication refused a request: the `reason` label of `rec_auth_failures_total`.
public enum AuthFailureReason: String, Sendable, CaseIterable {
    /// No `Authorization` header.
    case missing
    /// A header that is not `Bearer <api key>`.
    case malformed
    /// A key no tenant holds.
    case unknownKey = "unknown_key"
    /// A revoked key.
    case revoked
    /// A key of a suspended tenant.
    case suspended
    /// A missing or wrong operator token on the admin API.
    case `operator`
}
