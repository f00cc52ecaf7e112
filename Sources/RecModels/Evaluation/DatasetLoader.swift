import Foundation
import RecCore

/// Reads interaction files into datasets that share one id space, so a test file's ids line up with training's.
public struct DatasetLoader: Sendable {
    private var users = IDMap()
    private var items = IDMap()

    /// An empty loader.
    public init() {}

    /// Reads `path` in `format`; ids new to this loader get the next dense index.
    public mutating func load(path: String, format: DatasetFormat) throws(RecError) -> Dataset {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidField("path", "cannot read \(path)")
        }
        var interactions: [IndexedInteraction] = []
        interactions.reserveCapacity(data.count / 8)
        var lineNumber = 0
        var failure: RecError?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var fields: [Substring] = []
            var start = 0
            let count = bytes.count
            while start < count, failure == nil {
                var end = start
                while end < count, bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                start = end + 1
                fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" })
                if fields.isEmpty { continue }
                do throws(RecError) {
                    try parse(fields, format: format, line: lineNumber, into: &interactions)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return Dataset(userIDs: users.names, itemIDs: items.names, interactions: interactions)
    }

    private mutating func parse(_ fields: [Substring], format: DatasetFormat, line: Int, into out: inout [IndexedInteraction]) throws(RecError) {
        switch format {
        case .lightgcn:
            let user = users.index(of: fields[0])
            for field in fields.dropFirst() { out.append(IndexedInteraction(user: user, item: items.index(of: field))) }
        case .movielens:
            guard fields.count >= 4, let timestamp = Int64(fields[3]) else {
                throw .invalidField("line \(line)", "expected user, item, rating and timestamp")
            }
            out.append(IndexedInteraction(user: users.index(of: fields[0]), item: items.index(of: fields[1]), weight: 1, timestamp: timestamp))
        case .csv:
            guard fields.count >= 2 else { throw .invalidField("line \(line)", "expected user,item[,weight[,timestamp]]") }
            if line == 1, fields.count >= 3 ? Float(fields[2]) == nil : fields[0].lowercased().contains("user") { return }
            var weight: Float = 1
            var timestamp: Int64 = 0
            if fields.count >= 3 {
                guard let value = Float(fields[2]), value.isFinite else { throw .invalidField("line \(line)", "weight is not a number") }
                weight = value
            }
            if fields.count >= 4 {
                guard let value = Int64(fields[3]) else { throw .invalidField("line \(line)", "timestamp is not whole Unix seconds") }
                timestamp = value
            }
            out.append(IndexedInteraction(user: users.index(of: fields[0]), item: items.index(of: fields[1]), weight: weight, timestamp: timestamp))
        }
    }
}

/// Assigns dense indices to external ids in order of first appearance.
struct IDMap: Sendable {
    private(set) var names: [String] = []
    private var indices: [Substring: Int32] = [:]

    mutating func index(of name: Substring) -> Int32 {
        if let index = indices[name] { return index }
        let index = Int32(names.count)
        indices[name] = index
        names.append(String(name))
        return index
    }
}
