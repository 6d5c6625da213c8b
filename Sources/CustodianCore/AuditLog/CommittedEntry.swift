public import Foundation

/// Version 3 of the canonical entry: what a person may be shown of an entry that names them, and
/// nothing more. Each person the entry names is a salted digest in the leaf, and so is everything
/// about staff (who acted, why, and the records touched, which can name other people); the values
/// and salts are stored after the leaf, outside the hash, for the register's own reading and for
/// its auditors. A receipt hands over the leaf and the salt of the person's own digest, so they can
/// recompute it from their own id and find it among the entry's subjects.
///
/// The leaf (hashed), lengths and counts 32 bits:
///
///     u8 3 · u32 the leaf's length in bytes (these five included) · u64 sequence · i64 at (µs) ·
///     text operation · text action · text role · text unit · opt text purpose ·
///     opt text recipient · opt text outcome · u32 count, 32 bytes each: subject digests ·
///     32 bytes staff digest
///
/// The openings (stored after the leaf, never hashed into the tree):
///
///     16 bytes seed · 16 bytes each: subject ids · the staff part: 16 bytes actor id ·
///     opt text justification · u32 count of touched records, each as in version 1
///
/// Field k's salt is SHA-256(0x01 · seed · u32 k), k = 0 for the staff part and 1 + i for subject
/// i; a digest is SHA-256(0x02 · salt · value), the value being a subject id's 16 bytes or the
/// staff part's bytes exactly as stored. Salts come from a seed no reader holds, so a digest cannot
/// be tested against guesses (a known officer's id, a likely justification) without the salt the
/// register chose to reveal, and one person's entries cannot be linked by their digests.
public enum CommittedEntry {
    static let saltTag: UInt8 = 0x01
    static let digestTag: UInt8 = 0x02
    static let seedTag: UInt8 = 0x03
    static let seedLength = 16

    public static func encode(_ recorded: RecordedAuditEntry) -> Data {
        encode(recorded, seed: freshSeed(recorded))
    }

    /// With a given seed: the same entry and seed give the same bytes (tests, and nothing else).
    public static func encode(_ recorded: RecordedAuditEntry, seed: [UInt8]) -> Data {
        let e = recorded.entry
        var staff = EntryWriter(wide: true, capacity: 64)
        staff.uuid(e.actor.uuid)
        staff.optional(e.justification)
        staff.count(e.touched.count)
        for t in e.touched { staff.touched(t.description) }
        let staffBytes = staff.bytes

        var w = EntryWriter(wide: true, capacity: 160 + 48 * e.subjects.count + staffBytes.count)
        w.byte(CanonicalEntry.committedVersion)
        w.raw([0, 0, 0, 0])  // the length, filled in below
        w.u64(UInt64(bitPattern: recorded.sequence))
        w.u64(UInt64(bitPattern: e.at.microseconds))
        w.text(e.operation.rawValue)
        w.text(e.action)
        w.text(e.role.rawValue)
        w.text(e.unit.code)
        w.optional(e.purpose?.rawValue)
        w.optional(e.recipient)
        w.optional(e.outcome)
        w.count(e.subjects.count)
        for (i, s) in e.subjects.enumerated() { w.raw(digest(id: s.uuid, salt: salt(seed, subject: i))) }
        w.raw(digest(staffBytes[...], salt: salt(seed, field: 0)))
        w.setLength(at: 1)
        w.raw(seed)
        for s in e.subjects { w.uuid(s.uuid) }
        w.raw(staffBytes)
        return w.data
    }

    static func decode(_ stored: Data) throws(CanonicalEntryError) -> RecordedAuditEntry {
        let bytes = [UInt8](stored)
        let p = try Parts(bytes)
        var r = EntryReader(bytes: bytes)
        r.wide = true
        r.at = p.staff.lowerBound
        let actor = UserID(try r.uuid())
        let justification = try r.optional()
        let touched = try (0..<r.count()).map { _ throws(CanonicalEntryError) in try r.touched() }
        guard r.atEnd else { throw .malformed("trailing bytes") }
        let subjects = p.subjectIDs.map { at in SubjectID(UUID(uuid: tuple(bytes, at))) }
        guard let operation = AuditEntry.Operation(rawValue: p.operation) else { throw .malformed("unknown operation") }
        guard let role = Role(rawValue: p.role) else { throw .malformed("unknown role") }
        guard let unit = Scope(code: p.unit) else { throw .malformed("unknown unit") }
        let purpose = p.purpose.flatMap(Purpose.init(rawValue:))
        if p.purpose != nil && purpose == nil { throw .malformed("unknown purpose") }
        return RecordedAuditEntry(
            sequence: p.sequence,
            entry: AuditEntry(
                at: Timestamp(microseconds: p.at), operation: operation, action: p.action, actorID: actor, role: role, unit: unit,
                purpose: purpose, justification: justification, subjects: subjects, recipient: p.recipient, touched: touched,
                outcome: p.outcome))
    }

