import ArgumentParser
import CustodianCore
import CustodianStorage
import Foundation

/// `custodian audit`: check the log as an outsider would, and publish its key.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify the audit log; print its public key.",
        subcommands: [Verify.self, PublicKey.self, Checkpoint.self, TileExport.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Re-read every entry, rebuild the tree, check every checkpoint's root, signature and consistency with the one before.",
            discussion: "Exits non-zero naming the first bad entry or checkpoint.")
        @OptionGroup var store: StoreOptions
        @Option(help: "A signed checkpoint someone kept (a file): check that today's log is consistent with it.") var checkpoint: String?

        func run() async throws {
            try await Runtime.with(store) { runtime in try await verify(runtime) }
        }

        /// What `witness` vouches for: the largest checkpoint it cosigned, its cosignature checked
        /// against its key over the checkpoint just verified.
        func vouching(_ witness: WitnessEndpoint, _ ledger: SQLAuditLedger) async throws {
            guard let size = try await ledger.cosignedSize(by: witness.name), let stored = try await ledger.checkpoint(size: size) else {
                say("witness \(witness.name) has cosigned no checkpoint of this log")
                return
            }
            let time: UInt64?
            do { time = try witness.key.cosignedAt(stored.note) } catch {
                throw CommandError(
                    "audit log verification failed: the cosignature kept for witness \(witness.name) at \(size) entries: \(error)")
            }
            guard let time else {
                throw CommandError("audit log verification failed: no cosignature by witness \(witness.name) at \(size) entries")
            }
            let at = Date(timeIntervalSince1970: TimeInterval(time)).formatted(.iso8601)
            say("witness \(witness.name) vouches for the log's first \(size) entries (cosigned \(at))")
        }

        func verify(_ runtime: Runtime) async throws {
            var outside: [StoredCheckpoint] = []
            if let file = checkpoint {
                guard let note = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandError("cannot read \(file)") }
                do {
                    let kept = try runtime.ledger.verifier.open(note)
                    outside.append(StoredCheckpoint(checkpoint: kept, note: note, publishedAt: Timestamp(microseconds: 0)))
                } catch {
                    throw CommandError("\(file): \(error)")
                }
            }
            let started = ContinuousClock.now
            do {
                let summary = try await runtime.ledger.verify(
                    also: outside, progress: { [progress = ProgressLine()] p in progress.write(p) })
                let seconds = max((ContinuousClock.now - started) / .seconds(1), 1e-9)
                say(
                    "verified \(summary.entries) entries and \(summary.checkpoints) checkpoints in \(String(format: "%.2f", seconds)) s (\(Int(Double(summary.entries) / seconds)) entries/s)"
                )
                if summary.unsigned > 0 {
                    say("\(summary.unsigned) newest entries are not yet under a checkpoint (`custodian audit checkpoint` publishes one)")
                }
                if let file = checkpoint { say("\(file) is consistent with today's log") }
                for witness in runtime.witnesses { try await vouching(witness, runtime.ledger) }
            } catch let fault as LogFault {
                throw CommandError("audit log verification failed: \(fault)")
            }
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key", abstract: "Print the checkpoint signing key: note verifier key, then raw base64.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await Runtime.with(store) { runtime in
                say(runtime.ledger.verifier.verifierKey)
                say(runtime.ledger.verifier.rawPublicKey.base64EncodedString())
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Integrate everything logged and print the newest signed checkpoint.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await Runtime.with(store) { runtime in
                try await runtime.ledger.publish()
                guard let latest = try await runtime.ledger.latestCheckpoint() else { throw CommandError("the log is empty") }
                if let kept = runtime.published {
                    try kept.keep(latest, over: try kept.read(runtime.ledger.verifier)?.checkpoint.size)
                }
                FileHandle.standardOutput.write(Data(latest.note.utf8))
            }
        }
    }
}
