import RecCore

/// Renders the OpenAPI document as one readable HTML page, with no scripts and nothing fetched.
enum DocsPage {
    static func render(_ root: JSONValue) -> String {
        let info = root.objectValue?["info"]?.objectValue ?? [:]
        let title = info["title"]?.stringValue ?? "API"
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
            h2{border-bottom:1px solid #ddd;padding-bottom:.3rem;margin-top:2.5rem}.op{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
            .m{display:inline-block;min-width:4.5rem;font-weight:700;font-family:monospace}.get{color:#0a6}.post{color:#06c}.put{color:#a60}.delete{color:#c33}
            code,pre{font-family:ui-monospace,monospace;font-size:.85rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto}td,th{text-align:left;padding:.2rem .6rem .2rem 0;vertical-align:top}</style>
            </head><body><h1>\(escape(title)) <small>\(escape(info["version"]?.stringValue ?? ""))</small></h1>
            <p>\(escape(info["description"]?.stringValue ?? ""))</p><p>Machine-readable: <a href="/openapi.yaml">/openapi.yaml</a>, <a href="/openapi.json">/openapi.json</a>.</p>
            """
        let paths = root.objectValue?["paths"]?.objectValue ?? [:]
        var byTag: [String: [(String, String, [String: JSONValue])]] = [:]
        for (path, item) in paths {
            for (method, operation) in item.objectValue ?? [:] {
                guard let operation = operation.objectValue else { continue }
                let tag = operation["tags"]?.arrayValue?.first?.stringValue ?? "other"
                byTag[tag, default: []].append((method, path, operation))
            }
        }
        for tag in byTag.keys.sorted() {
            html += "<h2>\(escape(tag))</h2>"
            for (method, path, operation) in byTag[tag]!.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }) {
                html += "<div class=\"op\"><div><span class=\"m \(method)\">\(method.uppercased())</span> <code>\(escape(path))</code> — \(escape(operation["summary"]?.stringValue ?? ""))</div>"
                if let description = operation["description"]?.stringValue { html += "<p>\(escape(description))</p>" }
                if let parameters = operation["parameters"]?.arrayValue, !parameters.isEmpty {
                    html += "<table><tr><th>parameter</th><th>in</th><th>description</th></tr>"
                    for parameter in parameters {
                        let p = parameter.objectValue ?? [:]
                        html += "<tr><td><code>\(escape(p["name"]?.stringValue ?? "?"))</code></td><td>\(escape(p["in"]?.stringValue ?? ""))</td><td>\(escape(p["description"]?.stringValue ?? ""))</td></tr>"
                    }
                    html += "</table>"
                }
                if let body = operation["requestBody"]?.objectValue?["content"]?.objectValue {
                    for (type, content) in body.sorted(by: { $0.key < $1.key }) {
                        html += "<p>Request body <code>\(escape(type))</code>:</p><pre>\(escape(pretty(resolve(content.objectValue?["schema"] ?? .null, root), depth: 0)))</pre>"
                    }
                }
                let responses = operation["responses"]?.objectValue ?? [:]
                html += "<p>Responses: " + responses.keys.sorted().map { code in
                    "<code>\(escape(code))</code> \(escape(responses[code]?.objectValue?["description"]?.stringValue ?? ""))"
                }.joined(separator: "; ") + "</p></div>"
            }
        }
        return html + "</body></html>"
    }

    /// Follows one `$ref` to `#/components/...`.
    private static func resolve(_ value: JSONValue, _ root: JSONValue) -> JSONValue {
        guard let ref = value.objectValue?["$ref"]?.stringValue, ref.hasPrefix("#/") else { return value }
        var node = root
        for part in ref.dropFirst(2).split(separator: "/") { node = node.objectValue?[String(part)] ?? .null }
        return node
    }

    private static func pretty(_ value: JSONValue, depth: Int) -> String {
        let pad = String(repeating: "  ", count: depth)
        switch value {
        case .object(let object):
            return "{\n" + object.keys.sorted().map { "\(pad)  \($0): \(pretty(object[$0]!, depth: depth + 1))" }.joined(separator: ",\n") + "\n\(pad)}"
        case .array(let array):
            return "[" + array.map { pretty($0, depth: depth + 1) }.joined(separator: ", ") + "]"
        case .string(let string): return "\"\(string)\""
        case .number(let number): return number.rounded() == number ? String(Int64(number)) : String(number)
        case .bool(let bool): return String(bool)
        case .null: return "null"
        }
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