    /// Every digest in the leaf is the digest of its opened value under its salt.
    static func openingsMatch(_ b: UnsafeRawBufferPointer) -> Bool {
        let bytes = [UInt8](b)
        guard let p = try? Parts(bytes) else { return false }
        let seed = Array(bytes[p.seed])
        for (i, at) in p.subjectIDs.enumerated() {
            let id = UUID(uuid: tuple(bytes, at))
            guard digest(id: id, salt: salt(seed, subject: i))[...] == bytes[p.subjectDigests[i]] else { return false }
        }
        return digest(bytes[p.staff], salt: salt(seed, field: 0))[...] == bytes[p.staffDigest]
    }

    /// What a person is handed to find themselves in an entry: which of its subject digests is
    /// theirs and that digest's salt. Nil when the entry is open (its receipt would show everyone)
    /// or does not name them.
    public static func opening(_ stored: Data, for subject: SubjectID) -> SubjectOpening? {
        guard stored.first == CanonicalEntry.committedVersion else { return nil }
        let bytes = [UInt8](stored)
        guard let p = try? Parts(bytes),
            let i = p.subjectIDs.firstIndex(where: { UUID(uuid: tuple(bytes, $0)) == subject.uuid })
        else { return nil }
        return SubjectOpening(position: i, salt: Data(salt(Array(bytes[p.seed]), subject: i)))
    }

    // MARK: salts and digests

    static func salt(_ seed: [UInt8], subject i: Int) -> [UInt8] { salt(seed, field: 1 + UInt32(i)) }

    static func salt(_ seed: [UInt8], field: UInt32) -> [UInt8] {
        hash([saltTag] + seed + (0..<4).map { UInt8(truncatingIfNeeded: field >> (24 - 8 * $0)) })
    }

    public static func digest(id: UUID, salt: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { hash([digestTag] + salt + Array($0)) }
    }

    static func digest(_ value: ArraySlice<UInt8>, salt: [UInt8]) -> [UInt8] { hash([digestTag] + salt + value) }

    private static func hash(_ input: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        input.withUnsafeBytes { i in out.withUnsafeMutableBytes { FastSHA256.hash(i, into: $0) } }
        return out
    }

    private static func tuple(_ b: [UInt8], _ at: Int) -> uuid_t {
        (
            b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7],
            b[at + 8], b[at + 9], b[at + 10], b[at + 11], b[at + 12], b[at + 13], b[at + 14], b[at + 15]
        )
    }

    /// A seed no reader can predict: a key drawn when the process starts, hashed with the entry's
    /// place and time. One hash rather than a system call per entry, on the writer's one thread.
    private static func freshSeed(_ recorded: RecordedAuditEntry) -> [UInt8] {
        var input = [seedTag] + processKey
        for shift in stride(from: 56, through: 0, by: -8) {
            input.append(UInt8(truncatingIfNeeded: recorded.sequence >> Int64(shift)))
            input.append(UInt8(truncatingIfNeeded: recorded.entry.at.microseconds >> Int64(shift)))
        }
        return Array(hash(input).prefix(seedLength))
    }

    private static let processKey: [UInt8] = {
        var random = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
    }()

    /// Where everything lies in a committed entry's stored bytes, found by walking the leaf; the
    /// leaf's texts are read, the openings only located.
    struct Parts {
        var sequence: Int64 = 0
        var at: Int64 = 0
        var operation = "", action = "", role = "", unit = ""
        var purpose: String?, recipient: String?, outcome: String?
        var subjectDigests: [Range<Int>] = []
        var staffDigest: Range<Int> = 0..<0
        var seed: Range<Int> = 0..<0
        var subjectIDs: [Int] = []
        /// The staff part of the openings: from the actor id to the end.
        var staff: Range<Int> = 0..<0

        init(_ bytes: [UInt8]) throws(CanonicalEntryError) {
            var r = EntryReader(bytes: bytes)
            r.wide = true
            guard try r.byte() == CanonicalEntry.committedVersion else { throw .malformed("not a committed entry") }
            let length = try r.count()
            sequence = Int64(bitPattern: try r.u64())
            at = Int64(bitPattern: try r.u64())
            operation = try r.text()
            action = try r.text()
            role = try r.text()
            unit = try r.text()
            purpose = try r.optional()
            recipient = try r.optional()
            outcome = try r.optional()
            let n = try r.count()
            guard n <= (bytes.count - r.at) / 48 else { throw .malformed("more subjects than bytes") }
            for _ in 0..<n {
                subjectDigests.append(r.at..<r.at + 32)
                _ = try r.take(32)
            }
            staffDigest = r.at..<r.at + 32
            _ = try r.take(32)
            guard r.at == length else { throw .malformed("the leaf's length says \(length) bytes but it is \(r.at)") }
            seed = r.at..<r.at + CommittedEntry.seedLength
            _ = try r.take(CommittedEntry.seedLength)
            for _ in 0..<n {
                subjectIDs.append(r.at)
                _ = try r.take(16)
            }
            guard r.at < bytes.count else { throw .malformed("truncated") }
            staff = r.at..<bytes.count
        }
    }
}

/// Which of an entry's subject digests is a person's, and its salt: with their own id, all they
/// need to recompute it.
public struct SubjectOpening: Sendable, Equatable {
    public let position: Int
    public let salt: Data
}
