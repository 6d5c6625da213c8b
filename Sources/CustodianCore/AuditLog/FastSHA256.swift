import CCryptoBoringSSL

/// SHA-256 in one call into BoringSSL, the implementation swift-crypto itself wraps (with the
/// CPU's SHA instructions where it has them). Crypto's `SHA256` allocates a context object per
/// hash, which was most of the cost of verifying the log's two hashes per entry; this allocates
/// nothing. `CCryptoBoringSSL` is swift-crypto's own module, not one of its products: if a release
/// ever hides it, the build fails here, and `leafAndNodeHashesAreSHA256OfTheirRFC6962Input` checks
/// every result against Crypto's `SHA256`.
enum FastSHA256 {
    /// SHA-256 of `input` into the 32 bytes at `out`.
    static func hash(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        guard let target = out.baseAddress?.assumingMemoryBound(to: UInt8.self), out.count >= 32 else { return }
        _ = CCryptoBoringSSL_SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, target)
    }

    /// RFC 6962's interior node: SHA-256(0x01 || left || right), for two 32-byte hashes.
    static func node(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { input in
            input[0] = 0x01
            UnsafeMutableRawBufferPointer(rebasing: input[1..<33]).copyMemory(from: left)
            UnsafeMutableRawBufferPointer(rebasing: input[33..<65]).copyMemory(from: right)
            hash(UnsafeRawBufferPointer(input), into: out)
        }
    }
}
