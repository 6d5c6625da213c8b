/// Bech32 (BIP 173), as the age format spells X25519 recipients: `age1…`.
enum Bech32 {
    static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l")

    /// The human-readable part and the data bytes, or nil when the string is not valid Bech32
    /// (mixed case, bad characters, bad checksum, or padding that does not round-trip).
    static func decode(_ text: String) -> (hrp: String, data: [UInt8])? {
        guard text == text.lowercased() || text == text.uppercased() else { return nil }
        let lower = text.lowercased()
        guard let separator = lower.lastIndex(of: "1"), lower.distance(from: lower.startIndex, to: separator) >= 1,
            lower.distance(from: separator, to: lower.endIndex) >= 7
        else { return nil }
        let hrp = String(lower[..<separator])
        var values: [UInt8] = []
        for c in lower[lower.index(after: separator)...] {
            guard let v = charset.firstIndex(of: c) else { return nil }
            values.append(UInt8(v))
        }
        guard polymod(expand(hrp) + values) == 1 else { return nil }
        guard let data = convert(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else { return nil }
        return (hrp, data)
    }

    static func encode(hrp: String, data: [UInt8]) -> String {
        // Regrouping 8-bit bytes into padded 5-bit groups accepts every input (only unpadded
        // narrowing can fail), so the fallback is unreachable and still no trap.
        let values = convert(data, from: 8, to: 5, pad: true) ?? []
        let check = polymod(expand(hrp) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        let checksum = (0..<6).map { UInt8((check >> (5 * (5 - $0))) & 31) }
        return hrp + "1" + String((values + checksum).map { charset[Int($0)] })
    }

    private static func expand(_ hrp: String) -> [UInt8] {
        let bytes = Array(hrp.utf8)
        return bytes.map { $0 >> 5 } + [0] + bytes.map { $0 & 31 }
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> i) & 1 == 1 { chk ^= generator[i] }
        }
        return chk
    }

    private static func convert(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var acc = 0
        var bits = 0
        var out: [UInt8] = []
        let maxv = (1 << to) - 1
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            acc = (acc << from) | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((acc >> bits) & maxv))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((acc << (to - bits)) & maxv)) }
        } else if bits >= from || (acc << (to - bits)) & maxv != 0 {
            return nil
        }
        return out
    }
}
