import Foundation

/// Writes the layout `CanonicalEntry` describes; `wide` chooses 32-bit lengths and counts.
struct EntryWriter {
    let wide: Bool
    // Bytes, not Data: the flush encodes every entry on the writer's one thread (about 10 µs an
    // entry in a profile), and an array takes a byte at a time more cheaply than Data.
    var bytes: [UInt8] = []

    init(wide: Bool, capacity: Int = 512) {
        self.wide = wide
        bytes.reserveCapacity(capacity)
    }

    var data: Data { Data(bytes) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    /// Writes the number of bytes so far, in 32 bits, over the four bytes at `offset`.
    mutating func setLength(at offset: Int) {
        let n = bytes.count
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: n >> (24 - 8 * i)) }
    }
    /// A length or count: 16 bits in version 1, 32 in version 2 (chosen so every value fits).
    mutating func count(_ n: Int) {
        for shift in stride(from: wide ? 24 : 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: n >> shift)) }
    }
    mutating func u64(_ n: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: n >> UInt64(shift))) }
    }
    mutating func text(_ s: some StringProtocol) {
        count(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }
    mutating func optional(_ s: String?) {
        if let s {
            byte(1)
            text(s)
        } else {
            byte(0)
        }
    }
    mutating func uuid(_ u: UUID) { withUnsafeBytes(of: u.uuid) { bytes.append(contentsOf: $0) } }

    /// `kind/uuid` in 17 + kind bytes rather than 37 + kind; anything else as text. Only the
    /// canonical lower-case form is compacted, so decoding gives back the very same string.
    mutating func touched(_ t: String) {
        if let slash = t.utf8.firstIndex(of: UInt8(ascii: "/")) {
            let id = t[t.index(after: slash)...]
            // What parses, in lower case, is exactly what decoding writes back.
            if let uuid = UUIDText.parse(id), !id.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }) {
                byte(1)
                text(t[..<slash])
                self.uuid(uuid)
                return
            }
        }
        byte(0)
        text(t)
    }
}

struct EntryReader {
    let bytes: [UInt8]
    var wide = false
    var at = 0
    var atEnd: Bool { at == bytes.count }

    mutating func take(_ n: Int) throws(CanonicalEntryError) -> ArraySlice<UInt8> {
        // Compared without adding, so a hostile length near Int.max cannot overflow.
        guard n >= 0, n <= bytes.count - at else { throw .malformed("truncated") }
        defer { at += n }
        return bytes[at..<at + n]
    }
    mutating func byte() throws(CanonicalEntryError) -> UInt8 {
        let one = try take(1)
        return one[one.startIndex]
    }
    mutating func count() throws(CanonicalEntryError) -> Int { try take(wide ? 4 : 2).reduce(0) { $0 << 8 | Int($1) } }
    mutating func u64() throws(CanonicalEntryError) -> UInt64 { try take(8).reduce(0) { $0 << 8 | UInt64($1) } }
    mutating func text() throws(CanonicalEntryError) -> String {
        guard let s = String(validating: try take(try count()), as: UTF8.self) else { throw .malformed("text is not UTF-8") }
        return s
    }
    mutating func optional() throws(CanonicalEntryError) -> String? {
        switch try byte() {
        case 0: return nil
        case 1: return try text()
        default: throw .malformed("bad presence byte")
        }
    }
    mutating func uuid() throws(CanonicalEntryError) -> UUID {
        let b = Array(try take(16))
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
    mutating func touched() throws(CanonicalEntryError) -> AuditResource {
        let logged: String
        switch try byte() {
        case 0: logged = try text()
        case 1: logged = try text() + "/" + UUIDText.format(try uuid())
        default: throw .malformed("bad touched tag")
        }
        guard let resource = AuditResource(logged: logged) else { throw .malformed("touched record of no known kind") }
        return resource
    }
}
