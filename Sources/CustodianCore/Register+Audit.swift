public import Foundation

/// The s.62 log for the auditor: entries, checkpoints and proofs. Reading any of it is itself a
/// consultation, logged (and durable) before the answer is given.
extension Register {
    public func auditLog(_ query: AuditQuery, by actor: User, for purpose: StatedPurpose) async throws -> [RecordedAuditEntry] {
        try await perform(actor, purpose, action: .auditRead, .consultation) { tx, gate in
            let page = try await tx.auditEntries(query)
            try await tx.appendAudit([gate.entry(.consultation, subjects: query.subject.map { [$0] } ?? [], touched: [.whole(.auditLog)])])
            return page
        }
    }

    /// Checks the policy for a read of the log's tree and logs it. The tree's answers come after,
    /// from the ledger, so the read never holds a database connection the ledger needs.
    func recordLogRead(_ actor: User, _ purpose: StatedPurpose, action: UseCase, touched: AuditResource) async throws {
        try await perform(actor, purpose, action: action, .consultation) { tx, gate in
            try await tx.appendAudit([gate.entry(.consultation, touched: [touched])])
        }
    }

    /// The newest checkpoint, after integrating everything logged so far (a checkpoint on demand).
    public func latestCheckpoint(by actor: User, for purpose: StatedPurpose) async throws -> StoredCheckpoint {
        try await recordLogRead(actor, purpose, action: .auditCheckpointRead, touched: .whole(.auditCheckpoint))
        if let fresh = try await ledger.publish() { return fresh }
        guard let latest = try await ledger.latestCheckpoint() else { throw RegisterError.notFound(kind: "checkpoint", id: "latest") }
        return latest
    }

    public func checkpoint(size: Int64, by actor: User, for purpose: StatedPurpose) async throws -> StoredCheckpoint {
        try await recordLogRead(actor, purpose, action: .auditCheckpointRead, touched: AuditResource(.auditCheckpoint, size))
        guard let found = try await ledger.checkpoint(size: size) else {
            throw RegisterError.notFound(kind: "checkpoint of tree size", id: "\(size)")
        }
        return found
    }

    public func inclusionProof(index: Int64, size: Int64, by actor: User, for purpose: StatedPurpose) async throws -> (
        leaf: TreeHash, proof: [TreeHash]
    ) {
        let published = try await publishedSize()
        var v = Validator()
        v.check(
            size >= 1 && size <= published, "treeSize", "proof.tree-size",
            "treeSize must be between 1 and the latest checkpoint's size, \(published)")
        v.check(index >= 0 && index < size, "index", "proof.index", "index must be at least 0 and less than treeSize")
        try v.finish()
        try await recordLogRead(
            actor, purpose, action: .auditProofRead, touched: AuditResource(.auditProof, "inclusion", part: "\(index)/\(size)"))
        guard let entry = try await ledger.entries(from: index, count: 1).first else {
            throw RegisterError.notFound(kind: "log entry", id: "\(index)")
        }
        return (entry.leafHash, try await ledger.inclusionProof(index: index, size: size))
    }

    public func consistencyProof(from old: Int64, to new: Int64, by actor: User, for purpose: StatedPurpose) async throws -> [TreeHash] {
        let published = try await publishedSize()
        var v = Validator()
        v.check(
            new >= 1 && new <= published, "to", "proof.tree-size", "to must be between 1 and the latest checkpoint's size, \(published)")
        v.check(old >= 1 && old <= new, "from", "proof.tree-size", "from must be at least 1 and at most to")
        try v.finish()
        try await recordLogRead(
            actor, purpose, action: .auditProofRead, touched: AuditResource(.auditProof, "consistency", part: "\(old)/\(new)"))
        return try await ledger.consistencyProof(old: old, new: new)
    }

    public static let entryRangeLimit = 1000

    /// Entries with their canonical bytes, so an outsider can recompute every leaf hash.
    public func logEntries(from start: Int64, count: Int, by actor: User, for purpose: StatedPurpose) async throws -> [LoggedEntry] {
        var v = Validator()
        v.check(start >= 0, "start", "range.start", "start must be 0 or more")
        v.check((1...Self.entryRangeLimit).contains(count), "count", "range.count", "count must be between 1 and \(Self.entryRangeLimit)")
        try v.finish()
        try await recordLogRead(actor, purpose, action: .auditEntriesRead, touched: AuditResource(.auditLog, "\(start)+\(count)"))
        return try await ledger.entries(from: start, count: count)
    }

    public func auditPublicKey(by actor: User, for purpose: StatedPurpose) async throws -> NoteVerifier {
        try await recordLogRead(actor, purpose, action: .auditKeyRead, touched: .whole(.auditKey))
        return ledger.verifier
    }

