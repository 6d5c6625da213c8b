public import Foundation

/// A plain POSIX ustar archive of regular files, so a package holds several files in one
/// encrypted stream and opens with `tar` everywhere.
public struct TarArchive: Sendable {
    public private(set) var data = Data()
    let modified: Int64

    public init(modified: Timestamp) { self.modified = modified.microseconds / 1_000_000 }

    public mutating func add(_ name: String, _ contents: Data) throws(TarNameTooLong) {
        guard name.utf8.count < 100 else { throw TarNameTooLong(name: name) }
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, b) in text.utf8.enumerated() { header[offset + i] = b } }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(String(format: "%011o", contents.count), at: 124)
        put(String(format: "%011o", modified), at: 136)
        put("        ", at: 148)
        header[156] = UInt8(ascii: "0")
        put("ustar", at: 257)
        put("00", at: 263)
        put("custodian", at: 265)
        put("custodian", at: 297)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", checksum), at: 148)
        header[154] = 0
        header[155] = UInt8(ascii: " ")
        data += header
        data += contents
        data += Data(repeating: 0, count: (512 - contents.count % 512) % 512)
    }

    /// The archive with its two closing empty blocks.
    public var finished: Data { data + Data(repeating: 0, count: 1024) }
}

/// ustar keeps names under 100 bytes; a package's names are fixed and short.
public struct TarNameTooLong: Error, Sendable {
    public let name: String
}
