public import Foundation

/// The bytes a log entry is hashed as: the same on SQLite and PostgreSQL, on any machine, for ever.
/// Integers are big-endian and fixed width, times are integer microseconds, text is UTF-8 with a
/// length before it, optional fields carry a 0/1 presence byte, and fields come in one fixed order.
///
/// New entries are written committed (version 3, `CommittedEntry`): the leaf holds a salted digest
/// of the actor, the justification, each person and each touched record, so a person can be shown
/// that an entry names them without being shown anyone or anything else in it. The openings are
/// stored after the leaf, outside the hash. Entries written open (versions 1 and 2) keep their
/// bytes and are verified as they always were:
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
    public static let committedVersion: UInt8 = 3

    /// The stored bytes of a new entry: committed, with fresh salts.
    public static func encode(_ recorded: RecordedAuditEntry) -> Data { CommittedEntry.encode(recorded) }

    /// Any stored entry back to what it records. Openings are not checked against their digests
    /// here (`openingsMatch` does that, and verification calls it).
    public static func decode(_ stored: Data) throws(CanonicalEntryError) -> RecordedAuditEntry {
        if stored.first == committedVersion { return try CommittedEntry.decode(stored) }
        return try decodeOpen(stored)
    }

    /// The bytes the leaf hash is computed over: a committed entry without its openings, an open
    /// entry whole.
    public static func leaf(_ stored: Data) -> Data {
        stored.withUnsafeBytes { stored.prefix(leafLength($0)) }
    }

    public static func leafHash(_ stored: Data) -> TreeHash { Merkle.leafHash(leaf(stored)) }

    /// How many of the stored bytes are the leaf; all of them when the length a committed entry
    /// claims cannot be right (verification then finds the hash or the layout wrong).
    static func leafLength(_ b: UnsafeRawBufferPointer) -> Int {
        guard b.count >= 5, b[0] == committedVersion else { return b.count }
        let n = (1..<5).reduce(0) { $0 << 8 | Int(b[$1]) }
        return n >= 5 && n <= b.count ? n : b.count
    }

    /// The sequence number the entry's bytes carry, or -1 when they are too short to carry one.
    static func embeddedSequence(_ stored: Data) -> Int64 {
        let at = stored.first == committedVersion ? 5 : 1
        guard stored.count >= at + 8 else { return -1 }
        return stored.dropFirst(at).prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    /// Whether a committed entry's openings are what its leaf commits to; an open entry has none.
    public static func openingsMatch(_ stored: Data) -> Bool {
        stored.first != committedVersion || stored.withUnsafeBytes { CommittedEntry.openingsMatch($0) }
    }

    /// Versions 1 and 2: kept to read and verify old logs, and for tests of them.
    public static func encodeOpen(_ recorded: RecordedAuditEntry) -> Data {
        let e = recorded.entry
        let texts =
            [
                e.operation.rawValue, e.action, e.role.rawValue, e.unit.code, e.purpose?.rawValue ?? "", e.justification ?? "",
                e.recipient ?? "", e.outcome ?? "",
            ] + e.touched.map(\.description)
        let wide =
            e.subjects.count > Int(UInt16.max) || e.touched.count > Int(UInt16.max) || texts.contains { $0.utf8.count > Int(UInt16.max) }
        var w = EntryWriter(wide: wide)
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

    static func decodeOpen(_ data: Data) throws(CanonicalEntryError) -> RecordedAuditEntry {
        var r = EntryReader(bytes: [UInt8](data))
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
