import Foundation

/// Breach handling: anyone signed in reports; governance contains, scopes from the log, notifies
/// the ICO (in phases) or records why not, and decides about telling the people affected. The
/// register of breaches is governance's to read; every step is logged.
extension Register {
    /// Anyone signed in, partners included, reports a suspected breach; the clock starts.
    public func reportBreach(_ report: BreachReport, by actor: User) async throws -> Breach {
        let id: BreachID = ids.next()
        return try await perform(actor, nil, action: .breachReport) { tx, gate in
            let breach = try Breach.reporting(report, id: id, by: actor, at: gate.now)
            try await tx.upsertBreach(breach)
            try await tx.appendAudit([gate.entry(.collection, touched: [AuditResource(.breach, id)])])
            return breach
        }
    }

    /// Containment at once: every disclosure involved is recalled (withdrawn from the portal and
    /// packages), and every account involved is disabled with its API tokens revoked.
    public func containBreach(_ id: BreachID, by actor: User, for purpose: StatedPurpose) async throws -> Breach {
        try await changeBreach(id, by: actor, for: purpose, action: .breachContain) { breach, tx, gate in
            var recalled: [DisclosureID] = []
            var entries: [AuditEntry] = []
            for disclosureID in breach.disclosures {
                guard let header = try await tx.disclosure(disclosureID) else { continue }
                let outstanding = try await tx.recalls(partner: header.partnerID)
                if outstanding.contains(where: { $0.disclosureID == disclosureID && $0.isWholeDisclosure }) { continue }
                let recall = Recall(
                    id: ids.next(), disclosureID: disclosureID, partnerID: header.partnerID, unit: header.unit, recordRefs: [],
                    reason: .unlawful, raisedAt: gate.now)
                try await tx.upsertRecall(recall)
                recalled.append(disclosureID)
                entries.append(
                    gate.entry(
                        .alteration, touched: [AuditResource(.recall, recall.id), AuditResource(.breach, id)], outcome: "breach containment"
                    ))
            }
            var disabled: [UserID] = []
            for userID in breach.users {
                guard var user = try await tx.user(userID), user.isActive, userID != gate.actor.id else { continue }
                user.disabledAt = gate.now
                try await tx.updateUser(user)
                try await tx.revokeTokens(user: userID, at: gate.now)
                disabled.append(userID)
                entries.append(
                    gate.entry(.userChange, touched: [.user(userID), AuditResource(.breach, id)], outcome: "disabled, tokens revoked"))
            }
            try await tx.appendAudit(entries)
            return try breach.containing(.init(at: gate.now, by: gate.actor.id, recalled: recalled, disabledUsers: disabled))
        }
    }

