/// The s.62 log for the auditor: entries, checkpoints and proofs. Reading any of it is itself a
/// consultation, logged (and durable) before the answer is given.
extension Register {
    public func auditLog(_ query: AuditQuery, by actor: User, for purpose: StatedPurpose) async throws -> [RecordedAuditEntry] {
        try await perform(actor, purpose, action: "audit.read", .consultation) { tx, gate in
            try gate.require(.readAuditLog, unit: nil, touched: ["audit-log"])
            let page = try await tx.auditEntries(query)
            try await tx.appendAudit([gate.entry(.consultation, subjects: query.subject.map { [$0] } ?? [], touched: ["audit-log"])])
            return page
        }
    }

    /// Checks the policy for a read of the log's tree and logs it. The tree's answers come after,
    /// from the ledger, so the read never holds a database connection the ledger needs.
    func recordLogRead(_ actor: User, _ purpose: StatedPurpose, action: String, touched: String) async throws {
        try await perform(actor, purpose, action: action, .consultation) { tx, gate in
            try gate.require(.readAuditLog, unit: nil, touched: [touched])
            try await tx.appendAudit([gate.entry(.consultation, touched: [touched])])
        }
    }

    /// The newest checkpoint, after integrating everything logged so far (a checkpoint on demand).
    public func latestCheckpoint(by actor: User, for purpose: StatedPurpose) async throws -> StoredCheckpoint {
        try await recordLogRead(actor, purpose, action: "audit.checkpoint.read", touched: "audit-checkpoint")
        if let fresh = try await ledger.publish() { return fresh }
        guard let latest = try await ledger.latestCheckpoint() else { throw RegisterError.notFound(kind: "checkpoint", id: "latest") }
        return latest
    }

    public func checkpoint(size: Int64, by actor: User, for purpose: StatedPurpose) async throws -> StoredCheckpoint {
        try await recordLogRead(actor, purpose, action: "audit.checkpoint.read", touched: "audit-checkpoint/\(size)")
        guard let found = try await ledger.checkpoint(size: size) else { throw RegisterError.notFound(kind: "checkpoint of tree size", id: "\(size)") }
        return found
    }

    public func inclusionProof(index: Int64, size: Int64, by actor: User, for purpose: StatedPurpose) async throws -> (leaf: TreeHash, proof: [TreeHash]) {
        let published = try await publishedSize()
        var v = Validator()
        v.check(size >= 1 && size <= published, "treeSize", "proof.tree-size", "treeSize must be between 1 and the latest checkpoint's size, \(published)")
        v.check(index >= 0 && index < size, "index", "proof.index", "index must be at least 0 and less than treeSize")
        try v.finish()
        try await recordLogRead(actor, purpose, action: "audit.proof.read", touched: "audit-proof/inclusion/\(index)/\(size)")
        guard let entry = try await ledger.entries(from: index, count: 1).first else { throw RegisterError.notFound(kind: "log entry", id: "\(index)") }
        return (entry.leafHash, try await ledger.inclusionProof(index: index, size: size))
    }

    public func consistencyProof(from old: Int64, to new: Int64, by actor: User, for purpose: StatedPurpose) async throws -> [TreeHash] {
        let published = try await publishedSize()
        var v = Validator()
        v.check(new >= 1 && new <= published, "to", "proof.tree-size", "to must be between 1 and the latest checkpoint's size, \(published)")
        v.check(old >= 1 && old <= new, "from", "proof.tree-size", "from must be at least 1 and at most to")
        try v.finish()
        try await recordLogRead(actor, purpose, action: "audit.proof.read", touched: "audit-proof/consistency/\(old)/\(new)")
        return try await ledger.consistencyProof(old: old, new: new)
    }

    public static let entryRangeLimit = 1000

    /// Entries with their canonical bytes, so an outsider can recompute every leaf hash.
    public func logEntries(from start: Int64, count: Int, by actor: User, for purpose: StatedPurpose) async throws -> [LoggedEntry] {
        var v = Validator()
        v.check(start >= 0, "start", "range.start", "start must be 0 or more")
        v.check((1...Self.entryRangeLimit).contains(count), "count", "range.count", "count must be between 1 and \(Self.entryRangeLimit)")
        try v.finish()
        try await recordLogRead(actor, purpose, action: "audit.entries.read", touched: "audit-log/\(start)+\(count)")
        return try await ledger.entries(from: start, count: count)
    }

    public func auditPublicKey(by actor: User, for purpose: StatedPurpose) async throws -> NoteVerifier {
        try await recordLogRead(actor, purpose, action: "audit.key.read", touched: "audit-key")
        return ledger.verifier
    }

    private func publishedSize() async throws -> Int64 {
        try await ledger.latestCheckpoint()?.checkpoint.size ?? 0
    }
}
