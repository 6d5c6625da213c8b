import ArgumentParser
import CustodianCore
import CustodianStorage
import Foundation

/// `custodian decommission`: destroy a register for good, with a certificate anyone can check.
struct DecommissionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decommission", abstract: "Destroy the register with two governance users' agreement; check the certificate.",
        subcommands: [Destroy.self, Verify.self])

    struct Destroy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Destroy the keys, the key store and the register's files or tables; write a signed certificate of destruction.",
            discussion: """
                Keep the log's verifier key (custodian audit public-key) before: the certificate is checked with it. \
                Backups taken before are not reached: destroy them too, or they hold the register still.
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: "A file holding the API token of the governance user who asks.") var askingTokenFile: String
        @Option(help: "A file holding the API token of another governance user, who confirms.") var confirmingTokenFile: String
        @Option(help: "Why the register is destroyed.") var reason: String
        @Option(help: "Where to write the certificate of destruction.") var certificate: String
        @Option(help: "The register's path (or PostgreSQL URL) again, typed out: nothing is destroyed unless it matches.")
        var confirm: String

        func run() async throws {
            let settings = try await store.settings()
            let typed: String
            switch settings.database {
            case .sqlite(let path): typed = path
            case .postgres(let url): typed = url
            }
            guard typed == confirm else {
                throw CommandError("--confirm must name the register being destroyed (\(settings.database)); nothing was destroyed")
            }
            guard !FileManager.default.fileExists(atPath: certificate) else {
                throw CommandError("\(certificate) exists already; nothing was destroyed")
            }
            let decommission = Decommission(
                store: settings, askingToken: try Self.token(askingTokenFile), confirmingToken: try Self.token(confirmingTokenFile),
                reason: reason)
            let destroyed = try await decommission.run()
            guard FileManager.default.createFile(atPath: certificate, contents: Data(destroyed.certificate.utf8)) else {
                say(destroyed.certificate)
                throw CommandError("destroyed, but the certificate could not be written to \(certificate): it is printed above")
            }
            for file in destroyed.files { say("destroyed \(file)") }
            say("certificate of destruction: \(certificate)")
        }

        static func token(_ file: String) throws -> String {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandError("cannot read \(file)") }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a certificate of destruction against the log's verifier key; print what it certifies.")
        @Option(help: "The certificate file.") var certificate: String
        @Option(help: "The log's note verifier key (the first line of custodian audit public-key).") var verifierKey: String

        func run() async throws {
            guard let note = try? String(contentsOfFile: certificate, encoding: .utf8) else {
                throw CommandError("cannot read \(certificate)")
            }
            let text = try Self.verify(note, verifierKey: verifierKey)
            FileHandle.standardOutput.write(Data(text.utf8))
            say("The certificate's signature verifies under \(verifierKey.split(separator: "+").first ?? "").")
        }

        static func verify(_ note: String, verifierKey: String) throws -> String {
            do {
                let text = try NoteVerifier(verifierKey: verifierKey).verifiedText(note)
                guard text.split(separator: "\n").dropFirst().first == "Certificate of destruction of a Custodian register" else {
                    throw CommandError("the note verifies but is not a certificate of destruction")
                }
                return text
            } catch let error as CheckpointError {
                throw CommandError("the certificate does not verify: \(error)")
            }
        }
    }
}
