/// Rules for tenant-chosen ids and helpers that make our own random ids.
public enum Identifier {
    /// The longest id a tenant may choose, in UTF-8 bytes.
    public static let maxBytes = 256

    /// Why `value` is not an acceptable tenant-chosen id, or nil when it is (1–256 bytes of printable UTF-8).
    public static func problem(with value: String) -> String? {
        let count = value.utf8.count
        if count == 0 { return "must not be empty" }
        if count > maxBytes { return "must be at most \(maxBytes) bytes of UTF-8, got \(count)" }
        // Fast path: printable ASCII needs no Unicode property lookups.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        for scalar in value.unicodeScalars where scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator {
            return "must be printable (found U+\(String(scalar.value, radix: 16, uppercase: true)))"
        }
        return nil
    }

    /// A random id with a type prefix, e.g. `j_3f9c…`, from the system's cryptographic generator.
    public static func random(prefix: String, bytes: Int = 12) -> String {
        prefix + "_" + randomHex(bytes: bytes)
    }

    /// `bytes` as lowercase hex (digests, signatures).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            out += hexDigits[Int(byte >> 4)]
            out += hexDigits[Int(byte & 0x0f)]
        }
        return out
    }

    /// `bytes` random bytes from the system's cryptographic generator, as lowercase hex.
    public static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var out = ""
        out.reserveCapacity(bytes * 2)
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out += hexDigits[Int(byte >> 4)]
            out += hexDigits[Int(byte & 0x0f)]
        }
        return out
    }

    private static let hexDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
}
