/// Reads records from a spooled upload in chunks: CSV (RFC 4180, quoted fields may hold newlines) or NDJSON lines.
struct RecordReader {
    private let file: ByteFile
    private var buffer: [UInt8] = []
    private var chunk: [UInt8] = []
    private var position = 0
    private var end = 0
    private var finished = false
    /// Bytes consumed so far, for progress.
    private(set) var bytesRead = 0
    /// The longest record accepted; a longer one (e.g. an unterminated quote) stops the import instead of filling memory.
    static let maxRecordBytes = 1 << 20
    /// The 1-based line number where the last record started.
    private(set) var line = 0
    private var nextLine = 1

    init(file: ByteFile) {
        self.file = file
    }

    /// Makes sure an unread byte is buffered; false at the end of the file.
    private mutating func fill() -> Bool {
        if position < end { return true }
        guard !finished else { return false }
        end = file.read(into: &chunk, count: 1 << 20)
        position = 0
        if end == 0 { finished = true }
        return end > 0
    }

    private mutating func nextByte() -> UInt8? {
        guard fill() else { return nil }
        let byte = chunk[position]
        position += 1
        bytesRead += 1
        return byte
    }

    /// The next non-empty NDJSON line's bytes, or nil at the end.
    mutating func nextLineBytes() throws -> [UInt8]? {
        while true {
            buffer.removeAll(keepingCapacity: true)
            line = nextLine
            var sawAny = false
            while let byte = nextByte() {
                sawAny = true
                if byte == 10 { break }
                buffer.append(byte)
                if buffer.count > Self.maxRecordBytes { throw tooLong() }
            }
            nextLine += 1
            if !sawAny { return nil }
            if buffer.last == 13 { buffer.removeLast() }
            if !buffer.allSatisfy({ $0 == 32 || $0 == 9 }) { return buffer }
        }
    }

    /// The next CSV record's fields, or nil at the end; blank lines are skipped.
    mutating func nextCSVRecord() throws -> [String]? {
        while true {
            line = nextLine
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false
            var sawAny = false
            var fieldWasQuoted = false
            var recordBytes = 0
            while let byte = nextByte() {
                sawAny = true
                recordBytes += 1
                if recordBytes > Self.maxRecordBytes { throw tooLong() }
                if quoted {
                    if byte == 34 {
                        if peekIsQuote() {
                            _ = nextByte()
                            field.append(34)
                        } else {
                            quoted = false
                        }
                    } else {
                        if byte == 10 { nextLine += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case 44:
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    fieldWasQuoted = false
                case 34 where field.isEmpty && !fieldWasQuoted:
                    quoted = true
                    fieldWasQuoted = true
                case 10:
                    nextLine += 1
                    if field.last == 13 { field.removeLast() }
                    fields.append(String(decoding: field, as: UTF8.self))
                    if fields.count == 1 && fields[0].isEmpty { fields = []; field = []; fieldWasQuoted = false; line = nextLine; continue }
                    return fields
                default:
                    field.append(byte)
                }
            }
            guard sawAny else { return nil }
            if field.last == 13 { field.removeLast() }
            fields.append(String(decoding: field, as: UTF8.self))
            nextLine += 1
            if fields.count == 1 && fields[0].isEmpty { return nil }
            return fields
        }
    }

    private func tooLong() -> ImportFailure {
        ImportFailure("the record starting at line \(line) is longer than \(Self.maxRecordBytes) bytes (an unterminated quote?)")
    }

    private mutating func peekIsQuote() -> Bool {
        fill() && chunk[position] == 34
    }
}