    /// The scope from the audit log: what the accounts involved read or disclosed from the start
    /// of the breach's period until containment (or now, if not yet contained), with what came
    /// after the report apart, and what the disclosures involved carried, to whom. Reading the log
    /// for it is logged.
    public func scopeBreach(_ id: BreachID, by actor: User, for purpose: StatedPurpose) async throws -> Breach {
        try await changeBreach(id, by: actor, for: purpose, action: .breachScope, operation: .consultation) { breach, tx, gate in
            var subjects = Set<SubjectID>()
            var records = Set<AuditResource>()
            var recipients = Set<String>()
            var users = Set(breach.users)
            var entries = 0
            var afterReport = (subjects: Set<SubjectID>(), entries: 0)
            let until = max(breach.until, breach.containment?.at ?? gate.now)
            for userID in breach.users {
                var before: Int64?
                // Up to 20,000 entries per account: enough for any period a person could act in.
                for _ in 0..<40 {
                    let page = try await tx.auditEntries(
                        AuditQuery(actor: userID, from: breach.from, until: until, before: before, limit: 500))
                    for recorded in page {
                        let e = recorded.entry
                        guard Breach.exposes(e.operation) else { continue }
                        entries += 1
                        subjects.formUnion(e.subjects)
                        records.formUnion(e.touched.filter(\.isPersonalRecord))
                        if let recipient = e.recipient { recipients.insert(recipient) }
                        if e.at > breach.reportedAt {
                            afterReport.entries += 1
                            afterReport.subjects.formUnion(e.subjects)
                        }
                    }
                    guard page.count == 500, let last = page.last else { break }
                    before = last.sequence
                }
            }
            let partners = Dictionary(try await tx.partners().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for disclosureID in breach.disclosures {
                guard let header = try await tx.disclosure(disclosureID) else { continue }
                recipients.insert(partners[header.partnerID]?.name ?? header.partnerID.description)
                for record in try await tx.disclosedRecords(disclosureID) {
                    subjects.insert(record.subject)
                    records.insert(.disclosure(disclosureID, part: record.ref))
                }
                users.formUnion(partners[header.partnerID]?.recipients ?? [])
            }
            let scope = Breach.Scope(
                computedAt: gate.now,
                from: breach.from, until: until,
                subjects: subjects.sorted { $0.description < $1.description }, records: records.sorted { $0.description < $1.description },
                recipients: recipients.sorted(), users: users.sorted { $0.description < $1.description }, entries: entries,
                afterReport: .init(
                    subjects: afterReport.subjects.sorted { $0.description < $1.description }, entries: afterReport.entries))
            return breach.scoped(scope)
        }
    }

    /// A phase of the s.67(4) notification to the ICO.
    public func notifyBreach(_ id: BreachID, _ draft: NotificationDraft, by actor: User, for purpose: StatedPurpose) async throws -> Breach
    {
        try await changeBreach(id, by: actor, for: purpose, action: .breachNotify) { breach, _, gate in
            try breach.notifying(draft, phase: breach.notifications.count + 1, by: gate.actor, at: gate.now)
        }
    }

    public func recordBreachNotNotified(_ id: BreachID, reason: String, by actor: User, for purpose: StatedPurpose) async throws -> Breach {
        try await changeBreach(id, by: actor, for: purpose, action: .breachNotNotified) { breach, _, _ in
            try breach.notNotifying(reason: reason)
        }
    }

    /// The s.68 decision, with its reason; a decision not to tell that rests on a restriction names its ground.
    public func decideBreachPeople(
        _ id: BreachID, tell: Bool, reason: String, ground: String?, by actor: User, for purpose: StatedPurpose
    ) async throws -> Breach {
        var v = Validator()
        let reasonText = v.decisionReason(reason)
        let parsedGround = ground.flatMap { $0.isEmpty ? nil : $0 }.map { RestrictionGround(rawValue: $0) }
        if case .some(.none) = parsedGround {
            v.fail(
                "ground", "rights.restriction-ground",
                "ground must be one of \(RestrictionGround.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let why = try v.finish(reasonText)
        return try await changeBreach(id, by: actor, for: purpose, action: .breachPeople) { breach, _, gate in
            try breach.decidingPeople(.init(tell: tell, reason: why, ground: parsedGround ?? nil, by: gate.actor.id, at: gate.now))
        }
    }

    /// The breach register (s.67(6)): every breach, newest first.
    public func breaches(by actor: User, for purpose: StatedPurpose) async throws -> [Breach] {
        try await perform(actor, purpose, action: .breachList, .consultation) { tx, gate in
            try await tx.appendAudit([gate.entry(.consultation, touched: [.whole(.breaches)])])
            return try await tx.breaches().sorted { $0.reportedAt > $1.reportedAt }
        }
    }

    private func changeBreach(
        _ id: BreachID, by actor: User, for purpose: StatedPurpose, action: UseCase, operation: AuditEntry.Operation = .alteration,
        _ change: @escaping @Sendable (Breach, any RegisterTransaction, Gate) async throws -> Breach
    ) async throws -> Breach {
        try await perform(actor, purpose, action: action) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.breach, id)]
            guard let current = try await tx.breach(id) else { throw RegisterError.notFound(kind: "breach", id: id.description) }
            let next = try await change(current, tx, gate)
            try await tx.upsertBreach(next)
            try await tx.appendAudit([gate.entry(operation, touched: touched)])
            return next
        }
    }
}
