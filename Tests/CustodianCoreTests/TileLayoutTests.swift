import CustodianCore
import Testing

/// The C2SP tlog-tiles layout, checked against the specification's own examples.
@Suite struct TileLayoutTests {
    @Test func pathsAreTheSpecificationsOwn() {
        #expect(TileLayout.indexPath(1_234_067) == "x001/x234/067")
        #expect(TileLayout.indexPath(0) == "000" && TileLayout.indexPath(999) == "999" && TileLayout.indexPath(1000) == "x001/000")
        #expect(TileLayout.tilePath(level: 0, index: 1_234_067, width: 256) == "tile/0/x001/x234/067")
        #expect(TileLayout.tilePath(level: 1, index: 1, width: 17) == "tile/1/001.p/17")
        #expect(TileLayout.entriesPath(index: 273, width: 112) == "tile/entries/273.p/112")
    }

    /// "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0
    /// tile of width 112, one full level 1 tile, one partial level 1 tile of width 17, and one
    /// partial level 2 tile of width 1", and "a tree of size 256 will be represented by a full
    /// level 0 tile and a partial level 1 tile of width 1".
    @Test func aTreeIsTheTilesTheSpecificationCounts() {
        let tiles = TileLayout.tiles(size: 70_000)
        #expect(tiles.filter { $0.level == 0 && $0.width == 256 }.count == 273)
        #expect(tiles.filter { $0.level == 0 && $0.width < 256 }.map(\.width) == [112])
        #expect(tiles.filter { $0.level == 1 }.map(\.width) == [256, 17])
        #expect(tiles.filter { $0.level == 2 }.map(\.width) == [1])
        #expect(tiles.count == 273 + 1 + 2 + 1)
        #expect(TileLayout.tiles(size: 256).map { "\($0.level)/\($0.index)/\($0.width)" } == ["0/0/256", "1/0/1"])
        #expect(TileLayout.tiles(size: 0).isEmpty)
    }
}
