import RecCore

/// Turns an error into a bounded label value for error counters.
public enum ErrorClassifier {
    /// `RecError` codes and `LabelledError` short descriptions are bounded; anything else is labelled by its type name.
    public static func label(for error: any Error) -> String {
        if let error = error as? RecError { return error.code }
        if let error = error as? any LabelledError { return error.shortDescription }
        if error is CancellationError { return "cancelled" }
        return String(describing: type(of: error))
    }
}
