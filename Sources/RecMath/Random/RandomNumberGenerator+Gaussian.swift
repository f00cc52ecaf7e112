#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RandomNumberGenerator {
    /// A standard normal sample (mean 0, deviation 1) by the Box–Muller transform of two uniform draws; the one
    /// implementation the tuner, the demo data and the index benchmark share.
    @inlinable
    public mutating func nextGaussian() -> Float {
        // u is kept off 0, where log is -infinity.
        let u = max(Float.random(in: 0..<1, using: &self), 1e-7), v = Float.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
