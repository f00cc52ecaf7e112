import Foundation

/// The OS name of the calling thread (what `top -H` shows), from Linux's `/proc`: where a test's code ran.
public func currentThreadName() -> String {
    ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
}
