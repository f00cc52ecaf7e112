import Synchronization

/// Span and trace ids for the local tracer: SplitMix64 (the generator of Java's `SplittableRandom`) over one atomic
/// state seeded from the system's random source. An id costs an atomic add and a few multiplications, where
/// swift-otel's generator makes a system call under a lock. Unique within a process for 2⁶⁴ ids (the mix is a
/// bijection of the state), never zero (W3C's invalid id). Ids for correlation, not secrets: the mix can be inverted, so
/// one id reveals the generator's state, and a trace id's two halves are consecutive draws (64 bits of entropy).
enum LocalTraceIDs {
    private static let state = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    /// The next non-zero 64-bit id.
    static func next() -> UInt64 {
        while true {
            var z = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            if z != 0 { return z }
        }
    }
}
