import CustodianCore
import Foundation
import Testing

@Suite struct HexTests {
    /// Tokens, search tokens and checkpoint key hashes stored before must still match: every byte
    /// written as Foundation's `%02x` wrote it.
    @Test func everyByteIsWrittenAsPrintfWroteIt() {
        let all = (0...255).map { UInt8($0) }
        #expect(Hex.lowercase(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.lowercase([UInt8]()) == "")
    }
}
