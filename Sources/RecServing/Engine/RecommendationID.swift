import Synchronization

/// The ids served lists carry.
enum RecommendationID {
    /// `rec_` and 24 hex digits: the time in milliseconds (11), then this process's counter through a bijection of
    /// 52 bits keyed by a random salt (13). Unique within a process, unlikely to collide across replicas (2⁻⁵² a pair
    /// in the same millisecond), no hint of the volume served, no system call per id, and time-ordered, so storing them
    /// appends to the primary key's index instead of writing to random pages of it.
    static func make(at millis: Int64) -> String {
        let count = counter.add(1, ordering: .relaxed).newValue
        return "rec_" + hex(UInt64(max(0, millis)), digits: 11) + hex(scramble(count), digits: 13)
    }

    /// A bijection of the 52-bit numbers (add, multiply by odd constants, shift-xor: each step is invertible), keyed
    /// by the process's salt.
    private static func scramble(_ value: UInt64) -> UInt64 {
        let mask: UInt64 = (1 << 52) - 1
        var x = (value &+ salt) & mask
        x = (x &* 0x9E37_79B9_7F4A_7C15) & mask
        x ^= x >> 26
        x = (x &* ((0xBF58_476D_1CE4_E5B9 ^ (salt >> 12)) | 1)) & mask
        x ^= x >> 23
        x = (x &* 0x94D0_49BB_1331_11EB) & mask
        return x ^ (x >> 29)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value & ((1 << (4 * digits)) - 1), radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }
}

private let salt = UInt64.random(in: 0...UInt64.max)
private let counter = Atomic<UInt64>(0)
