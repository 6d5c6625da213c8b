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
        var at = 0
        var wide = false
        func need(_ n: Int) -> Bool { n >= 0 && n <= b.count - at }
        func count() -> Int? {
            let width = wide ? 4 : 2
            guard need(width) else { return nil }
            var n = 0
            for i in 0..<width { n = n << 8 | Int(b[at + i]) }
            at += width
            return n
        }
        func int64() -> Int64? {
            guard need(8) else { return nil }
            var n: UInt64 = 0
            for i in 0..<8 { n = n << 8 | UInt64(b[at + i]) }
            at += 8
            return Int64(bitPattern: n)
        }
        func text() -> Range<Int>? {
            guard let n = count(), need(n) else { return nil }
            defer { at += n }
            return at..<at + n
        }
        func skip(_ n: Int) -> Bool {
            guard need(n) else { return false }
            at += n
            return true
        }
        func optional() -> Bool {
            guard need(1) else { return false }
            at += 1
            switch b[at - 1] {
            case 0: return true
            case 1: return text() != nil
            default: return false
            }
        }

        guard need(1) else { return nil }
        switch b[0] {
        case CanonicalEntry.version: wide = false
        case CanonicalEntry.wideVersion: wide = true
        default: return nil
        }
        at = 1
        guard let sequence = int64(), let time = int64(), let operation = text(), text() != nil else { return nil }
        let actor = at..<at + 16
        guard skip(16), text() != nil, text() != nil, optional(), optional(), let subjectCount = count() else { return nil }
        let subjects = at
        guard subjectCount <= (b.count - at) / 16, skip(subjectCount * 16), optional(), let touched = count() else { return nil }
        for _ in 0..<touched {
            guard need(1) else { return nil }
            at += 1
            switch b[at - 1] {
            case 0: guard text() != nil else { return nil }
            case 1: guard text() != nil, skip(16) else { return nil }
            default: return nil
            }
        }
        guard optional(), at == b.count else { return nil }
        (self.sequence, self.at, self.operation, self.actor, self.subjects, self.subjectCount) =
            (sequence, time, operation, actor, subjects, subjectCount)
    }
}
