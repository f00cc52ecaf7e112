/// Reads typed fields out of one JSON object, collecting every problem with its full path instead of stopping at the first.
public struct FieldReader {
    /// The object being read.
    public let object: [String: JSONValue]
    /// The JSON path of the object, e.g. `interactions[2]`.
    public let path: String
    /// Problems found so far.
    public private(set) var errors: [(field: String, message: String)] = []

    /// Reads `value`, which must be an object, at `path`.
    public init(_ value: JSONValue, path: String) {
        self.path = path
        if let object = value.objectValue {
            self.object = object
        } else {
            self.object = [:]
            self.errors.append((path.isEmpty ? "$" : path, "must be an object, got \(value.typeName)"))
        }
    }

    /// The path of a field of this object.
    public func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Records a problem with a field.
    public mutating func fail(_ key: String, _ message: String) {
        errors.append((fieldPath(key), message))
    }

    /// A required tenant-chosen id.
    public mutating func requiredID(_ key: String) -> String {
        guard let value = object[key], value != .null else {
            fail(key, "is required")
            return ""
        }
        guard let string = value.stringValue else {
            fail(key, "must be a string, got \(value.typeName)")
            return ""
        }
        if let problem = Identifier.problem(with: string) { fail(key, problem) }
        return string
    }

    /// An optional id-like string (e.g. a recommendation id).
    public mutating func optionalID(_ key: String) -> String? {
        guard let string = optionalString(key, maxBytes: Identifier.maxBytes) else { return nil }
        if let problem = Identifier.problem(with: string) { fail(key, problem) }
        return string
    }

    /// An optional string of at most `maxBytes` bytes.
    public mutating func optionalString(_ key: String, maxBytes: Int = 4096) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard let string = value.stringValue else {
            fail(key, "must be a string, got \(value.typeName)")
            return nil
        }
        if string.utf8.count > maxBytes { fail(key, "must be at most \(maxBytes) bytes") }
        if Self.hasControlCharacter(string) { fail(key, "must not contain control characters") }
        return string
    }

    /// Whether text holds a control character other than tab, newline or carriage return (NUL among them, which
    /// PostgreSQL cannot store and C APIs truncate at).
    static func hasControlCharacter(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D || $0 == 0x7F }
    }

    /// An optional finite number within `range`.
    public mutating func optionalNumber(_ key: String, in range: ClosedRange<Double> = -1e12...1e12) -> Double? {
        guard let value = object[key], value != .null else { return nil }
        guard let number = value.numberValue else {
            fail(key, "must be a number, got \(value.typeName)")
            return nil
        }
        if !number.isFinite || !range.contains(number) {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return number
    }

    /// An optional boolean.
    public mutating func optionalBool(_ key: String) -> Bool? {
        guard let value = object[key], value != .null else { return nil }
        guard case .bool(let bool) = value else {
            fail(key, "must be a boolean, got \(value.typeName)")
            return nil
        }
        return bool
    }

    /// An optional object (free-form properties), at most `maxBytes` when encoded.
    public mutating func optionalObject(_ key: String) -> [String: JSONValue]? {
        guard let value = object[key], value != .null else { return nil }
        guard let object = value.objectValue else {
            fail(key, "must be an object, got \(value.typeName)")
            return nil
        }
        return object
    }

    /// An optional array of strings, each at most `maxBytes`.
    public mutating func optionalStrings(_ key: String, maxCount: Int = 100, maxBytes: Int = 256) -> [String]? {
        guard let value = object[key], value != .null else { return nil }
        guard let array = value.arrayValue else {
            fail(key, "must be an array of strings, got \(value.typeName)")
            return nil
        }
        if array.count > maxCount { fail(key, "must have at most \(maxCount) entries") }
        var out: [String] = []
        for (index, element) in array.enumerated() {
            guard let string = element.stringValue, !string.isEmpty, string.utf8.count <= maxBytes, !Self.hasControlCharacter(string) else {
                errors.append(("\(fieldPath(key))[\(index)]", "must be a non-empty string of at most \(maxBytes) bytes, without control characters"))
                continue
            }
            out.append(string)
        }
        return out
    }

    /// An optional timestamp: RFC 3339 text or Unix seconds; returned in Unix milliseconds.
    public mutating func optionalTimestamp(_ key: String) -> Int64? {
        guard let value = object[key], value != .null else { return nil }
        switch value {
        case .number(let seconds) where seconds.isFinite && seconds >= 0 && seconds < 32_503_680_000:
            return Int64((seconds * 1000).rounded())
        case .string(let text):
            if let millis = Timestamp.parseRFC3339(text) { return millis }
            fail(key, "must be an RFC 3339 date-time such as 2024-05-01T12:00:00Z, or Unix seconds")
        default:
            fail(key, "must be an RFC 3339 date-time or Unix seconds, got \(value.typeName)")
        }
        return nil
    }

    /// Reports keys that are not in `allowed`, so typos are not silently dropped.
    public mutating func rejectUnknownKeys(_ allowed: Set<String>) {
        guard object.keys.contains(where: { !allowed.contains($0) }) else { return }
        for key in object.keys.sorted() where !allowed.contains(key) {
            fail(key, "is not a known field")
        }
    }
}