    private func publishedSize() async throws -> Int64 {
        try await ledger.latestCheckpoint()?.checkpoint.size ?? 0
    }
}

/// The auditor's filter as typed into a form: an actor by username or id, a subject id, an
/// operation, and a span of days. Checked here so the API and pages refuse alike.
public struct AuditFilter: Sendable, Equatable {
    public var actor: String?
    public var subject: String?
    public var operation: String?
    public var fromDay: String?
    public var untilDay: String?
    public var before: Int64?

    public init(
        actor: String? = nil, subject: String? = nil, operation: String? = nil,
        fromDay: String? = nil, untilDay: String? = nil, before: Int64? = nil
    ) {
        (self.actor, self.subject, self.operation) = (actor?.nilIfBlank, subject?.nilIfBlank, operation?.nilIfBlank)
        (self.fromDay, self.untilDay, self.before) = (fromDay?.nilIfBlank, untilDay?.nilIfBlank, before)
    }
}

/// One page of the log with the usernames of the actors on it.
public struct AuditPage: Sendable {
    public let entries: [RecordedAuditEntry]
    public let usernames: [UserID: String]
    /// Pass as `before` for the next (older) page; nil on the last.
    public let next: Int64?
}

/// The outcome of re-reading the whole log against its tree and checkpoints.
public enum LogCheck: Sendable, Equatable {
    case intact(LogVerification.Summary)
    case broken(String)
}

extension Register {
    public static let auditPageSize = 50

    public func auditPage(_ filter: AuditFilter, by actor: User, for purpose: StatedPurpose) async throws -> AuditPage {
        var v = Validator()
        let subject = filter.subject.flatMap { text -> SubjectID? in
            let id = SubjectID(text)
            v.check(id != nil, "subject", "id.format", "subject must be a subject id (a UUID)")
            return id
        }
        let operation = filter.operation.flatMap { text -> AuditEntry.Operation? in
            let op = AuditEntry.Operation(rawValue: text)
            v.check(
                op != nil, "operation", "operation.known",
                "operation must be one of \(AuditEntry.Operation.allCases.map(\.rawValue).joined(separator: ", "))")
            return op
        }
        let from = filter.fromDay.flatMap { text -> LocalDate? in
            let day = LocalDate(iso: text)
            v.check(day != nil, "from", "date.format", "from must be a date as YYYY-MM-DD")
            return day
        }
        let until = filter.untilDay.flatMap { text -> LocalDate? in
            let day = LocalDate(iso: text)
            v.check(day != nil, "until", "date.format", "until must be a date as YYYY-MM-DD")
            return day
        }
        if let from, let until { v.check(from <= until, "until", "date.order", "until must not be before from") }
        try v.finish()
        return try await perform(actor, purpose, action: .auditRead, .consultation) { tx, gate in
            var actorID: UserID?
            if let who = filter.actor {
                if let id = UserID(who) {
                    actorID = id
                } else if let found = try await tx.user(username: who.lowercased()) {
                    actorID = found.user.id
                } else {
                    throw RegisterError.invalid([
                        FieldViolation(field: "actor", rule: "actor.known", message: "no user with username or id '\(who)'")
                    ])
                }
            }
            let query = AuditQuery(
                actor: actorID, subject: subject, operation: operation,
                from: from.map { Timestamp($0.startOfDay) }, until: until.map { Timestamp($0.startOfDay).adding(seconds: 86_400) },
                before: filter.before, limit: Self.auditPageSize + 1)
            let found = try await tx.auditEntries(query)
            let page = Array(found.prefix(Self.auditPageSize))
            var usernames: [UserID: String] = [:]
            for id in Set(page.map(\.entry.actor)) where usernames[id] == nil {
                usernames[id] = try await tx.user(id)?.username ?? (id == Directory.commandLine.id ? Directory.commandLine.username : nil)
            }
            try await tx.appendAudit([gate.entry(.consultation, subjects: subject.map { [$0] } ?? [], touched: [.whole(.auditLog)])])
            return AuditPage(entries: page, usernames: usernames, next: found.count > Self.auditPageSize ? page.last?.sequence : nil)
        }
    }

    /// Re-reads the whole log against its tree and every checkpoint. The request is logged first,
    /// so the verification it starts covers it.
    public func verifyLog(
        progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }, by actor: User, for purpose: StatedPurpose
    ) async throws -> LogCheck {
        try await recordLogRead(actor, purpose, action: .auditVerify, touched: .whole(.auditLog))
        _ = try await ledger.publish()
        do {
            return .intact(try await ledger.verify(progress: progress))
        } catch let fault as LogFault {
            return .broken(fault.description)
        }
    }
}

extension String {
    var nilIfBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
