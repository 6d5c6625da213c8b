public import Foundation

/// The bytes a log entry is hashed as: the same on SQLite and PostgreSQL, on any machine, for ever.
/// Integers are big-endian and fixed width, times are integer microseconds, text is UTF-8 with a
/// 16-bit length, optional fields carry a 0/1 presence byte, and fields come in one fixed order:
///
///     u8 version (1 or 2) · u64 sequence · i64 at (µs since 1970) · text operation · text action ·
///     16 bytes actor id · text role · text unit · opt text purpose · opt text justification ·
///     u16 count, 16 bytes each: subject ids · opt text recipient ·
///     u16 count of touched records, each either 0x01 · text kind · 16 bytes id ("kind/uuid")
///     or 0x00 · text (anything else) · opt text outcome
///
/// Version 1 writes lengths and counts in 16 bits. An entry with a text over 65,535 UTF-8 bytes or
/// more than 65,535 subjects or touched records is written as version 2, the same layout with
/// 32-bit lengths and counts, so nothing is ever cut short and every version 1 entry keeps its bytes.
///
/// An outsider needs only this description and SHA-256 to recompute every leaf hash.
public enum CanonicalEntry {
    public static let version: UInt8 = 1
    public static let wideVersion: UInt8 = 2

    public static func encode(_ recorded: RecordedAuditEntry) -> Data {
        let e = recorded.entry
        let texts =
            [
                e.operation.rawValue, e.action, e.role.rawValue, e.unit.code, e.purpose?.rawValue ?? "", e.justification ?? "",
                e.recipient ?? "", e.outcome ?? "",
            ] + e.touched.map(\.description)
        let wide =
            e.subjects.count > Int(UInt16.max) || e.touched.count > Int(UInt16.max) || texts.contains { $0.utf8.count > Int(UInt16.max) }
        var w = Writer(wide: wide)
        w.byte(wide ? wideVersion : version)
        w.u64(UInt64(bitPattern: recorded.sequence))
        w.u64(UInt64(bitPattern: e.at.microseconds))
        w.text(e.operation.rawValue)
        w.text(e.action)
        w.uuid(e.actor.uuid)
        w.text(e.role.rawValue)
        w.text(e.unit.code)
        w.optional(e.purpose?.rawValue)
        w.optional(e.justification)
        w.count(e.subjects.count)
        for s in e.subjects { w.uuid(s.uuid) }
        w.optional(e.recipient)
        w.count(e.touched.count)
        for t in e.touched { w.touched(t.description) }
        w.optional(e.outcome)
        return w.data
    }

    public static func decode(_ data: Data) throws(CanonicalEntryError) -> RecordedAuditEntry {
        var r = Reader(bytes: [UInt8](data))
        switch try r.byte() {
        case version: r.wide = false
        case wideVersion: r.wide = true
        default: throw .malformed("unknown entry version")
        }
        let sequence = Int64(bitPattern: try r.u64())
        let at = Timestamp(microseconds: Int64(bitPattern: try r.u64()))
        guard let operation = AuditEntry.Operation(rawValue: try r.text()) else { throw .malformed("unknown operation") }
        let action = try r.text()
        let actor = UserID(try r.uuid())
        guard let role = Role(rawValue: try r.text()) else { throw .malformed("unknown role") }
        guard let unit = Scope(code: try r.text()) else { throw .malformed("unknown unit") }
        let purposeText = try r.optional()
        let purpose = purposeText.flatMap(Purpose.init(rawValue:))
        if purposeText != nil && purpose == nil { throw .malformed("unknown purpose") }
        let justification = try r.optional()
        let subjects = try (0..<r.count()).map { _ throws(CanonicalEntryError) in SubjectID(try r.uuid()) }
        let recipient = try r.optional()
        let touched = try (0..<r.count()).map { _ throws(CanonicalEntryError) in try r.touched() }
        let outcome = try r.optional()
        guard r.atEnd else { throw .malformed("trailing bytes") }
        return RecordedAuditEntry(
            sequence: sequence,
            entry: AuditEntry(
                at: at, operation: operation, action: action, actorID: actor, role: role, unit: unit, purpose: purpose,
                justification: justification, subjects: subjects, recipient: recipient, touched: touched, outcome: outcome))
    }
}

public enum CanonicalEntryError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    public var description: String { if case .malformed(let why) = self { "malformed entry: \(why)" } else { "" } }
}

private struct Writer {
    let wide: Bool
    // Bytes, not Data: the flush encodes every entry on the writer's one thread (about 10 µs an
    // entry in a profile), and an array takes a byte at a time more cheaply than Data.
    var bytes: [UInt8] = []

    init(wide: Bool) {
        self.wide = wide
        bytes.reserveCapacity(512)
    }

    var data: Data { Data(bytes) }

    mutating func byte(_ b: UInt8) { bytes.append(b) }
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

private struct Reader {
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
