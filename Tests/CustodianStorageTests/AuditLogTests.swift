import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Crypto
import Foundation
import Testing

/// The s.62 log as a Merkle log, on both databases: proofs an outsider's RFC verifier accepts,
/// signed checkpoints, and a verifier that names every kind of tampering.
@Suite struct AuditLogTests {
    static let databases = TestDatabase.available
    let purpose = RegisterFixture.purpose

    /// Logs `reads` consultations of one subject, publishing a checkpoint every `every` entries.
    func fill(_ f: RegisterFixture, reads: Int, every: Int) async throws {
        let id = try await f.register.recordSubject(RegisterFixture.draft(), by: f.hackneyOfficer, for: purpose)
        for i in 0..<reads {
            _ = try await f.register.subject(id, by: f.hackneyOfficer, for: purpose)
            if i % every == every - 1 { try await f.ledger.publish() }
        }
        try await f.ledger.publish()
    }

    func leaves(_ f: RegisterFixture) async throws -> [[UInt8]] {
        try await f.ledger.entries(from: 0, count: 10_000).map { RFC6962.leaf(Array($0.canonical)) }
    }

    @Test(arguments: databases) func proofsVerifyWithAnIndependentRFCVerifier(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            try await fill(f, reads: 75, every: 7)
            let leaves = try await leaves(f)
            let latest = try #require(try await f.ledger.latestCheckpoint())
            #expect(Int(latest.checkpoint.size) == leaves.count)
            let key = RegisterFixture.auditPublicKey
            let opened = try #require(RFC6962.openCheckpoint(latest.note, publicKey: key), "the checkpoint's Ed25519 signature verifies")
            #expect(opened.origin == RegisterFixture.auditOrigin && opened.size == leaves.count)
            #expect(opened.root == RFC6962.mth(leaves))

            var random = SystemRandomNumberGenerator()
            for _ in 0..<40 {
                let size = Int.random(in: 1...leaves.count, using: &random)
                let index = Int.random(in: 0..<size, using: &random)
                let path = try await f.ledger.inclusionProof(index: Int64(index), size: Int64(size)).map { Array($0) }
                #expect(
                    RFC6962.verifyInclusion(
                        leafHash: leaves[index], index: index, size: size, path: path, root: RFC6962.mth(Array(leaves[..<size]))),
                    "inclusion of \(index) in \(size)")
                let first = Int.random(in: 1...size, using: &random)
                let proof = try await f.ledger.consistencyProof(old: Int64(first), new: Int64(size)).map { Array($0) }
                #expect(
                    RFC6962.verifyConsistency(
                        first: first, second: size, firstRoot: RFC6962.mth(Array(leaves[..<first])),
                        secondRoot: RFC6962.mth(Array(leaves[..<size])), path: proof), "consistency of \(first) with \(size)")
            }
            // Every kept checkpoint is signed and holds the root of its prefix of the log.
            for size in stride(from: 7, to: leaves.count, by: 7) {
                guard let kept = try await f.ledger.checkpoint(size: Int64(size)) else { continue }
                #expect(RFC6962.openCheckpoint(kept.note, publicKey: key)?.root == RFC6962.mth(Array(leaves[..<size])))
            }
            let summary = try await f.ledger.verify()
            #expect(summary.entries == Int64(leaves.count) && summary.checkpoints > 10 && summary.unsigned == 0)
        }
    }

    /// A witness's cosignature kept for a checkpoint is served with it, after the log's own
    /// signature, and still opens under the log's key; each witness's newest size is known.
    @Test(arguments: databases) func cosignaturesTravelWithTheirCheckpoint(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let witnesses = [
                Cosigner(name: "ico.example/witness", privateKey: .init()), Cosigner(name: "mopac.example/witness", privateKey: .init()),
            ]
            try await fill(f, reads: 5, every: 5)
            let early = try #require(try await f.ledger.latestCheckpoint())
            try await fill(f, reads: 10, every: 5)
            let late = try #require(try await f.ledger.latestCheckpoint())
            #expect(try await f.ledger.cosignedSize(by: witnesses[0].name) == nil)
            try await f.ledger.addCosignature(
                size: early.checkpoint.size, witness: witnesses[0].name, line: try witnesses[0].cosign(early.checkpoint, at: 1), at: 1)
            for witness in witnesses {
                try await f.ledger.addCosignature(
                    size: late.checkpoint.size, witness: witness.name, line: try witness.cosign(late.checkpoint, at: 2), at: 2)
            }
            #expect(try await f.ledger.cosignedSize(by: witnesses[0].name) == late.checkpoint.size)
            let served = try #require(try await f.ledger.checkpoint(size: late.checkpoint.size))
            #expect(served.note.hasPrefix(late.note))
            for witness in witnesses { #expect(try witness.publicKey.cosignedAt(served.note) == 2) }
            #expect(try f.ledger.verifier.open(served.note) == late.checkpoint)
            #expect(try await f.ledger.latestCheckpoint()?.note == served.note)
            let first = try #require(try await f.ledger.checkpoint(size: early.checkpoint.size))
            #expect(try witnesses[0].publicKey.cosignedAt(first.note) == 1 && (try witnesses[1].publicKey.cosignedAt(first.note)) == nil)
            _ = try await f.ledger.verify()
        }
    }

    @Test(arguments: databases) func verificationNamesAChangedByte(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            try await fill(f, reads: 30, every: 10)
            try await f.store.tamperWithEntry(12) { $0[CanonicalEntry.leaf($0).count - 3] ^= 0x01 }
            await #expect(throws: LogFault("entry 12: its bytes were changed after it was logged (its hash differs from the tree's)")) {
                try await f.ledger.verify()
            }
        }
    }

    @Test(arguments: databases) func verificationNamesAnEditedFilterColumnOrIndexRow(_ db: TestDatabase) async throws {
        // An insider edits the columns the auditor filters on, to hide their own reads.
        let edits: [(String, String)] = [
            // Entries 0-22 make the fixture's users (each after the first approved by governance); from 31 on
            // are the officer's reads of the subject.
            ("UPDATE audit_log SET actor_id = '00000000-0000-0000-0000-000000000000' WHERE seq = 31", "entry 31: its actor column says"),
            ("UPDATE audit_log SET at_us = at_us + 1 WHERE seq = 32", "entry 32: its time column"),
            ("UPDATE audit_log SET operation = 'collection' WHERE seq = 33", "entry 33: its operation column"),
            ("DELETE FROM audit_log_subjects WHERE seq = 34", "entry 34: its per-subject index rows"),
            (
                "INSERT INTO audit_log_subjects (subject_id, seq) VALUES ('00000000-0000-0000-0000-0000000000ee', 35)",
                "entry 35: its per-subject index rows"
            ),
            (
                "INSERT INTO audit_log_subjects (subject_id, seq) VALUES ('00000000-0000-0000-0000-0000000000ee', 5000)",
                "entry 5000: the per-subject index names"
            ),
        ]
        for (sql, fault) in edits {
            try await withRegister(db) { f in
                try await fill(f, reads: 30, every: 10)
                try await f.ledger.verify()
                try await f.store.tamper(sql)
                try await expectVerification(of: f, toName: fault, after: sql)
            }
        }
    }

    @Test(arguments: databases) func verificationNamesADeletedEntry(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            try await fill(f, reads: 30, every: 10)
            try await f.store.tamper("DELETE FROM audit_log_subjects WHERE seq = 9")
            try await f.store.tamper("DELETE FROM audit_log WHERE seq = 9")
            await #expect(throws: LogFault("entry 9 is missing: the log goes from 8 to 10")) { try await f.ledger.verify() }
        }
    }

    @Test(arguments: databases) func verificationNamesSwappedEntries(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            try await fill(f, reads: 30, every: 10)
            let four = try #require(try await f.ledger.entries(from: 4, count: 1).first).stored
            let five = try #require(try await f.ledger.entries(from: 5, count: 1).first).stored
            try await f.store.tamperWithEntry(4) { $0 = five }
            try await f.store.tamperWithEntry(5) { $0 = four }
            await #expect(throws: LogFault("entry 4: its bytes say they are entry 5; entries were moved or reordered")) {
                try await f.ledger.verify()
            }
        }
    }

    @Test(arguments: databases) func verificationNamesAnEditedCheckpoint(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            try await fill(f, reads: 30, every: 10)
            // Claim a different tree size in the note: the signature no longer covers the text.
            let size = try #require(try await f.ledger.latestCheckpoint()).checkpoint.size
            try await f.store.tamper(
                "UPDATE audit_checkpoints SET note = REPLACE(note, '\n\(size)\n', '\n\(size + 1)\n') WHERE size = \(size)")
            await #expect(
                throws: LogFault(
                    "checkpoint at size \(size): checkpoint signature: the signature by \(RegisterFixture.auditOrigin) does not verify")
            ) {
                try await f.ledger.verify()
            }
        }
    }

    @Test(arguments: databases) func verificationNamesEntriesRemovedFromTheEnd(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            try await fill(f, reads: 30, every: 10)
            let size = try #require(try await f.ledger.latestCheckpoint()).checkpoint.size
            try await f.store.tamper("DELETE FROM audit_log_subjects WHERE seq >= \(size - 2)")
            try await f.store.tamper("DELETE FROM audit_log WHERE seq >= \(size - 2)")
            await #expect(
                throws: LogFault(
                    "checkpoint at size \(size) covers entries the log no longer holds (it ends at \(size - 2)); entries were deleted")
            ) {
                try await f.ledger.verify()
            }
        }
    }

    @Test(arguments: databases) func aCheckpointKeptElsewhereIsCheckedAgainstTodaysLog(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            try await fill(f, reads: 12, every: 5)
            let kept = try #require(try await f.ledger.latestCheckpoint())
            try await fill(f, reads: 12, every: 5)
            #expect(try await f.ledger.verify(also: [kept]).entries > kept.checkpoint.size)
            // A forged one, properly signed but over a root this log never had, is caught.
            let forged = Checkpoint(origin: RegisterFixture.auditOrigin, size: kept.checkpoint.size, root: Data(repeating: 1, count: 32))
            let note = try NoteSigner(name: RegisterFixture.auditOrigin, privateKey: RegisterFixture.auditSigningKey).sign(forged)
            await #expect(throws: LogFault.self) {
                try await f.ledger.verify(also: [StoredCheckpoint(checkpoint: forged, note: note, publishedAt: kept.publishedAt)])
            }
        }
    }
}
