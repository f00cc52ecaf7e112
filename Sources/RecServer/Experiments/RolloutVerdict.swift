/// What a canary rollout's evidence says to do now.
enum RolloutVerdict: Equatable, Sendable {
    /// Keep serving both arms.
    case collecting
    /// Make the candidate the serving version, for the reason given.
    case promote(String)
    /// Withdraw the candidate, for the reason given.
    case rollBack(String)
}
