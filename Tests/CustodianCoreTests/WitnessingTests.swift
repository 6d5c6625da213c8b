import CustodianCore
import Crypto
import Foundation
import Testing

/// The witness's decision, check by check, as C2SP tlog-witness orders them, over a real Merkle
/// log: a first checkpoint, a consistent next one, a stale old size, a rollback, a fork of the
/// same size and of a larger one, an unknown log, a forged signature, and cosignatures that verify
/// only under the witness's own key.
@Suite struct WitnessingTests {
    /// A tree held in memory, as a register's tiles would answer it.
    struct Leaves: SubtreeHashes {
        let leaves: [TreeHash]
        func hash(level: Int, index: Int64) async throws -> TreeHash {
            let width = 1 << level
            return Merkle.root(ofLeaves: leaves[Int(index) * width..<(Int(index) + 1) * width])
        }
    }

    let log = NoteSigner(name: "custodian.test/audit", privateKey: .init())
    let witness = Cosigner(name: "regulator.example/witness", privateKey: .init())

    func leaves(_ n: Int, salt: String = "") -> [TreeHash] { (0..<n).map { Merkle.leafHash(Data("entry \($0)\(salt)".utf8)) } }

    func checkpoint(_ leaves: [TreeHash]) throws -> (Checkpoint, String) {
        let checkpoint = Checkpoint(origin: log.name, size: Int64(leaves.count), root: Merkle.root(ofLeaves: leaves[...]))
        return (checkpoint, try log.sign(checkpoint))
    }

    @Test func aWitnessCosignsOnlyWhatContinuesWhatItCosigned() async throws {
        let all = leaves(13)
        let (first, firstNote) = try checkpoint(Array(all.prefix(5)))
        let (second, secondNote) = try checkpoint(all)
        let logs = [log.verifier]

        #expect(try Witnessing.check(AddCheckpoint(oldSize: 0, proof: [], note: firstNote), logs: logs, latest: nil) == first)
        let known = WitnessedCheckpoint(origin: log.name, size: 5, root: first.root)
        let proof = try await Leaves(leaves: all).consistencyProof(old: 5, new: 13)
        let request = AddCheckpoint(oldSize: 5, proof: proof, note: secondNote)
        #expect(try AddCheckpoint(body: request.body) == request)
        #expect(try Witnessing.check(request, logs: logs, latest: known) == second)

        let newer = WitnessedCheckpoint(origin: log.name, size: 13, root: second.root)
        #expect(throws: WitnessRefusal.conflict(latest: 13)) { try Witnessing.check(request, logs: logs, latest: newer) }
        // A rollback: the older checkpoint sent against the newer one the witness holds.
        #expect(throws: WitnessRefusal.self) {
            try Witnessing.check(AddCheckpoint(oldSize: 13, proof: [], note: firstNote), logs: logs, latest: newer)
        }
        // Forks: another log under the same key and origin, of the same size and of a larger one.
        let other = leaves(13, salt: "forked")
        let (_, sameSizeFork) = try checkpoint(other)
        #expect(throws: WitnessRefusal.self) {
            try Witnessing.check(AddCheckpoint(oldSize: 13, proof: [], note: sameSizeFork), logs: logs, latest: newer)
        }
        let longer = leaves(20, salt: "forked")
        let (_, largerFork) = try checkpoint(longer)
        let forkProof = try await Leaves(leaves: longer).consistencyProof(old: 13, new: 20)
        do {
            _ = try Witnessing.check(AddCheckpoint(oldSize: 13, proof: forkProof, note: largerFork), logs: logs, latest: newer)
            Issue.record("a fork was cosigned")
        } catch {
            #expect(error.status == 422 && "\(error)".contains("forked"))
        }
        // A log it does not witness; a signature by the trusted name that does not verify.
        let stranger = NoteSigner(name: "elsewhere.example/audit", privateKey: .init())
        let strangerNote = try stranger.sign(Checkpoint(origin: stranger.name, size: 0, root: Merkle.emptyRoot))
        #expect(throws: WitnessRefusal.self) {
            try Witnessing.check(AddCheckpoint(oldSize: 0, proof: [], note: strangerNote), logs: logs, latest: nil)
        }
        let impostor = NoteSigner(name: log.name, privateKey: .init())
        let unsigned = try impostor.sign(first)
        do {
            _ = try Witnessing.check(AddCheckpoint(oldSize: 0, proof: [], note: unsigned), logs: logs, latest: nil)
            Issue.record("a checkpoint signed by another key was cosigned")
        } catch {
            #expect(error.status == 403)
        }
        #expect(throws: WitnessRefusal.self) { try AddCheckpoint(body: "old 01\n\n" + firstNote) }
        #expect(throws: WitnessRefusal.self) { try AddCheckpoint(body: "old 5\nnot-a-hash\n\n" + secondNote) }
    }

    @Test func aCosignatureVerifiesUnderItsWitnessAlone() throws {
        let (checkpoint, note) = try checkpoint(leaves(3))
        let line = try witness.cosign(checkpoint, at: 1_796_000_000)
        let cosigned = note + line
        let key = try CosignerKey(verifierKey: witness.publicKey.verifierKey)
        #expect(key == witness.publicKey)
        #expect(try key.cosignedAt(cosigned) == 1_796_000_000)
        #expect(try key.cosignedAt(note) == nil)
        // The log's own signature still opens the cosigned note.
        #expect(try log.verifier.open(cosigned) == checkpoint)
        let other = Cosigner(name: witness.name, privateKey: .init()).publicKey
        #expect(try other.cosignedAt(cosigned) == nil)
        let tampered = cosigned.replacingOccurrences(of: "\n3\n", with: "\n4\n")
        #expect(throws: CheckpointError.self) { try key.cosignedAt(tampered) }
        #expect(throws: CheckpointError.self) { try CosignerKey(verifierKey: log.verifier.verifierKey) }
    }
}
