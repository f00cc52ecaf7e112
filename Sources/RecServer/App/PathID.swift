import Foundation
import Hummingbird
import RecCore

/// Reads an id from the URL path: percent-decoded (so `caf%C3%A9` is `café`) and held to the id rules.
enum PathID {
    /// The decoded value of the path parameter `name`, or 400 naming it.
    static func require(_ context: AppRequestContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw RecError.invalidField(name, "is not valid percent-encoding")
        }
        if let problem = Identifier.problem(with: decoded) { throw RecError.invalidField(name, problem) }
        return decoded
    }
}
