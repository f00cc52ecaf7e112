/// An error that names its kind with a short, bounded code, so error counters can use it as a label value (as
/// async-http-client's `HTTPClientError.shortDescription` does).
public protocol LabelledError: Error {
    /// A bounded label value such as `lease_lost`; never a message or an id.
    var shortDescription: String { get }
}
