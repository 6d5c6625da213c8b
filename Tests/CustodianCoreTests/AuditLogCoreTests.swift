import CustodianCore
import Crypto
import Foundation
import Testing

/// The log's pure parts: canonical bytes, the tree over any size, and signed checkpoints.
@Suite struct AuditLogCoreTests {
    static let actor = User(
        id: UserID(UUID(uuidString: "0190a1b2-0000-7000-8000-000000000001")!), username: "o", displayName: "O", role: .boroughOfficer,
        unit: .borough(.lambeth), trainingCompletedOn: LocalDate(iso: "2025-01-01"), createdAt: Timestamp(microseconds: 0))

    @Test func canonicalBytesRoundTripAndPinEveryField() throws {
        let subject = SubjectID(UUID(uuidString: "0190a1b2-0000-7000-8000-0000000000aa")!)
        let entry = AuditEntry(
            at: Timestamp(microseconds: 1_764_000_000_123_456), operation: .consultation, action: "subject.read", actor: Self.actor,
            purpose: StatedPurpose(purpose: .investigation, justification: "Zoë's case, CRIS-1/25"), subjects: [subject],
            touched: ["subject/\(subject)", "audit-log", "matter/NOT-A-UUID"])
        let recorded = RecordedAuditEntry(sequence: 41, entry: entry)
        let bytes = CanonicalEntry.encode(recorded)
        #expect(try CanonicalEntry.decode(bytes) == recorded)
        #expect(bytes.prefix(9) == Data([1, 0, 0, 0, 0, 0, 0, 0, 41]))
        // Any change to the entry changes its bytes, and so its leaf hash.
        let other = RecordedAuditEntry(
            sequence: 41,
            entry: AuditEntry(
                at: entry.at, operation: .consultation, action: "subject.read", actor: Self.actor,
                purpose: StatedPurpose(purpose: .investigation, justification: "Zoë's case, CRIS-2/25"),
                subjects: [subject], touched: entry.touched))
        #expect(Merkle.leafHash(CanonicalEntry.encode(other)) != Merkle.leafHash(bytes))
        #expect(throws: CanonicalEntryError.self) { try CanonicalEntry.decode(bytes.dropLast()) }
    }

    @Test func theCompactRangeGivesTheRFCRootAtEverySize() {
        let leaves = (0..<300).map { Merkle.leafHash(Data("entry \($0)".utf8)) }
        var range = CompactRange()
        #expect(range.root == Merkle.emptyRoot)
        for (i, leaf) in leaves.enumerated() {
            range.append(leaf)
            #expect(range.root == Merkle.root(ofLeaves: leaves[...i]), "size \(i + 1)")
        }
    }

    @Test func aSignedCheckpointOpensOnlyWithItsKeyAndUnchanged() throws {
        let key = Curve25519.Signing.PrivateKey()
        let signer = NoteSigner(name: "custodian.test/audit", privateKey: key)
        let checkpoint = Checkpoint(origin: "custodian.test/audit", size: 1234, root: Data(repeating: 0xAB, count: 32))
        let note = try signer.sign(checkpoint)
        #expect(
            note.hasPrefix(
                "custodian.test/audit\n1234\n\(Data(repeating: 0xAB, count: 32).base64EncodedString())\n\n\u{2014} custodian.test/audit "))
        #expect(try signer.verifier.open(note) == checkpoint)
        // The verifier key text round-trips, as a regulator would paste it.
        #expect(try NoteVerifier(verifierKey: signer.verifier.verifierKey) == signer.verifier)
        #expect(throws: CheckpointError.self) { try signer.verifier.open(note.replacingOccurrences(of: "\n1234\n", with: "\n1235\n")) }
        let stranger = NoteSigner(name: "custodian.test/audit", privateKey: Curve25519.Signing.PrivateKey())
        #expect(throws: CheckpointError.badSignature("no signature by custodian.test/audit")) { try stranger.verifier.open(note) }
    }
}
