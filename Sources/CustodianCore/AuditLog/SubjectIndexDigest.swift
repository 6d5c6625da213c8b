/// Compares the per-subject index with what the entries say in one pass over each, in any order:
/// every (entry, subject id text) pair is hashed with keys drawn for this verification alone, and
/// the hashes summed. The writers put one index row per distinct subject of an entry (SQLite's
/// primary key also refuses a repeat; PostgreSQL's index on the subject alone does not), and each
/// entry's subjects are counted once repeated ids are dropped, so an intact index gives an equal
/// sum, and a repeated, missing or changed row gives one that agrees by chance
/// about once in 2^128: the keys did not exist when any edit was made, so no edit can be chosen
/// to cancel out. A disagreement sends the verifier back to find which entry it is.
public struct SubjectIndexDigest: Sendable, Equatable {
    let keys: (UInt64, UInt64)
    private(set) var sums: (UInt64, UInt64) = (0, 0)
    public private(set) var count: Int64 = 0

    public init() {
        var random = SystemRandomNumberGenerator()
        keys = (random.next(), random.next())
    }

    /// A digest with the same keys and nothing in it: for the other side, or a part of a page.
    public func empty() -> SubjectIndexDigest {
        var copy = self
        copy.sums = (0, 0)
        copy.count = 0
        return copy
    }

    /// One index row or entry subject: the entry's sequence number and the id as stored (text).
    public mutating func add(sequence: Int64, subject: UnsafeRawBufferPointer) {
        var first = Hasher()
        first.combine(keys.0)
        first.combine(sequence)
        first.combine(bytes: subject)
        var second = Hasher()
        second.combine(keys.1)
        second.combine(sequence)
        second.combine(bytes: subject)
        sums.0 &+= UInt64(bitPattern: Int64(first.finalize()))
        sums.1 &+= UInt64(bitPattern: Int64(second.finalize()))
        count += 1
    }

    public mutating func merge(_ other: SubjectIndexDigest) {
        sums.0 &+= other.sums.0
        sums.1 &+= other.sums.1
        count += other.count
    }

    public static func == (a: SubjectIndexDigest, b: SubjectIndexDigest) -> Bool {
        a.keys == b.keys && a.sums == b.sums && a.count == b.count
    }
}
