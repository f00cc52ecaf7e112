import Foundation
import RecCore

/// The OpenAPI 3.1 document (kept as `Resources/openapi.json`), served as JSON, as YAML and as a readable HTML page.
public struct APIDocument: Sendable {
    /// The document as JSON text.
    public let json: String
    /// The same document as YAML.
    public let yaml: String
    /// A self-contained HTML rendering (no scripts, nothing fetched).
    public let html: String
    /// The parsed document.
    public let root: JSONValue

    /// Loads the bundled document.
    public static func load() throws -> APIDocument {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources") ?? Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw RecError.unavailable("the OpenAPI document is missing from the bundle")
        }
        let data = try Data(contentsOf: url)
        let root = try JSONDecoder().decode(JSONValue.self, from: data)
        return APIDocument(json: String(decoding: data, as: UTF8.self), yaml: YAMLWriter.write(root), html: DocsPage.render(root), root: root)
    }

    /// Every `METHOD /path` the document describes.
    public var operations: Set<RouteDescriptor> {
        var out: Set<RouteDescriptor> = []
        for (path, item) in root.objectValue?["paths"]?.objectValue ?? [:] {
            for method in (item.objectValue ?? [:]).keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                out.insert(RouteDescriptor(method: method.uppercased(), path: path))
            }
        }
        return out
    }
}
