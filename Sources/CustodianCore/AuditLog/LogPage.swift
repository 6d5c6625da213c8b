/// A run of stored log entries as verification reads them: each entry's sequence column, the
/// filter columns kept beside it, and its canonical bytes, all in a few contiguous buffers, so a
/// million entries cost a handful of allocations rather than millions.
///
/// Each entry's bytes are stored after a 0x00 byte: the leaf prefix of RFC 6962, so a leaf hash
/// is one SHA-256 call over a slice of `bytes`.
public struct LogPage: Sendable {
    public private(set) var sequences: [Int64] = []
    /// The `at_us` column.
    public private(set) var times: [Int64] = []
    /// 0x00 then the entry's stored bytes, for each entry in turn; `ends[i]` is where entry i
    /// stops and `leafEnds[i]` where its leaf does (before a committed entry's openings).
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var leafEnds: [Int] = []
    /// The `actor_id` and `operation` columns' UTF-8, one after another, with where each stops.
    var actors: [UInt8] = []
    var actorEnds: [Int] = []
    var operations: [UInt8] = []
    var operationEnds: [Int] = []

    public init(capacity: Int = 0) {
        sequences.reserveCapacity(capacity)
        times.reserveCapacity(capacity)
        ends.reserveCapacity(capacity)
        leafEnds.reserveCapacity(capacity)
        actorEnds.reserveCapacity(capacity)
        operationEnds.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 256)
        actors.reserveCapacity(capacity * 36)
        operations.reserveCapacity(capacity * 12)
    }

    public var count: Int { sequences.count }

    public mutating func append(
        sequence: Int64, time: Int64, actor: UnsafeRawBufferPointer, operation: UnsafeRawBufferPointer, entry: UnsafeRawBufferPointer
    ) {
        sequences.append(sequence)
        times.append(time)
        bytes.append(0x00)
        leafEnds.append(bytes.count + CanonicalEntry.leafLength(entry))
        bytes.append(contentsOf: entry.assumingMemoryBound(to: UInt8.self))
        ends.append(bytes.count)
        actors.append(contentsOf: actor.assumingMemoryBound(to: UInt8.self))
        actorEnds.append(actors.count)
        operations.append(contentsOf: operation.assumingMemoryBound(to: UInt8.self))
        operationEnds.append(operations.count)
    }

    /// For readers that hold the text columns as Strings.
    public mutating func append(sequence: Int64, time: Int64, actor: String, operation: String, entry: UnsafeRawBufferPointer) {
        var actor = actor
        var operation = operation
        actor.withUTF8 { a in
            operation.withUTF8 { o in append(sequence: sequence, time: time, actor: .init(a), operation: .init(o), entry: entry) }
        }
    }

    /// Where entry `i`'s leaf, after its 0x00, lies in `bytes`: what its leaf hash is taken over.
    func leafRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<leafEnds[i] }
    /// Where entry `i`'s stored bytes lie in `bytes`.
    func entryRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1]) + 1..<ends[i] }
    func actorRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : actorEnds[i - 1])..<actorEnds[i] }
    func operationRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : operationEnds[i - 1])..<operationEnds[i] }

    /// Entry `i`'s stored bytes, copied out: for the careful path that names a fault.
    public func entry(_ i: Int) -> [UInt8] { Array(bytes[entryRange(i)]) }
    public func actor(_ i: Int) -> String { String(decoding: actors[actorRange(i)], as: UTF8.self) }
    public func operation(_ i: Int) -> String { String(decoding: operations[operationRange(i)], as: UTF8.self) }
}
