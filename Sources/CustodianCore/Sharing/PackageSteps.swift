public import Foundation

/// How a partner opens and checks a package, step by step, with stock tools (age, tar, OpenSSL,
/// sha256sum): the portal shows these very commands, and a test runs them.
public enum PackageSteps {
    public struct Step: Sendable, Equatable {
        public let say: String
        /// A shell command to type in the folder holding the package; nil where there is none.
        public let command: String?
    }

    /// The signing key as OpenSSL reads it: the raw Ed25519 key inside its SubjectPublicKeyInfo
    /// (RFC 8410), PEM-armoured.
    public static func publicKeyPEM(_ verifier: NoteVerifier) -> String {
        let spki = Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]) + verifier.rawPublicKey
        return "-----BEGIN PUBLIC KEY-----\n\(spki.base64EncodedString())\n-----END PUBLIC KEY-----\n"
    }

    public static let identityFile = "your-organisation.key"
    public static let keyFile = "custodian.pem"

    public static func steps(for disclosure: DisclosureID) -> [Step] {
        let name = "custodian-\(disclosure)"
        return [
            Step(say: "Download the package and save it in a folder of its own, as \(name).age.", command: nil),
            Step(
                say: "Open it with age and your organisation's identity file (the key whose public half Custodian holds).",
                command: "age --decrypt -i \(identityFile) -o \(name).tar \(name).age"),
            Step(
                say: "Unpack it: five files, the records as JSON and CSV, the manifest, its signature and a README.",
                command: "tar -xf \(name).tar"),
            Step(
                say:
                    "Save Custodian's key (shown below) as \(keyFile), and check the manifest is signed by it. OpenSSL says \"Signature Verified Successfully\".",
                command:
                    "base64 -d manifest.sig > manifest.sig.bin && openssl pkeyutl -verify -pubin -inkey \(keyFile) -rawin -in manifest.json -sigfile manifest.sig.bin"
            ),
            Step(
                say:
                    "Check the records are the ones the manifest names: each SHA-256 must equal recordsJSONSHA256 and recordsCSVSHA256 in manifest.json.",
                command: "sha256sum records.json records.csv && grep -o '\"records[A-Z]*SHA256\" *: *\"[0-9a-f]*\"' manifest.json"),
            Step(
                say:
                    "Use the records only for the agreement's purpose, keep them no longer than the date shown, and delete them at once if Custodian recalls them.",
                command: nil),
        ]
    }
}
