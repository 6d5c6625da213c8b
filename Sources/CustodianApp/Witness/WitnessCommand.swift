import ArgumentParser
import CustodianCore
import Crypto
import Foundation
import Hummingbird
import Logging

/// `custodian witness`: a C2SP tlog-witness for a second body (the regulator, MOPAC, a partner)
/// to run apart from the register, with its own key and its own small state. It cosigns each
/// checkpoint of the logs it is told to trust only when it is consistent with the last one it
/// cosigned, so a register that rolls its log back or shows two logs is caught from outside.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness", abstract: "Run a witness that cosigns a register's audit checkpoints (C2SP tlog-witness).",
        subcommands: [Serve.self, Key.self])

    struct Identity: ParsableArguments {
        @Option(help: "The witness's name, a schemeless URL (regulator.example/custodian-witness).") var name: String
        @Option(help: "The witness's Ed25519 private key (base64 of 32 bytes), made on first start, its owner's alone.")
        var keyFile: String

        func cosigner() throws -> Cosigner {
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "+" }) else {
                throw CommandError("--name: a witness's name is one word with no spaces or '+' (regulator.example/witness)")
            }
            return Cosigner(name: name, privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: try Self.key(keyFile)))
        }

        private static func key(_ path: String) throws -> Data {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                try PrivateFiles.requirePrivate(path, "witness key file")
                guard let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32 else {
                    throw CommandError("\(path) must hold the base64 of exactly 32 bytes")
                }
                return key
            }
            let key = Keyring.generateMasterKey()
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data((key.base64EncodedString() + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw CommandError("cannot create the witness key file \(path)") }
            return key
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the witness's public key (a vkey) for registers and verifiers.")
        @OptionGroup var identity: Identity

        func run() async throws { say(try identity.cosigner().publicKey.verifierKey) }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve add-checkpoint on HTTP.")
        @OptionGroup var identity: Identity
        @Option(help: "The state file: the newest checkpoint cosigned for each log.") var state: String
        @Option(help: "A log's note verifier key (custodian audit public-key); repeat for each log witnessed.") var log: [String]
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on.") var port = 8480

        func run() async throws {
            let cosigner = try identity.cosigner()
            let logs = try log.map { key in
                do { return try NoteVerifier(verifierKey: key) } catch { throw CommandError("--log \(key): \(error)") }
            }
            guard !logs.isEmpty else { throw CommandError("--log: name at least one log's verifier key") }
            guard (1...65_535).contains(port) else { throw CommandError("--port: from 1 to 65535") }
            PrivateFiles.restrictNewFiles()
            let lock = try RegisterLock.acquire(
                state, named: "the witness state \(state)",
                refusal: "one witness process per state, so it cannot cosign two histories of one log; stop that one first")
            defer { lock.release() }
            let witness = try WitnessState(path: state)
            let logger = Logger(label: "custodian.witness")
            let router = Router()
            router.post("add-checkpoint") { request, context -> Response in
                let body = try await request.body.collect(upTo: 64 * 1024)
                let text = String(decoding: body.readableBytesView, as: UTF8.self)
                do {
                    let parsed = try AddCheckpoint(body: text)
                    let line = try await witness.add(
                        parsed, trusting: logs, cosigner: cosigner, now: UInt64(Date().timeIntervalSince1970))
                    return Self.answer(.ok, line, type: "text/plain; charset=utf-8")
                } catch let refusal as WitnessRefusal {
                    // An inconsistent checkpoint signed by the log is evidence of its misbehaviour: kept in the log.
                    logger.warning(
                        "checkpoint refused", metadata: ["status": "\(refusal.status)", "why": "\(refusal)", "request": "\(context.id)"])
                    if case .conflict(let latest) = refusal {
                        return Self.answer(.conflict, "\(latest)\n", type: "text/x.tlog.size")
                    }
                    return Self.answer(HTTPResponse.Status(code: refusal.status), "\(refusal)\n", type: "text/plain; charset=utf-8")
                }
            }
            say("witness \(cosigner.name) on http://\(host):\(port)/add-checkpoint: \(cosigner.publicKey.verifierKey)")
            let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
            try await app.runService()
        }

        static func answer(_ status: HTTPResponse.Status, _ text: String, type: String) -> Response {
            Response(
                status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
