public import Foundation

/// A UUID's canonical text (8-4-4-4-12 hexadecimal digits), read and written in Swift. Foundation
/// reads it with `sscanf` and writes it with `snprintf`; every id of an import is written and read
/// back once, which made those two calls a tenth of the import's validation.
public enum UUIDText {
    /// Lower-case canonical text, as stored in both databases and shown in the API.
    public static func format(_ uuid: UUID) -> String {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in write(bytes, into: out) }
        }
    }

    /// Writes the lower-case canonical text of the 16 bytes `bytes` into `out` (at least 36
    /// bytes) and returns 36: for comparing stored text with an id's bytes without a String.
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let digits: StaticString = "0123456789abcdef"
        return digits.withUTF8Buffer { hex in
            var at = 0
            for i in 0..<16 {
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    out[at] = UInt8(ascii: "-")
                    at += 1
                }
                let byte = bytes[i]
                out[at] = hex[Int(byte >> 4)]
                out[at + 1] = hex[Int(byte & 0x0F)]
                at += 2
            }
            return at
        }
    }

    /// The UUID a canonical text names, in either case; nil for anything else (braces, a missing
    /// or misplaced hyphen, a sign, white space).
    public static func parse(_ text: some StringProtocol) -> UUID? {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var utf8 = text.utf8.makeIterator()
            var position = 0
            for i in 0..<16 {
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    guard utf8.next() == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = utf8.next().flatMap(nibble), let low = utf8.next().flatMap(nibble) else { return false }
                out[i] = high << 4 | low
                position += 2
            }
            return utf8.next() == nil && position == 36
        }
        return ok ? UUID(uuid: bytes) : nil
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
