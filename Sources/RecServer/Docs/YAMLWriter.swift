import RecCore

/// Writes a JSON value as block-style YAML (strings always quoted, so no value is misread).
enum YAMLWriter {
    static func write(_ value: JSONValue) -> String {
        var out = ""
        emit(value, indent: 0, into: &out, inline: false)
        return out
    }

    private static func emit(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            if inline { out += "\n" }
            for key in object.keys.sorted(by: keyOrder) {
                out += pad + quote(key) + ":"
                emitChild(object[key]!, indent: indent, into: &out)
            }
        case .array(let array) where !array.isEmpty:
            if inline { out += "\n" }
            for element in array {
                out += pad + "-"
                emitChild(element, indent: indent, into: &out)
            }
        default:
            out += (inline ? " " : pad) + scalar(value) + "\n"
        }
    }

    private static func emitChild(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty: emit(value, indent: indent + 1, into: &out, inline: true)
        case .array(let array) where !array.isEmpty: emit(value, indent: indent + 1, into: &out, inline: true)
        default: out += " " + scalar(value) + "\n"
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let string): quote(string)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// JSON string syntax is valid YAML double-quoted syntax.
    private static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// `openapi` and `info` first, then alphabetical, so the YAML reads top-down.
    private static func keyOrder(_ lhs: String, _ rhs: String) -> Bool {
        let first = ["openapi", "info", "servers", "tags", "paths", "components"]
        switch (first.firstIndex(of: lhs), first.firstIndex(of: rhs)) {
        case let (l?, r?): return l < r
        case (_?, nil): return true
        case (nil, _?): return false
        default: return lhs < rhs
        }
    }
}
