/// What verification needs from an entry's canonical bytes, found by walking the layout
/// `CanonicalEntry` describes without building a single String: its sequence and time, where its
/// operation text, actor id and subject ids lie. The walk goes to the last byte, so bytes that do
/// not follow the layout are caught here too; texts are not checked for UTF-8 (the careful path,
/// `CanonicalEntry.decode`, does that when anything about an entry is in doubt).
struct EntrySkim {
    var sequence: Int64 = 0
    var at: Int64 = 0
    var operation: Range<Int> = 0..<0
    var actor: Range<Int> = 0..<0
    /// The first subject id's offset; ids are 16 bytes each, one after another.
    var subjects = 0
    var subjectCount = 0

    /// Whether the entry is committed (version 3): its actor and subjects are then the opened
    /// ids after the leaf, and its digests still need checking (`CommittedEntry.openingsMatch`).
    var committed = false

    /// Nil when the bytes do not follow the layout.
    init?(_ b: UnsafeRawBufferPointer) {
        guard let version = b.first else { return nil }
        if version == CanonicalEntry.committedVersion {
            guard let skim = Self.committed(b) else { return nil }
            self = skim
            return
        }
        guard version == CanonicalEntry.version || version == CanonicalEntry.wideVersion else { return nil }
        var r = Cursor(b: b, at: 1, wide: version == CanonicalEntry.wideVersion)
        guard let sequence = r.int64(), let time = r.int64(), let operation = r.text(), r.text() != nil else { return nil }
        let actor = r.at..<r.at + 16
        guard r.skip(16), r.text() != nil, r.text() != nil, r.optional(), r.optional(), let subjectCount = r.count() else { return nil }
        let subjects = r.at
        guard subjectCount <= (b.count - r.at) / 16, r.skip(subjectCount * 16), r.optional(), r.touched(), r.optional(),
            r.at == b.count
        else { return nil }
        (self.sequence, self.at, self.operation, self.actor, self.subjects, self.subjectCount) =
            (sequence, time, operation, actor, subjects, subjectCount)
    }

    private init() {}

    private static func committed(_ b: UnsafeRawBufferPointer) -> EntrySkim? {
        var r = Cursor(b: b, at: 1, wide: true)
        guard let length = r.count(), let sequence = r.int64(), let time = r.int64(), let operation = r.text(), r.text() != nil,
            r.text() != nil, r.text() != nil, r.optional(), r.optional(), r.optional(), let subjectCount = r.count(),
            subjectCount <= (b.count - r.at) / 48, r.skip(subjectCount * 32 + 32), r.at == length,
            r.skip(CommittedEntry.seedLength)
        else { return nil }
        let subjects = r.at
        guard r.skip(subjectCount * 16) else { return nil }
        let actor = r.at..<r.at + 16
        guard r.skip(16), r.optional(), r.touched(), r.at == b.count else { return nil }
        var skim = EntrySkim()
        (skim.sequence, skim.at, skim.operation, skim.actor, skim.subjects, skim.subjectCount, skim.committed) =
            (sequence, time, operation, actor, subjects, subjectCount, true)
        return skim
    }

    /// A walk over the bytes; every read checks the length first, so a hostile length can only fail.
    private struct Cursor {
        let b: UnsafeRawBufferPointer
        var at: Int
        let wide: Bool

        func has(_ n: Int) -> Bool { n >= 0 && n <= b.count - at }

        mutating func byte() -> UInt8? {
            guard has(1) else { return nil }
            at += 1
            return b[at - 1]
        }
        mutating func count() -> Int? {
            let width = wide ? 4 : 2
            guard has(width) else { return nil }
            var n = 0
            for i in 0..<width { n = n << 8 | Int(b[at + i]) }
            at += width
            return n
        }
        mutating func int64() -> Int64? {
            guard has(8) else { return nil }
            var n: UInt64 = 0
            for i in 0..<8 { n = n << 8 | UInt64(b[at + i]) }
            at += 8
            return Int64(bitPattern: n)
        }
        mutating func skip(_ n: Int) -> Bool {
            guard has(n) else { return false }
            at += n
            return true
        }
        mutating func text() -> Range<Int>? {
            guard let n = count(), has(n) else { return nil }
            at += n
            return at - n..<at
        }
        /// A count of touched records and each record, tagged as `CanonicalEntry` writes them.
        mutating func touched() -> Bool {
            guard let n = count() else { return false }
            for _ in 0..<n {
                switch byte() {
                case 0: guard text() != nil else { return false }
                case 1: guard text() != nil, skip(16) else { return false }
                default: return false
                }
            }
            return true
        }
        mutating func optional() -> Bool {
            switch byte() {
            case 0: return true
            case 1: return text() != nil
            default: return false
            }
        }
    }
}
