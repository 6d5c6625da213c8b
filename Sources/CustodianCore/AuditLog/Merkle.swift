public import Foundation
import Crypto

/// A SHA-256 hash in the audit log's Merkle tree.
public typealias TreeHash = Data

/// The Merkle tree hash of RFC 6962 §2.1 (and RFC 9162 §2.1.1), over the log's canonical entries.
/// Leaves and interior nodes are domain-separated (0x00, 0x01), so no entry can pose as a node.
public enum Merkle {
    public static func leafHash(_ entry: some DataProtocol) -> TreeHash {
        var input: [UInt8] = [0x00]
        input.append(contentsOf: entry)
        return input.withUnsafeBytes { input in hashed { FastSHA256.hash(input, into: $0) } }
    }

    public static func nodeHash(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        guard left.count == 32, right.count == 32 else {
            var h = SHA256()  // never stored, but total: any lengths hash as RFC 6962 says
            h.update(data: [0x01])
            h.update(data: left)
            h.update(data: right)
            return Data(h.finalize())
        }
        return left.withUnsafeBytes { l in right.withUnsafeBytes { r in hashed { FastSHA256.node(l, r, into: $0) } } }
    }

    private static func hashed(_ body: (UnsafeMutableRawBufferPointer) -> Void) -> TreeHash {
        var out = Data(count: 32)
        out.withUnsafeMutableBytes(body)
        return out
    }

    /// MTH of the empty tree: the hash of the empty string.
    public static let emptyRoot = Data(SHA256.hash(data: Data()))

    /// The largest power of two strictly less than `n` (n > 1): where RFC 6962 splits a tree.
    public static func split(_ n: Int64) -> Int64 {
        var k: Int64 = 1  // n <= 1 never reaches here (callers stop at one leaf); 1 keeps it total
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH over a list of leaf hashes, straight from the definition. For tests and small ranges.
    public static func root(ofLeaves leaves: ArraySlice<TreeHash>) -> TreeHash {
        switch leaves.count {
        case 0: return emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let k = Int(split(Int64(leaves.count)))
            return nodeHash(root(ofLeaves: leaves.prefix(k)), root(ofLeaves: leaves.dropFirst(k)))
        }
    }
}

/// A proof or range asked of the tree outside it. The register checks bounds first and answers 422;
/// this keeps the tree code itself total.
public struct MerkleRangeError: Error, Sendable {
    public let what: String
}

/// Hashes of complete, aligned subtrees: the node at `level` and `index` covers leaves
/// [index·2^level, (index+1)·2^level). Storage answers these without rebuilding the tree.
public protocol SubtreeHashes: Sendable {
    func hash(level: Int, index: Int64) async throws -> TreeHash
}

extension SubtreeHashes {
    /// MTH(D[start..<end]) for a range that RFC 6962's recursion produces: split into aligned
    /// complete subtrees, each read once.
    public func rangeHash(_ start: Int64, _ end: Int64) async throws -> TreeHash {
        let n = end - start
        guard n > 0 else { throw MerkleRangeError(what: "an empty or reversed range \(start)..<\(end)") }
        if n & (n - 1) == 0, start % n == 0 {
            return try await hash(level: n.trailingZeroBitCount, index: start / n)
        }
        let k = Merkle.split(n)
        return Merkle.nodeHash(try await rangeHash(start, start + k), try await rangeHash(start + k, end))
    }

    public func root(size: Int64) async throws -> TreeHash {
        size == 0 ? Merkle.emptyRoot : try await rangeHash(0, size)
    }

    /// PATH(m, D[0:n]) of RFC 6962 §2.1.1: the audit path of leaf `index` in the tree of `size`.
    public func inclusionProof(index: Int64, size: Int64) async throws -> [TreeHash] {
        guard index >= 0, index < size else { throw MerkleRangeError(what: "leaf \(index) is outside a tree of \(size)") }
        return try await path(index, 0, size)
    }

    private func path(_ m: Int64, _ start: Int64, _ end: Int64) async throws -> [TreeHash] {
        let n = end - start
        if n == 1 { return [] }
        let k = Merkle.split(n)
        if m < k { return try await path(m, start, start + k) + [try await rangeHash(start + k, end)] }
        return try await path(m - k, start + k, end) + [try await rangeHash(start, start + k)]
    }

