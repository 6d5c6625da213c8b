import Crypto
public import Foundation

/// A person's check of a receipt, written from the version 3 layout as the letter describes it and
/// sharing no code with the register: walk the leaf to its subject digests, recompute their own.
public enum ReceiptReader {
    /// The leaf's subject digests, or nil when the bytes are not a whole version 3 leaf.
    public static func subjectDigests(_ leaf: [UInt8]) -> [[UInt8]]? {
        var at = 0
        func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, n <= leaf.count - at else { return nil }
            defer { at += n }
            return leaf[at..<at + n]
        }
        func number(_ n: Int) -> Int? { take(n).map { $0.reduce(0) { $0 << 8 | Int($1) } } }
        func text() -> Bool { number(4).flatMap { take($0) } != nil }
        func optional() -> Bool {
            switch take(1)?.first {
            case 0: return true
            case 1: return text()
            default: return false
            }
        }
        guard take(1)?.first == 3, number(4) == leaf.count, take(16) != nil, text(), text(), text(), text(), optional(), optional(),
            optional(), let count = number(4)
        else { return nil }
        var digests: [[UInt8]] = []
        for _ in 0..<count {
            guard let d = take(32) else { return nil }
            digests.append(Array(d))
        }
        // The staff digest, and nothing after it.
        guard take(32) != nil, at == leaf.count else { return nil }
        return digests
    }

    /// SHA-256(0x02 || salt || the id's 16 bytes).
    public static func digest(of id: UUID, salt: [UInt8]) -> [UInt8] {
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        return Array(SHA256.hash(data: [2] + salt + bytes))
    }
}
