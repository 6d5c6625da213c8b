import Foundation

/// The part of verifying a page that needs no order, spread over every core: each entry's leaf
/// hash, checked against the stored tile; its filter columns against its bytes; its subject ids
/// into the index digest; and the subtree root of each aligned block of 256 entries. An entry
/// with anything amiss is only marked here: the careful path walks it in order and names the fault.
struct PageWork: Sendable {
    /// 32 bytes per entry.
    var leaves: [UInt8] = []
    var suspect: [Bool] = []
    /// The root of each whole block of 256 entries aligned in the tree, keyed by its first entry's
    /// index in the page.
    var blockRoots: [Int: TreeHash] = [:]
    var digest: SubjectIndexDigest

    static let block = Int(Tiles.width)

    /// `first` is the tree position of the page's first entry.
    static func run(_ page: LogPage, first: Int64, tiles: [Tiles.Key: Data], digest: SubjectIndexDigest) async -> PageWork {
        let n = page.count
        let head = min(n, Int((Tiles.width - first % Tiles.width) % Tiles.width))
        let blocks = (n - head) / block
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, blocks))
        // Cut at block boundaries: the unaligned head goes with the first part, the tail with the last.
        let cuts = [0] + (1..<parts).map { head + blocks * $0 / parts * block } + [n]
        let results = await withTaskGroup(of: (Int, PageWork).self) { group in
            for p in 0..<parts {
                let part = cuts[p]..<cuts[p + 1]
                group.addTask { (p, segment(page, part, first: first, head: head, tiles: tiles, digest: digest.empty())) }
            }
            var out = [PageWork?](repeating: nil, count: parts)
            for await (p, work) in group { out[p] = work }
            return out
        }
        var whole = PageWork(digest: digest.empty())
        whole.leaves.reserveCapacity(n * 32)
        whole.suspect.reserveCapacity(n)
        for case let part? in results {
            whole.leaves += part.leaves
            whole.suspect += part.suspect
            whole.blockRoots.merge(part.blockRoots) { a, _ in a }
            whole.digest.merge(part.digest)
        }
        return whole
    }

    private static func segment(
        _ page: LogPage, _ range: Range<Int>, first: Int64, head: Int, tiles: [Tiles.Key: Data], digest: SubjectIndexDigest
    ) -> PageWork {
        var leaves = [UInt8](repeating: 0, count: range.count * 32)
        var suspect = [Bool](repeating: false, count: range.count)
        var roots: [Int: TreeHash] = [:]
        var digest = digest
        page.bytes.withUnsafeBytes { bytes in
            leaves.withUnsafeMutableBytes { leaves in
                for i in range {
                    let at = (i - range.lowerBound) * 32
                    let out = UnsafeMutableRawBufferPointer(rebasing: leaves[at..<at + 32])
                    let prefixed = UnsafeRawBufferPointer(rebasing: bytes[page.leafRange(i)])
                    FastSHA256.hash(prefixed, into: out)
                    let position = first + Int64(i)
                    let fine =
                        matchesTile(UnsafeRawBufferPointer(out), position, tiles)
                        && checks(page, i, UnsafeRawBufferPointer(rebasing: bytes[page.entryRange(i)]), position, &digest)
                    suspect[i - range.lowerBound] = !fine
                }
                var start = max(range.lowerBound, head)
                while start + block <= range.upperBound {
                    let at = (start - range.lowerBound) * 32
                    roots[start] = subtreeRoot(UnsafeRawBufferPointer(rebasing: leaves[at..<at + block * 32]))
                    start += block
                }
            }
        }
        return PageWork(leaves: leaves, suspect: suspect, blockRoots: roots, digest: digest)
    }

    /// The leaf hash agrees with the tree's stored copy, or the tree has not taken it in yet.
    private static func matchesTile(_ hash: UnsafeRawBufferPointer, _ position: Int64, _ tiles: [Tiles.Key: Data]) -> Bool {
        let offset = Int(position % Tiles.width) * 32
        guard let tile = tiles[Tiles.Key(level: 0, index: position / Tiles.width)], tile.count >= offset + 32 else { return true }
        return tile.withUnsafeBytes { same(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + 32]), hash) }
    }

    /// The entry follows the layout, says it is the entry at its position, and its filter columns
    /// agree with it; its subjects go into the digest.
    private static func checks(
        _ page: LogPage, _ i: Int, _ entry: UnsafeRawBufferPointer, _ position: Int64, _ digest: inout SubjectIndexDigest
    ) -> Bool {
        guard let skim = EntrySkim(entry), skim.sequence == position, skim.at == page.times[i] else { return false }
        let sameOperation = page.operations.withUnsafeBytes {
            same(UnsafeRawBufferPointer(rebasing: $0[page.operationRange(i)]), UnsafeRawBufferPointer(rebasing: entry[skim.operation]))
        }
        guard sameOperation, !skim.committed || CommittedEntry.openingsMatch(entry) else { return false }
        return withUnsafeTemporaryAllocation(byteCount: 36, alignment: 1) { text in
            UUIDText.write(UnsafeRawBufferPointer(rebasing: entry[skim.actor]), into: text.bindMemory(to: UInt8.self))
            let sameActor = page.actors.withUnsafeBytes {
                same(UnsafeRawBufferPointer(rebasing: $0[page.actorRange(i)]), UnsafeRawBufferPointer(text))
            }
            guard sameActor else { return false }
            // The index holds each id once: a repeat within the entry counts only at its first place.
            // Most entries name a few people, compared pairwise; a long list goes through a set.
            var seen = skim.subjectCount > 16 ? Set<UInt128>(minimumCapacity: skim.subjectCount) : nil
            for s in 0..<skim.subjectCount {
                let id = UnsafeRawBufferPointer(rebasing: entry[skim.subjects + s * 16..<skim.subjects + s * 16 + 16])
                let repeated: Bool
                if seen != nil {
                    repeated = seen?.insert(id.loadUnaligned(as: UInt128.self)).inserted == false
                } else {
                    repeated = (0..<s).contains {
                        same(UnsafeRawBufferPointer(rebasing: entry[skim.subjects + $0 * 16..<skim.subjects + $0 * 16 + 16]), id)
                    }
                }
                if repeated { continue }
                UUIDText.write(id, into: text.bindMemory(to: UInt8.self))
                digest.add(sequence: page.sequences[i], subject: UnsafeRawBufferPointer(text))
            }
            return true
        }
    }

    private static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }  // both empty
        return memcmp(x, y, a.count) == 0
    }

    /// MTH of 256 consecutive leaf hashes (a complete subtree): 255 node hashes, in place.
    static func subtreeRoot(_ leaves: UnsafeRawBufferPointer) -> TreeHash {
        var row = [UInt8](leaves)
        var width = leaves.count / 32
        row.withUnsafeMutableBytes { row in
            while width > 1 {
                for k in 0..<width / 2 {
                    FastSHA256.node(
                        UnsafeRawBufferPointer(rebasing: row[k * 64..<k * 64 + 32]),
                        UnsafeRawBufferPointer(rebasing: row[k * 64 + 32..<k * 64 + 64]),
                        into: UnsafeMutableRawBufferPointer(rebasing: row[k * 32..<k * 32 + 32]))
                }
                width /= 2
            }
        }
        return Data(row[0..<32])
    }
}