    /// PROOF(m, D[0:n]) of RFC 6962 §2.1.2: that the tree of size `old` is a prefix of the tree of size `new`.
    public func consistencyProof(old: Int64, new: Int64) async throws -> [TreeHash] {
        guard old >= 0, old <= new else { throw MerkleRangeError(what: "no consistency from \(old) to \(new)") }
        if old == 0 || old == new { return [] }
        return try await subproof(old, 0, new, true)
    }

    private func subproof(_ m: Int64, _ start: Int64, _ end: Int64, _ complete: Bool) async throws -> [TreeHash] {
        let n = end - start
        if m == n { return complete ? [] : [try await rangeHash(start, end)] }
        let k = Merkle.split(n)
        if m <= k { return try await subproof(m, start, start + k, complete) + [try await rangeHash(start + k, end)] }
        return try await subproof(m - k, start + k, end, false) + [try await rangeHash(start, start + k)]
    }
}

/// The right edge of a growing tree: the roots of its complete subtrees, largest first. Appending
/// a leaf costs O(1) amortised and the root of everything so far costs O(log n), so a verifier
/// can walk millions of entries and check a checkpoint at any size on the way.
public struct CompactRange: Sendable, Equatable {
    public private(set) var size: Int64 = 0
    /// (level, hash) of each complete subtree, in leaf order.
    public private(set) var peaks: [(level: Int, hash: TreeHash)] = []

    public init() {}

    /// Rebuilds the range of a tree of `size` from stored subtree hashes.
    public init(size: Int64, from hashes: some SubtreeHashes) async throws {
        var start: Int64 = 0
        for level in stride(from: 63, through: 0, by: -1) where size & (Int64(1) << level) != 0 {
            let width = Int64(1) << level
            peaks.append((level, try await hashes.hash(level: level, index: start / width)))
            start += width
        }
        self.size = size
    }

    /// Adds a leaf hash; returns the complete subtrees this closed, as (level, index, hash), for
    /// storage to keep.
    @discardableResult
    public mutating func append(_ leaf: TreeHash) -> [(level: Int, index: Int64, hash: TreeHash)] {
        append(leaf, level: 0) ?? []
    }

    /// Adds the hash of a complete subtree of 2^level leaves, as if its leaves were appended one by
    /// one: for a verifier that hashed those leaves elsewhere. Nil (and nothing added) unless the
    /// range ends on a multiple of 2^level with no smaller peak, which is where such a subtree starts.
    public mutating func append(_ hash: TreeHash, level: Int) -> [(level: Int, index: Int64, hash: TreeHash)]? {
        let position = size
        guard level >= 0, level < 62, position % (Int64(1) << level) == 0, (peaks.last?.level ?? level) >= level else { return nil }
        var node = (level: level, hash: hash)
        var closed: [(Int, Int64, TreeHash)] = [(level, position >> level, hash)]
        while let last = peaks.last, last.level == node.level {
            peaks.removeLast()
            node = (node.level + 1, Merkle.nodeHash(last.hash, node.hash))
            closed.append((node.level, position >> node.level, node.hash))
        }
        peaks.append(node)
        size += Int64(1) << level
        return closed
    }

    /// MTH of all leaves appended so far: peaks folded right to left.
    public var root: TreeHash {
        guard var hash = peaks.last?.hash else { return Merkle.emptyRoot }
        for peak in peaks.dropLast().reversed() { hash = Merkle.nodeHash(peak.hash, hash) }
        return hash
    }

    public static func == (a: CompactRange, b: CompactRange) -> Bool {
        a.size == b.size && a.peaks.elementsEqual(b.peaks) { $0.level == $1.level && $0.hash == $1.hash }
    }
}

/// Checks proofs as RFC 9162 §2.1.3.2 and §2.1.4.2 describe, for the command-line verifier.
public enum MerkleVerifier {
    public static func rootFromInclusion(leaf: TreeHash, index: Int64, size: Int64, proof: [TreeHash]) -> TreeHash? {
        guard index >= 0, index < size else { return nil }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            if sn == 0 { return nil }
            if fn & 1 == 1 || fn == sn {
                r = Merkle.nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = Merkle.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    public static func verifyConsistency(oldSize: Int64, oldRoot: TreeHash, newSize: Int64, newRoot: TreeHash, proof: [TreeHash]) -> Bool {
        if oldSize == newSize { return oldRoot == newRoot && proof.isEmpty }
        if oldSize == 0 { return proof.isEmpty }
        guard oldSize < newSize, !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]  // non-empty: checked above
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = Merkle.nodeHash(c, fr)
                sr = Merkle.nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = Merkle.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
