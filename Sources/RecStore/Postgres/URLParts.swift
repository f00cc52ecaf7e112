import Foundation

/// The pieces of a `postgres://` URL.
struct URLParts {
    let scheme: String
    let host: String
    let port: Int?
    let user: String?
    let password: String?
    let database: String?
    let requireTLS: Bool

    init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme, let host = components.host, !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port
        self.user = components.user?.removingPercentEncoding ?? components.user
        self.password = components.password?.removingPercentEncoding ?? components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? nil : path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value
        self.requireTLS = sslmode == "require" || sslmode == "verify-full" || sslmode == "verify-ca"
    }
}
