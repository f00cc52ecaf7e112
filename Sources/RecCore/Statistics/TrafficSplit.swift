import Foundation

/// Deterministic assignment of users to variants, identical to GrowthBook's JavaScript SDK with hash version 2.
///
/// The same (seed, user) always lands in the same bucket, on every server and in every GrowthBook SDK that follows
/// the JS reference, so assignment needs no stored state.
public enum TrafficSplit {
    /// The 32-bit FNV-1a hash of `s`, taken over its UTF-16 code units as the SDK's `hashFnv32a` does (`charCodeAt`).
    ///
    /// For ASCII strings this equals FNV-1a over the UTF-8 bytes; for other text it matches the JS SDK, not the bytes.
    public static func fnv1a32(_ s: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for unit in s.utf16 {
            hash ^= UInt32(unit)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    /// The user's bucket in [0, 1), in steps of 1/10000: GrowthBook's `hash(seed, unit, 2)`.
    ///
    /// That is (fnv1a32(String(fnv1a32(seed + unit))) mod 10000) / 10000, where the inner hash is written in decimal.
    public static func bucket(seed: String, unit: String) -> Double {
        let inner = fnv1a32(seed + unit)
        return Double(fnv1a32(String(inner)) % 10_000) / 10_000
    }

    /// The index of the variant whose traffic range holds `bucket`, or nil when no range does.
    ///
    /// `traffic` holds percentages; variant i owns [Σ_{j<i} t_j / 100, Σ_{j≤i} t_j / 100), so a 0% variant is never
    /// chosen and negative entries count as 0. Nil happens only when the percentages sum to less than 100 (the rest of
    /// the traffic is outside the experiment) or `bucket` is outside [0, 1).
    public static func choose(bucket: Double, traffic: [Int]) -> Int? {
        var cumulative = 0.0
        for (index, percent) in traffic.enumerated() {
            let start = cumulative / 100
            cumulative += Double(max(percent, 0))
            if bucket >= start && bucket < cumulative / 100 { return index }
        }
        return nil
    }
}
