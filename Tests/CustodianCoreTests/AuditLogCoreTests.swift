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
            at: Timestamp(microseconds: 1_764_000_000_123_456), operation: .consultation, action: .subjectRead, actor: Self.actor,
            purpose: StatedPurpose(purpose: .investigation, justification: "Zoë's case, CRIS-1/25"), subjects: [subject],
            touched: [.subject(subject), .whole(.auditLog), AuditResource(.matter, "NOT-A-UUID")])
        let recorded = RecordedAuditEntry(sequence: 41, entry: entry)
        let bytes = CanonicalEntry.encodeOpen(recorded)
        #expect(try CanonicalEntry.decode(bytes) == recorded)
        #expect(bytes.prefix(9) == Data([1, 0, 0, 0, 0, 0, 0, 0, 41]))
        // Committed, the same entry reads back the same, from a leaf that carries its length.
        let committed = CanonicalEntry.encode(recorded)
        let leaf = CanonicalEntry.leaf(committed)
        #expect(try CanonicalEntry.decode(committed) == recorded && CanonicalEntry.openingsMatch(committed))
        let length = (0..<4).map { UInt8(truncatingIfNeeded: leaf.count >> (24 - 8 * $0)) }
        #expect(leaf.prefix(13) == Data([3] + length + [0, 0, 0, 0, 0, 0, 0, 41]) && leaf.count < committed.count)
        #expect(CanonicalEntry.leafHash(committed) == Merkle.leafHash(leaf))
        // Any change to the entry changes its bytes, and so its leaf hash.
        let other = RecordedAuditEntry(
            sequence: 41,
            entry: AuditEntry(
                at: entry.at, operation: .consultation, action: .subjectRead, actor: Self.actor,
                purpose: StatedPurpose(purpose: .investigation, justification: "Zoë's case, CRIS-2/25"),
                subjects: [subject], touched: entry.touched))
        #expect(Merkle.leafHash(CanonicalEntry.encodeOpen(other)) != Merkle.leafHash(bytes))
        #expect(throws: CanonicalEntryError.self) { try CanonicalEntry.decode(bytes.dropLast()) }
        #expect(throws: CanonicalEntryError.self) { try CanonicalEntry.decode(committed.dropLast()) }
        // A committed entry hides its justification, actor and people, and another entry's
        // digests of the same people are other digests: one person's entries cannot be linked.
        #expect(leaf.range(of: Data("CRIS-1/25".utf8)) == nil)
        #expect(leaf.range(of: withUnsafeBytes(of: subject.uuid.uuid) { Data($0) }) == nil)
        #expect(leaf.range(of: withUnsafeBytes(of: Self.actor.id.uuid.uuid) { Data($0) }) == nil)
        let next = CanonicalEntry.encode(RecordedAuditEntry(sequence: 42, entry: entry))
        let (here, there) = (
            try #require(CommittedEntry.opening(committed, for: subject)), try #require(CommittedEntry.opening(next, for: subject))
        )
        #expect(
            CommittedEntry.digest(id: subject.uuid, salt: [UInt8](here.salt))
                != CommittedEntry.digest(id: subject.uuid, salt: [UInt8](there.salt)))
    }

    /// A person is handed the salt of their own digest and no other: another person in the same
    /// entry stays a digest they cannot test a guess against, and the openings, once edited, no
    /// longer match what the leaf commits to.
    @Test func aCommittedEntryOpensOnePersonAtATime() throws {
        let (mine, theirs) = (SubjectID(UUID()), SubjectID(UUID()))
        let recorded = RecordedAuditEntry(
            sequence: 9,
            entry: AuditEntry(
                at: Timestamp(microseconds: 5), operation: .disclosure, action: .shareDecide, actor: Self.actor,
                purpose: StatedPurpose(purpose: .safeguarding, justification: "Panel of 3 May"), subjects: [theirs, mine],
                recipient: "partner/council", touched: [.subject(theirs), .subject(mine)]))
        let stored = CanonicalEntry.encode(recorded)
        let opening = try #require(CommittedEntry.opening(stored, for: mine))
        #expect(opening.position == 1)
        let leaf = [UInt8](CanonicalEntry.leaf(stored))
        let digest = CommittedEntry.digest(id: mine.uuid, salt: [UInt8](opening.salt))
        #expect(Data(leaf).range(of: Data(digest)) != nil)
        // The same salt does not open the other person's digest.
        #expect(Data(leaf).range(of: Data(CommittedEntry.digest(id: theirs.uuid, salt: [UInt8](opening.salt)))) == nil)
        #expect(CommittedEntry.opening(stored, for: SubjectID(UUID())) == nil)
        #expect(CommittedEntry.opening(CanonicalEntry.encodeOpen(recorded), for: mine) == nil, "an open entry would show everyone")
        // Swapping the two opened ids reads back another entry, and its digests say so.
        var swapped = [UInt8](stored)
        let a = try #require(stored.range(of: withUnsafeBytes(of: theirs.uuid.uuid) { Data($0) }))
        let b = try #require(stored.range(of: withUnsafeBytes(of: mine.uuid.uuid) { Data($0) }))
        swapped.replaceSubrange(a, with: stored[b])
        swapped.replaceSubrange(b, with: stored[a])
        #expect(try CanonicalEntry.decode(Data(swapped)).entry.subjects == [mine, theirs])
        #expect(!CanonicalEntry.openingsMatch(Data(swapped)) && CanonicalEntry.openingsMatch(stored))
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

    @Test func leafAndNodeHashesAreSHA256OfTheirRFC6962Input() {
        var random = SeededRandom(seed: 6962)
        for length in [0, 1, 31, 32, 55, 56, 63, 64, 65, 200, 511, 4096] {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
            #expect(Merkle.leafHash(bytes) == Data(SHA256.hash(data: Data([0x00]) + bytes)), "\(length) bytes")
        }
        let left = Merkle.leafHash(Data("left".utf8))
        let right = Merkle.leafHash(Data("right".utf8))
        #expect(Merkle.nodeHash(left, right) == Data(SHA256.hash(data: Data([0x01]) + left + right)))
    }

    @Test func aWholeSubtreeAppendedAtOnceGivesTheSameRangeAsItsLeavesOneByOne() throws {
        let leaves = (0..<1000).map { Merkle.leafHash(Data("entry \($0)".utf8)) }
        var byLeaf = CompactRange()
        var byBlock = CompactRange()
        for start in stride(from: 0, to: 768, by: 256) {
            for leaf in leaves[start..<start + 256] { byLeaf.append(leaf) }
            let appended = byBlock.append(Merkle.root(ofLeaves: leaves[start..<start + 256]), level: 8)
            let closed = try #require(appended)
            #expect(closed.first?.level == 8 && closed.first?.index == Int64(start / 256))
            #expect(byBlock == byLeaf && byBlock.root == Merkle.root(ofLeaves: leaves[..<(start + 256)]))
        }
        byBlock.append(leaves[768])
        // A subtree can start only where one of its size would: not after a lone leaf.
        let misplaced = byBlock.append(Merkle.root(ofLeaves: leaves[769..<1000]), level: 8)
        #expect(misplaced == nil)
        #expect(byBlock.size == 769)
    }

    /// Entries of every shape (optional fields there and not, compact and plain touched records,
    /// repeated subjects), verified from an in-memory page with their filter columns: the whole
    /// log passes, and each column edited in a clean block is named in the entry-by-entry words.
    @Test func aPageVerifiesInBlocksAndNamesAnEditedColumnAsEntryByEntryWould() async throws {
        let key = Curve25519.Signing.PrivateKey()
        let signer = NoteSigner(name: "custodian.test/audit", privateKey: key)
        let people = (0..<5).map { SubjectID(UUID(uuidString: "0190a1b2-0000-7000-8000-00000000000\($0)")!) }
        let recorded = (0..<700).map { i in
            let named = (0..<(i % 4)).map { people[(i + $0) % 5] } + (i % 7 == 0 ? [people[0]] : [])
            return RecordedAuditEntry(
                sequence: Int64(i),
                entry: AuditEntry(
                    at: Timestamp(microseconds: 1_764_000_000_000_000 + Int64(i)), operation: i % 3 == 0 ? .disclosure : .consultation,
                    action: .subjectRead, actor: Self.actor,
                    purpose: i % 2 == 0 ? StatedPurpose(purpose: .investigation, justification: "case \(i)") : nil, subjects: named,
                    recipient: i % 5 == 0 ? "partner/\(i)" : nil,
                    touched: named.map { .subject($0) } + [AuditResource(.batch, "note \(i)")],
                    outcome: i % 11 == 0 ? "refused" : nil))
        }
        // A log written before entries were committed and carried on committed: both verify.
        let written = recorded.map { $0.sequence < 250 ? CanonicalEntry.encodeOpen($0) : CanonicalEntry.encode($0) }
        var range = CompactRange()
        var closed: [(level: Int, index: Int64, hash: TreeHash)] = []
        for bytes in written { closed += range.append(CanonicalEntry.leafHash(bytes)) }
        let tiles = Tiles.additions(closed).reduce(into: [Tiles.Key: Data]()) { $0[$1.key] = $1.value.hashes }
        let checkpoint = Checkpoint(origin: signer.name, size: range.size, root: range.root)
        let stored = StoredCheckpoint(checkpoint: checkpoint, note: try signer.sign(checkpoint), publishedAt: Timestamp(microseconds: 0))

        func verify(
            bytes: (Int, inout Data) -> Void = { _, _ in }, _ edit: (Int, inout (actor: String, time: Int64, operation: String)) -> Void
        ) async throws -> LogVerification.Summary {
            var page = LogPage()
            for (i, r) in recorded.enumerated() {
                var columns = (actor: r.entry.actor.description, time: r.entry.at.microseconds, operation: r.entry.operation.rawValue)
                edit(i, &columns)
                var entry = written[i]
                bytes(i, &entry)
                entry.withUnsafeBytes {
                    page.append(sequence: r.sequence, time: columns.time, actor: columns.actor, operation: columns.operation, entry: $0)
                }
            }
            var verification = LogVerification(verifier: signer.verifier, checkpoints: [stored], tiles: tiles)
            try await verification.start()
            try await verification.add(page)
            return try verification.finish()
        }
        let intact = try await verify { _, _ in }
        #expect(intact.entries == 700 && intact.checkpoints == 1 && intact.unsigned == 0)
        await #expect(throws: LogFault("entry 300: its time column disagrees with its signed bytes; the filters were edited")) {
            try await verify { i, c in if i == 300 { c.time += 1 } }
        }
        await #expect(throws: LogFault.self) { try await verify { i, c in if i == 301 { c.actor = c.actor.uppercased() } } }
        await #expect(throws: LogFault.self) { try await verify { i, c in if i == 302 { c.operation = "consultation " } } }
        // A committed entry's opened person changed behind the log's back: the leaf is untouched,
        // so only its digests can tell, and they do.
        let person = withUnsafeBytes(of: people[1].uuid.uuid) { Data($0) }
        await #expect(
            throws: LogFault("entry 401: its stored details differ from what its signed digests commit to; they were edited")
        ) {
            try await verify(bytes: { i, b in
                if i == 401, let at = b.range(of: person, in: CanonicalEntry.leaf(b).count..<b.count) {
                    b.replaceSubrange(at, with: withUnsafeBytes(of: people[4].uuid.uuid) { Data($0) })
                }
            }) { _, _ in }
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
