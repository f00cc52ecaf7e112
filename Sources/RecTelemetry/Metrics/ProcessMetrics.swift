#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The standard Prometheus process metrics, read from `/proc` at scrape time.
public struct ProcessMetrics: Sendable {
    private let startTimeSeconds: Double

    init() {
        startTimeSeconds = ProcessMetrics.readStartTime() ?? Date().timeIntervalSince1970
    }

    /// Appends the process families to `buffer` in text exposition format.
    func emit(into buffer: inout [UInt8]) {
        var text = ""
        if let stat = Self.readStat() {
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            text += family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", (stat.utime + stat.stime) / ticks)
            text += family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", stat.vsize)
            text += family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", stat.rss * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            text += family("process_open_fds", "gauge", "Number of open file descriptors.", Double(fds.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            text += family("process_max_fds", "gauge", "Maximum number of open file descriptors.", Double(limit.rlim_cur))
        }
        text += family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", startTimeSeconds)
        buffer.append(contentsOf: Array(text.utf8))
    }

    private func family(_ name: String, _ type: String, _ help: String, _ value: Double) -> String {
        "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
    }

    private struct Stat {
        let utime: Double
        let stime: Double
        let startTicks: Double
        let vsize: Double
        let rss: Double
    }

    private static func readStat() -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name, starting at field 3 (state).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 22,
              let utime = Double(fields[11]), let stime = Double(fields[12]),
              let start = Double(fields[19]), let vsize = Double(fields[20]), let rss = Double(fields[21])
        else { return nil }
        return Stat(utime: utime, stime: stime, startTicks: start, vsize: vsize, rss: rss)
    }

    private static func readStartTime() -> Double? {
        guard let stat = readStat(),
              let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let bootTime = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return bootTime + stat.startTicks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
