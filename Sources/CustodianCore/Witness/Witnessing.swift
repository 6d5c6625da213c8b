public import Foundation

/// What a witness knows of one log: the newest checkpoint it cosigned.
public struct WitnessedCheckpoint: Sendable, Equatable, Codable {
    public let origin: String
    public let size: Int64
    public let root: TreeHash

    public init(origin: String, size: Int64, root: TreeHash) { (self.origin, self.size, self.root) = (origin, size, root) }
}

/// The witness's whole decision on an `add-checkpoint` request, in the order C2SP tlog-witness
/// gives: the log known, signed by a key trusted for it, the old size no larger than the new and
/// the one last cosigned, the empty tree's root, the proof. It answers the checkpoint to cosign
/// and keep; the caller persists it and cosigns, atomically with reading `latest`.
public enum Witnessing {
    public static func check(_ request: AddCheckpoint, logs: [NoteVerifier], latest: WitnessedCheckpoint?) throws(WitnessRefusal)
        -> Checkpoint
    {
        guard let origin = request.note.split(separator: "\n", maxSplits: 1).first.map(String.init) else {
            throw .badRequest("the checkpoint has no origin line")
        }
        let trusted = logs.filter { $0.name == origin }
        guard !trusted.isEmpty else { throw .unknownOrigin("this witness does not witness \(origin)") }
        var opened: Checkpoint?
        for key in trusted {
            do {
                opened = try key.open(request.note)
            } catch .badSignature(let why) where why.hasPrefix("no signature") {
                continue
            } catch .badSignature(let why) {
                throw .unsigned(why)
            } catch {
                throw .badRequest("the checkpoint is not a signed note: \(error)")
            }
        }
        guard let checkpoint = opened else { throw .unsigned("no signature by a key this witness trusts for \(origin)") }
        guard request.oldSize <= checkpoint.size else {
            throw .badRequest("the old size \(request.oldSize) exceeds the checkpoint's \(checkpoint.size)")
        }
        let known = latest?.origin == origin ? latest : nil
        guard request.oldSize == known?.size ?? 0 else { throw .conflict(latest: known?.size ?? 0) }
        if checkpoint.size == 0, checkpoint.root != Merkle.emptyRoot { throw .inconsistent("an empty log's root is the hash of nothing") }
        guard let known else {
            guard request.proof.isEmpty else { throw .inconsistent("no proof is due from an empty log") }
            return checkpoint
        }
        guard
            MerkleVerifier.verifyConsistency(
                oldSize: known.size, oldRoot: known.root, newSize: checkpoint.size, newRoot: checkpoint.root, proof: request.proof)
        else {
            throw .inconsistent(
                known.size == checkpoint.size
                    ? "a checkpoint of \(known.size) entries was cosigned with another root: the log forked"
                    : "the checkpoint is not consistent with the \(known.size) entries this witness cosigned: the log forked or was rewritten"
            )
        }
        return checkpoint
    }
}
