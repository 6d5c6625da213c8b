import AsyncHTTPClient
import CustodianCore
import CustodianStorage
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Sends the register's newest checkpoint to each of its witnesses (C2SP tlog-witness), with a
/// consistency proof from the last one that witness cosigned, and keeps each cosignature, so the
/// checkpoint the register publishes is the cosigned one. A witness that has cosigned a larger
/// log, or another log, has caught a rollback or a fork: the server will not start on one, and
/// says so loudly while it serves.
struct WitnessCollector: Service {
    let ledger: SQLAuditLedger
    let witnesses: [WitnessEndpoint]
    let interval: Duration
    let logger: Logger

    /// What a witness's answer proves against this register.
    enum Finding: Error, CustomStringConvertible {
        case rollback(witness: String, cosigned: Int64, size: Int64)
        case fork(witness: String, why: String)

        var description: String {
            switch self {
            case .rollback(let witness, let cosigned, let size):
                "witness \(witness) has cosigned this log at \(cosigned) entries, and it holds \(size): a rollback, "
                    + "\(cosigned - size) published \(cosigned - size == 1 ? "entry" : "entries") gone"
            case .fork(let witness, let why): "witness \(witness) refuses this log as another than the one it cosigned (a fork): \(why)"
            }
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            for witness in witnesses {
                do {
                    _ = try await Self.submit(ledger, to: witness)
                } catch let finding as Finding {
                    logger.critical("the audit log is not the one its witness cosigned", metadata: ["finding": "\(finding)"])
                } catch {
                    logger.warning("witness did not cosign", metadata: ["witness": "\(witness.name)", "error": "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Sends the newest checkpoint to `witness` and keeps the cosignature it returns; answers the
    /// size the witness now vouches for.
    static func submit(_ ledger: SQLAuditLedger, to witness: WitnessEndpoint) async throws -> Int64? {
        guard let latest = try await ledger.latestCheckpoint() else { return nil }
        let size = latest.checkpoint.size
        var old = try await ledger.cosignedSize(by: witness.name) ?? 0
        if old == size, (try? witness.key.cosignedAt(latest.note)) != nil { return size }
        for _ in 0..<3 {
            guard old <= size else { throw Finding.rollback(witness: witness.name, cosigned: old, size: size) }
            let proof = old == 0 ? [] : try await ledger.consistencyProof(old: old, new: size)
            var request = HTTPClientRequest(url: witness.url.appendingPathComponent("add-checkpoint").absoluteString)
            request.method = .POST
            request.body = .bytes(ByteBuffer(string: AddCheckpoint(oldSize: old, proof: proof, note: latest.note).body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = String(buffer: try await response.body.collect(upTo: 64 * 1024))
            switch response.status.code {
            case 200:
                for line in body.split(separator: "\n").map({ String($0) + "\n" }) {
                    guard let time = try? witness.key.cosignedAt(latest.note + line) else { continue }
                    try await ledger.addCosignature(size: size, witness: witness.name, line: line, at: time)
                    return size
                }
                throw CommandError("witness \(witness.name) answered without a cosignature its key verifies")
            case 409:
                guard let cosigned = Int64(body.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw CommandError("witness \(witness.name) answered 409 without the size it cosigned")
                }
                old = cosigned
            case 422: throw Finding.fork(witness: witness.name, why: body.trimmingCharacters(in: .whitespacesAndNewlines))
            default:
                throw CommandError("witness \(witness.name) answered \(response.status.code): \(body.prefix(200))")
            }
        }
        throw CommandError("witness \(witness.name) kept answering that the log moved")
    }
}
