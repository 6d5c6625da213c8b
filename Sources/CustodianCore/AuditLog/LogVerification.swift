public import Foundation

/// The first thing found wrong with a log, naming the place.
public struct LogFault: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Re-reads a whole log: every entry in order, its leaf hash against the stored tree, every stored
/// tree node it closes, and every checkpoint's root, signature and consistency with the one
/// before. Storage feeds it; it does no I/O.
public struct LogVerification: Sendable {
    public struct Summary: Sendable, Equatable {
        public let entries: Int64
        public let checkpoints: Int
        /// Entries logged after the newest checkpoint: checked against nothing signed yet.
        public let unsigned: Int64
    }

    let verifier: NoteVerifier
    let tiles: [Tiles.Key: Data]
    /// Checkpoints to meet, by size, oldest first; outside ones (kept by someone) included.
    var pending: [StoredCheckpoint]
    var met: [StoredCheckpoint] = []
    var range = CompactRange()
    /// The subject ids the entries name, for comparing with the per-subject index (`SubjectIndexDigest`).
    public private(set) var subjects = SubjectIndexDigest()

    public init(verifier: NoteVerifier, checkpoints: [StoredCheckpoint], tiles: [Tiles.Key: Data]) {
        self.verifier = verifier
        self.pending = checkpoints.sorted { $0.checkpoint.size < $1.checkpoint.size }
        self.tiles = tiles
    }

    public var size: Int64 { range.size }

    /// Checkpoints of size 0 hold before any entry.
    public mutating func start() async throws(LogFault) {
        try await meetCheckpoints()
    }

    /// The next stored entry: its sequence column and its stored bytes.
    public mutating func add(sequence: Int64, bytes: Data) async throws(LogFault) {
        let expected = range.size
        if sequence > expected { throw LogFault("entry \(expected) is missing: the log goes from \(expected - 1) to \(sequence)") }
        if sequence < expected { throw LogFault("entry \(sequence) appears twice or out of order (expected \(expected))") }
        let embedded = CanonicalEntry.embeddedSequence(bytes)
        if embedded != sequence {
            throw LogFault("entry \(sequence): its bytes say they are entry \(embedded); entries were moved or reordered")
        }
        try checkStored(range.append(CanonicalEntry.leafHash(bytes)), sequence: sequence)
        guard CanonicalEntry.openingsMatch(bytes) else {
            throw LogFault("entry \(sequence): its stored details differ from what its signed digests commit to; they were edited")
        }
        try await meetCheckpoints()
    }

    /// The next page of stored entries with their filter columns. The order-free work (hashing,
    /// columns, subjects) runs on every core first; then the page is walked in order, a block of
    /// 256 entries at a time where that block is clean and no checkpoint falls inside it, and
    /// entry by entry (`add(sequence:bytes:)` and the column checks) wherever anything is in
    /// doubt, so the fault reported is the first in the log's order, in the same words.
    public mutating func add(_ page: LogPage) async throws(LogFault) {
        let first = range.size
        let work = await PageWork.run(page, first: first, tiles: tiles, digest: subjects)
        subjects.merge(work.digest)
        let block = PageWork.block
        var i = 0
        while i < page.count {
            let position = first + Int64(i)
            if let root = work.blockRoots[i], range.size == position, clean(page, work, i..<i + block, from: position),
                !(pending.first.map { $0.checkpoint.size > position && $0.checkpoint.size < position + Int64(block) } ?? false),
                let closed = range.append(root, level: Tiles.height)
            {
                try checkStored(closed, sequence: position + Int64(block) - 1)
                try await meetCheckpoints()
                i += block
                continue
            }
            let entry = page.entry(i)
            try await add(sequence: page.sequences[i], bytes: Data(entry))
            try Self.checkColumns(
                page.sequences[i], entry: entry, time: page.times[i], actor: page.actor(i), operation: page.operation(i))
            i += 1
        }
    }

