import NIOSSL

/// HTTPS served by Custodian itself: a certificate chain and its private key, both PEM, read and
/// checked once at start. TLS 1.2 is the oldest version offered; NIOSSL's default ciphers.
public struct ServerTLS: Sendable {
    let configuration: TLSConfiguration

    /// Throws naming the file that cannot be read or is not PEM of the right kind.
    public init(certificateFile: String, keyFile: String) throws {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw TLSFileError(file: certificateFile, what: "a PEM certificate chain", error: error)
        }
        guard !chain.isEmpty else { throw TLSFileError(file: certificateFile, what: "a PEM certificate chain", error: nil) }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw TLSFileError(file: keyFile, what: "a PEM private key", error: error)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        self.configuration = configuration
    }
}

public struct TLSFileError: Error, CustomStringConvertible {
    let file: String
    let what: String
    let error: (any Error)?
    public var description: String { "\(file) is not \(what)\(error.map { " (\($0))" } ?? "")" }
}
