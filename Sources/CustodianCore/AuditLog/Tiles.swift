public import Foundation

/// The tree kept as tiles, after C2SP tlog-tiles: tile level `t` holds the Merkle nodes of level
/// 8t, 256 to a tile, so a tree of n entries keeps about 32·n·(1 + 1/256 + …) bytes, and any node
/// of a complete subtree is one tile read and at most 127 hashes away.
public enum Tiles {
    public static let height = 8
    public static let width: Int64 = 256

    public struct Key: Hashable, Sendable {
        public let level: Int
        public let index: Int64
        public init(level: Int, index: Int64) { (self.level, self.index) = (level, index) }
    }

    /// The stored nodes a batch of newly closed subtrees adds, grouped by tile: for each tile, the
    /// offset within it of the first new hash and the new hashes in order.
    public static func additions(_ closed: [(level: Int, index: Int64, hash: TreeHash)]) -> [Key: (offset: Int, hashes: Data)] {
        var out: [Key: (offset: Int, hashes: Data)] = [:]
        for node in closed where node.level % height == 0 {
            let key = Key(level: node.level / height, index: node.index / width)
            let offset = Int(node.index % width)
            if var existing = out[key] {
                existing.hashes.append(node.hash)
                out[key] = existing
            } else {
                out[key] = (offset, node.hash)
            }
        }
        return out
    }
}

/// Subtree hashes read from tiles through `fetch`, which gives a tile's bytes or nil.
public struct TiledHashes: SubtreeHashes {
    let fetch: @Sendable (Tiles.Key) async throws -> Data?

    public init(fetch: @escaping @Sendable (Tiles.Key) async throws -> Data?) { self.fetch = fetch }

    public func hash(level: Int, index: Int64) async throws -> TreeHash {
        let rise = level % Tiles.height
        let first = index << Int64(rise)
        let count = 1 << rise
        let key = Tiles.Key(level: level / Tiles.height, index: first / Tiles.width)
        let offset = Int(first % Tiles.width)
        guard let tile = try await fetch(key), tile.count >= (offset + count) * 32 else {
            throw TreeDataError.missing("no stored hash for the subtree at level \(level), index \(index)")
        }
        var row = (0..<count).map { i in Data(tile[tile.startIndex + (offset + i) * 32..<tile.startIndex + (offset + i + 1) * 32]) }
        while row.count > 1 {
            row = stride(from: 0, to: row.count, by: 2).map { Merkle.nodeHash(row[$0], row[$0 + 1]) }
        }
        return row[0]
    }
}

public enum TreeDataError: Error, CustomStringConvertible {
    case missing(String)
    public var description: String { if case .missing(let why) = self { "tree data: \(why)" } else { "" } }
}
