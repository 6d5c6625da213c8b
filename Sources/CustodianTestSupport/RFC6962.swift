import Crypto
public import Foundation

/// An outsider's verifier, written from RFC 6962 §2.1 and RFC 9162 §2.1.3–2.1.4 and the C2SP
/// signed-note text alone. It shares no code with Custodian's log, so a test that passes through
/// it shows the log speaks the standard, not merely agrees with itself.
public enum RFC6962 {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
    public static func leaf(_ entry: [UInt8]) -> [UInt8] { sha256([0] + entry) }
    public static func node(_ l: [UInt8], _ r: [UInt8]) -> [UInt8] { sha256([1] + l + r) }

    /// MTH(D[n]) by the definition: split at the largest power of two smaller than n.
    public static func mth(_ leaves: [[UInt8]]) -> [UInt8] {
        if leaves.isEmpty { return sha256([]) }
        if leaves.count == 1 { return leaves[0] }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        return node(mth(Array(leaves[..<k])), mth(Array(leaves[k...])))
    }

    /// RFC 9162 §2.1.3.2.
    public static func verifyInclusion(leafHash: [UInt8], index: Int, size: Int, path: [[UInt8]], root: [UInt8]) -> Bool {
        if index >= size { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in path {
            if sn == 0 { return false }
            if fn % 2 == 1 || fn == sn {
                r = node(p, r)
                if fn % 2 == 0 {
                    while fn % 2 == 0 && fn != 0 {
                        fn /= 2
                        sn /= 2
                    }
                }
            } else {
                r = node(r, p)
            }
            fn /= 2
            sn /= 2
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2.
    public static func verifyConsistency(first: Int, second: Int, firstRoot: [UInt8], secondRoot: [UInt8], path proof: [[UInt8]]) -> Bool {
        if first == second { return proof.isEmpty && firstRoot == secondRoot }
        if proof.isEmpty || first > second || first == 0 { return false }
        var path = proof
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }
        var fn = first - 1
        var sn = second - 1
        while fn % 2 == 1 {
            fn /= 2
            sn /= 2
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn % 2 == 1 || fn == sn {
                fr = node(c, fr)
                sr = node(c, sr)
                if fn % 2 == 0 {
                    while fn % 2 == 0 && fn != 0 {
                        fn /= 2
                        sn /= 2
                    }
                }
            } else {
                sr = node(sr, c)
            }
            fn /= 2
            sn /= 2
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }

    /// A C2SP signed note carrying a tlog-checkpoint, checked with a raw Ed25519 public key: the
    /// body up to the blank line is what is signed; the signature line is "— name base64(keyhash
    /// || signature)". Returns (origin, size, root) when a signature verifies.
    public static func openCheckpoint(_ note: String, publicKey: [UInt8]) -> (origin: String, size: Int, root: [UInt8])? {
        let parts = note.components(separatedBy: "\n\n")
        guard parts.count == 2, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return nil }
        let body = parts[0] + "\n"
        let lines = parts[0].components(separatedBy: "\n")
        guard lines.count == 3, let size = Int(lines[1]), let root = Data(base64Encoded: lines[2]) else { return nil }
        let keyHash = Array(sha256(Array((lines[0] + "\n").utf8) + [0x01] + publicKey).prefix(4))
        for line in parts[1].split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "\u{2014}", fields[1] == lines[0],
                let blob = Data(base64Encoded: String(fields[2])), blob.count == 68, Array(blob.prefix(4)) == keyHash
            else { continue }
            if key.isValidSignature(blob.dropFirst(4), for: Data(body.utf8)) { return (lines[0], size, Array(root)) }
        }
        return nil
    }
}
