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

    /// Nil when the bytes do not follow the layout.
    init?(_ b: UnsafeRawBufferPointer) {
        guard let version = b.first, version == CanonicalEntry.version || version == CanonicalEntry.wideVersion else { return nil }
        var r = Cursor(b: b, at: 1, wide: version == CanonicalEntry.wideVersion)
        guard let sequence = r.int64(), let time = r.int64(), let operation = r.text(), r.text() != nil else { return nil }
        let actor = r.at..<r.at + 16
        guard r.skip(16), r.text() != nil, r.text() != nil, r.optional(), r.optional(), let subjectCount = r.count() else { return nil }
        let subjects = r.at
        guard subjectCount <= (b.count - r.at) / 16, r.skip(subjectCount * 16), r.optional(), let touched = r.count() else { return nil }
        for _ in 0..<touched {
            guard let tag = r.byte() else { return nil }
            switch tag {
            case 0: guard r.text() != nil else { return nil }
            case 1: guard r.text() != nil, r.skip(16) else { return nil }
            default: return nil
            }
        }
        guard r.optional(), r.at == b.count else { return nil }
        (self.sequence, self.at, self.operation, self.actor, self.subjects, self.subjectCount) =
            (sequence, time, operation, actor, subjects, subjectCount)
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
        mutating func optional() -> Bool {
            switch byte() {
            case 0: return true
            case 1: return text() != nil
            default: return false
            }
        }
    }
}
