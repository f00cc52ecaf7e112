/// Why the randomised eigensolver returned no eigenpairs.
public enum EigensolverError: Error, Sendable, Equatable {
    /// The caller's stop check asked it to stop.
    case stopped
    /// LAPACK's symmetric eigensolver did not converge on a projected matrix.
    case notConverged
}
