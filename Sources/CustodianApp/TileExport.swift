import ArgumentParser
import CustodianCore
import CustodianStorage
import Foundation

/// `custodian audit export`: the whole log, as of its newest checkpoint, in the C2SP tlog-tiles
/// layout: `checkpoint`, `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, static files a
/// regulator's mirror serves or reads as they are and checks entry by entry against the signed,
/// cosigned checkpoint. The entries are the leaves the tree hashes: committed entries hold salted
/// digests of the people, staff and reasons they name, never the names themselves.
struct TileExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write the whole log as C2SP tlog-tiles (checkpoint, tiles, entry bundles) into a new folder.")
    @OptionGroup var store: StoreOptions
    @Option(help: "A folder that does not exist yet.") var to: String

    func run() async throws {
        let folder = URL(fileURLWithPath: to)
        guard !FileManager.default.fileExists(atPath: folder.path) else { throw CommandError("--to: \(to) exists already") }
        try await Runtime.with(store) { runtime in
            guard let checkpoint = try await runtime.ledger.latestCheckpoint() else { throw CommandError("the log has no checkpoint yet") }
            let size = checkpoint.checkpoint.size
            let tiles = TileLayout.tiles(size: size)
            for level in Set(tiles.map(\.level)).sorted() {
                let wanted = tiles.filter { $0.level == level }
                let stored = try await runtime.ledger.tiles(level: level, from: 0, through: wanted.map(\.index).max() ?? 0)
                for tile in wanted {
                    guard let hashes = stored[tile.index], hashes.count >= tile.width * 32 else {
                        throw CommandError("tile \(tile.level)/\(tile.index) is missing or short: run custodian audit verify")
                    }
                    try write(hashes.prefix(tile.width * 32), TileLayout.tilePath(level: level, index: tile.index, width: tile.width))
                }
            }
            for bundle in tiles where bundle.level == 0 {
                let entries = try await runtime.ledger.entries(from: bundle.index * Int64(TileLayout.width), count: bundle.width)
                var data = Data()
                for entry in entries {
                    let leaf = entry.canonical
                    guard leaf.count <= Int(UInt16.max) else {
                        throw CommandError(
                            "entry \(entry.recorded.sequence) is \(leaf.count) bytes, more than an entry bundle's 65535: the log cannot be tiled"
                        )
                    }
                    data.append(contentsOf: [UInt8(leaf.count >> 8), UInt8(leaf.count & 0xFF)])
                    data.append(leaf)
                }
                try write(data, TileLayout.entriesPath(index: bundle.index, width: bundle.width))
            }
            // Last, so a mirror that finds the checkpoint finds every tile it needs.
            try write(Data(checkpoint.note.utf8), "checkpoint")
            say("exported \(size) entries in \(tiles.count) tiles and \(tiles.filter { $0.level == 0 }.count) entry bundles to \(to)")
        }
    }

    private func write(_ data: Data, _ path: String) throws {
        let url = URL(fileURLWithPath: to).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o640]) else {
            throw CommandError("cannot write \(url.path)")
        }
    }
}
