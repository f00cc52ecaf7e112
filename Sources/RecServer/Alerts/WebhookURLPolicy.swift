import Foundation

/// Which webhook URLs are acceptable: http(s) with a host whose every address is public, unless the operator allows
/// private ones (`RECOMMENDER_WEBHOOK_ALLOW_PRIVATE=1`): loopback, private, link-local, carrier-grade NAT, unique-local
/// and unspecified addresses would let a tenant make the service call its own network (server-side request forgery).
struct WebhookURLPolicy: Sendable {
    /// Whether private and loopback destinations are allowed.
    let allowPrivate: Bool

    /// Why a URL cannot be used now.
    enum Problem: Error, Equatable {
        /// Not an acceptable URL at all.
        case invalid(String)
        /// The host does not resolve (perhaps only for now).
        case unresolvable(String)
        /// It resolves to an address webhooks may not reach.
        case forbidden(String)

        /// What is wrong, for people.
        var message: String {
            switch self {
            case .invalid(let text), .unresolvable(let text), .forbidden(let text): text
            }
        }
    }

    /// Why `text` cannot be a webhook URL, or nil when it can. Resolves the host (checked again before each delivery)
    /// on a Dispatch thread: `getaddrinfo` blocks, and must not hold one of the concurrency pool's few threads.
    func problem(with text: String) async -> Problem? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.check(text)) }
        }
    }

    private func check(_ text: String) -> Problem? {
        guard text.utf8.count <= 2_048 else { return .invalid("must be at most 2048 bytes") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else { return .invalid("must be an http or https URL") }
        guard let host = components.host, !host.isEmpty else { return .invalid("must name a host") }
        guard components.user == nil, components.password == nil else { return .invalid("must not carry credentials") }
        if allowPrivate { return nil }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = Self.resolve(bare)
        guard !addresses.isEmpty else { return .unresolvable("host \(host) does not resolve") }
        if let address = addresses.first(where: Self.isPrivate) {
            return .forbidden("points at a private or loopback address (\(address.text)); set RECOMMENDER_WEBHOOK_ALLOW_PRIVATE=1 to allow")
        }
        return nil
    }

    /// An IPv4 or IPv6 address as bytes.
    struct Address {
        let bytes: [UInt8]
        var text: String {
            if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
    }

    static func resolve(_ host: String) -> [Address] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if info.pointee.ai_family == AF_INET, let raw = info.pointee.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    withUnsafeBytes(of: sin.pointee.sin_addr) { addresses.append(Address(bytes: Array($0))) }
                }
            } else if info.pointee.ai_family == AF_INET6, let raw = info.pointee.ai_addr {
                raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin in
                    withUnsafeBytes(of: sin.pointee.sin6_addr) { addresses.append(Address(bytes: Array($0))) }
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    static func isPrivate(_ address: Address) -> Bool {
        let b = address.bytes
        if b.count == 4 {
            return b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (16...31).contains(b[1]))
                || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (64...127).contains(b[1])) || (b[0] == 198 && (18...19).contains(b[1]))
                || (b[0] == 192 && b[1] == 0 && b[2] == 0) || b[0] >= 224
        }
        guard b.count == 16 else { return true }
        if b.allSatisfy({ $0 == 0 }) || (b[0..<15].allSatisfy { $0 == 0 } && b[15] == 1) { return true }  // :: and ::1
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return isPrivate(Address(bytes: Array(b[12..<16]))) }  // ::ffff:a.b.c.d
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) { return isPrivate(Address(bytes: Array(b[12..<16]))) }  // 64:ff9b::/96 (NAT64)
        if b[0] == 0x20 && b[1] == 0x02 { return isPrivate(Address(bytes: Array(b[2..<6]))) }  // 2002::/16 (6to4)
        return (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || b[0] == 0xFF  // fc00::/7, fe80::/10, ff00::/8
    }
}
