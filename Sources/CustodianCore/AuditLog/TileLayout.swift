/// Where C2SP tlog-tiles puts each piece of a tree: the static files a mirror fetches, checks
/// against a checkpoint and rebuilds the log from, entry by entry.
public enum TileLayout {
    public static let width = 256

    /// A tile's index as path elements of three digits, all but the last led by `x`: 1234067 is `x001/x234/067`.
    public static func indexPath(_ index: Int64) -> String {
        var groups: [String] = []
        var rest = index
        repeat {
            let group = String(rest % 1000)
            groups.insert(String(repeating: "0", count: 3 - group.count) + group, at: 0)
            rest /= 1000
        } while rest > 0
        return groups.enumerated().map { $0.offset < groups.count - 1 ? "x" + $0.element : $0.element }.joined(separator: "/")
    }

    /// `tile/<L>/<N>`, with `.p/<W>` for a partial tile of `width` hashes.
    public static func tilePath(level: Int, index: Int64, width: Int) -> String {
        "tile/\(level)/\(indexPath(index))" + (width == Self.width ? "" : ".p/\(width)")
    }

    /// `tile/entries/<N>`, with `.p/<W>` for a partial bundle of `width` entries.
    public static func entriesPath(index: Int64, width: Int) -> String {
        "tile/entries/\(indexPath(index))" + (width == Self.width ? "" : ".p/\(width)")
    }

    /// Every tile a tree of `size` leaves is served as: at each level, its full tiles and the
    /// partial one (`floor(size / 256^level) mod 256` hashes) when there is one. Level 0's also
    /// name the entry bundles.
    public static func tiles(size: Int64) -> [(level: Int, index: Int64, width: Int)] {
        var tiles: [(level: Int, index: Int64, width: Int)] = []
        var level = 0
        var hashes = size
        while hashes > 0 {
            let full = hashes / Int64(width)
            for index in 0..<full { tiles.append((level, index, width)) }
            let partial = Int(hashes % Int64(width))
            if partial > 0 { tiles.append((level, full, partial)) }
            hashes = full
            level += 1
        }
        return tiles
    }
}
