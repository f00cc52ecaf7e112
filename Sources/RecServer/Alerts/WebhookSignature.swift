import Crypto
import RecCore

/// Signs webhook bodies: `X-Recommender-Signature: sha256=<hex HMAC-SHA256 of the body with the webhook's secret>`.
public enum WebhookSignature {
    /// The header carrying the signature.
    public static let header = "X-Recommender-Signature"
    /// The header carrying the delivery id (the same on every retry, for deduplication).
    public static let deliveryHeader = "X-Recommender-Delivery"

    /// `sha256=<hex>` for `body` under `secret`.
    public static func sign(body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + Identifier.hex(mac)
    }

    /// Whether `signature` is `body`'s signature under `secret` (compared in constant time).
    public static func verify(body: [UInt8], signature: String, secret: String) -> Bool {
        let expected = Array(sign(body: body, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }
}
