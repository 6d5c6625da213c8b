import Dispatch
import Synchronization

/// A long CSV file cut into pieces at record boundaries, so each core reads one piece. Finding a
/// boundary needs only the four bytes that shape a record (quote, comma, CR, LF), all ASCII and so
/// never inside a multi-byte character; the fields themselves are read by CSV.swift. The walk
/// follows CSV.swift's own reading (a quote opens a field only at its start; inside one, a quote
/// followed by anything but a comma or a line break stays inside), so a file read in pieces gives
/// exactly the rows it gives read whole, hostile files included (tested).
enum CSVPieces {
    /// Files under this size are read whole: splitting costs more than it saves.
    static let minimumSplitBytes = 1 << 20

    /// `text` in at most `pieces` parts, each ending after a record's line break (the last
    /// ending with the file). One part when no boundary is found.
    static func split(_ text: String, pieces: Int) -> [String] {
        guard pieces > 1 else { return [text] }
        var text = text
        return text.withUTF8 { bytes in
            let cuts = boundaries(bytes, pieces: pieces)
            var parts: [String] = []
            var start = 0
            for cut in cuts + [bytes.count] where cut > start {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cut]), as: UTF8.self))
                start = cut
            }
            return parts.isEmpty ? [""] : parts
        }
    }

    /// Byte offsets just after a record-ending line feed, the first at or after each even share
    /// of the file.
    static func boundaries(_ bytes: UnsafeBufferPointer<UInt8>, pieces: Int) -> [Int] {
        let (quote, comma, cr, lf) = (UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "\r"), UInt8(ascii: "\n"))
        enum State { case fieldStart, unquoted, quoted }
        var state = State.fieldStart
        var cuts: [Int] = []
        var next = bytes.count / pieces
        var i = 0
        while i < bytes.count, cuts.count < pieces - 1 {
            let c = bytes[i]
            switch state {
            case .fieldStart, .unquoted:
                if c == lf {
                    if i + 1 >= next {
                        cuts.append(i + 1)
                        next = max(i + 1, bytes.count / pieces * (cuts.count + 1))
                    }
                    state = .fieldStart
                } else if c == cr || c == comma {
                    state = .fieldStart
                } else if c == quote, state == .fieldStart {
                    state = .quoted
                } else {
                    state = .unquoted
                }
            case .quoted:
                if c == quote {
                    let after = i + 1 < bytes.count ? bytes[i + 1] : nil
                    if after == comma || after == nil {
                        state = .fieldStart
                    } else if after == cr || after == lf {
                        // The field and its record end here; the line break is the record's end.
                        state = .fieldStart
                    } else {
                        // An escaped quote, or (as CSV.swift reads it) a stray one: still inside.
                        i += 1
                    }
                }
            }
            i += 1
        }
        return cuts
    }

    /// Reads each piece on its own thread with `read`, in order; the first error, if any, is thrown.
    static func readAll<Row: Sendable>(_ parts: [String], _ read: @Sendable (String) throws -> [Row]) throws -> [Row] {
        if parts.count == 1 { return try read(parts[0]) }
        let results = Mutex<[Int: Result<[Row], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: parts.count) { i in
            let result = Result { try read(parts[i]) }
            results.withLock { $0[i] = result }
        }
        var all: [Row] = []
        for i in parts.indices {
            guard let result = results.withLock({ $0[i] }) else { continue }
            all += try result.get()
        }
        return all
    }
}