    private func clean(_ page: LogPage, _ work: PageWork, _ entries: Range<Int>, from position: Int64) -> Bool {
        entries.allSatisfy { !work.suspect[$0] && page.sequences[$0] == position + Int64($0 - entries.lowerBound) }
    }

    /// Every stored tree node among `closed` must equal the hash just computed.
    private func checkStored(_ closed: [(level: Int, index: Int64, hash: TreeHash)], sequence: Int64) throws(LogFault) {
        for node in closed where node.level % Tiles.height == 0 {
            let key = Tiles.Key(level: node.level / Tiles.height, index: node.index / Tiles.width)
            let offset = Int(node.index % Tiles.width) * 32
            guard let tile = tiles[key], tile.count >= offset + 32 else { continue }  // not integrated yet
            if tile[tile.startIndex + offset..<tile.startIndex + offset + 32] != node.hash {
                throw node.level == 0
                    ? LogFault("entry \(sequence): its bytes were changed after it was logged (its hash differs from the tree's)")
                    : LogFault("tree node at level \(node.level), index \(node.index): stored hash differs from the entries below it")
            }
        }
    }

    /// The filter columns are copies of what the signed bytes say, kept for speed; any
    /// disagreement is an edit made behind the log's back, named with its entry.
    public static func checkColumns(_ sequence: Int64, entry bytes: [UInt8], time: Int64, actor: String, operation: String)
        throws(LogFault)
    {
        let entry: AuditEntry
        do { entry = try CanonicalEntry.decode(Data(bytes)).entry } catch { throw LogFault("entry \(sequence): \(error)") }
        if actor != entry.actor.description {
            throw LogFault(
                "entry \(sequence): its actor column says \(actor) but its signed bytes say \(entry.actor); the filters were edited")
        }
        if time != entry.at.microseconds {
            throw LogFault("entry \(sequence): its time column disagrees with its signed bytes; the filters were edited")
        }
        if operation != entry.operation.rawValue {
            throw LogFault(
                "entry \(sequence): its operation column says \(operation) but its signed bytes say \(entry.operation.rawValue); the filters were edited"
            )
        }
    }

    /// After the last entry: any checkpoint still unmet is beyond the log's end.
    public func finish() throws(LogFault) -> Summary {
        if let beyond = pending.first {
            throw LogFault(
                "checkpoint at size \(beyond.checkpoint.size) covers entries the log no longer holds (it ends at \(range.size)); entries were deleted"
            )
        }
        let signed = met.last?.checkpoint.size ?? 0
        return Summary(entries: range.size, checkpoints: met.count, unsigned: range.size - signed)
    }

    private mutating func meetCheckpoints() async throws(LogFault) {
        while let next = pending.first, next.checkpoint.size == range.size {
            pending.removeFirst()
            let size = next.checkpoint.size
            let signed: Checkpoint
            do { signed = try verifier.open(next.note) } catch { throw LogFault("checkpoint at size \(size): \(error)") }
            guard signed == next.checkpoint else {
                throw LogFault("checkpoint at size \(size): the stored size or root differs from what its signed note says")
            }
            guard signed.root == range.root else {
                throw LogFault(
                    "checkpoint at size \(size): its root hash does not match entries 0..<\(size); an entry before \(size) was changed, removed or reordered"
                )
            }
            if let previous = met.last, previous.checkpoint.size < size {
                let proof: [TreeHash]
                do {
                    let tiles = self.tiles
                    proof = try await TiledHashes { tiles[$0] }.consistencyProof(old: previous.checkpoint.size, new: size)
                } catch { throw LogFault("checkpoint at size \(size): no consistency proof from \(previous.checkpoint.size): \(error)") }
                guard
                    MerkleVerifier.verifyConsistency(
                        oldSize: previous.checkpoint.size, oldRoot: previous.checkpoint.root,
                        newSize: size, newRoot: signed.root, proof: proof)
                else {
                    throw LogFault("checkpoint at size \(size) is not consistent with checkpoint at size \(previous.checkpoint.size)")
                }
            }
            met.append(next)
        }
    }
}
