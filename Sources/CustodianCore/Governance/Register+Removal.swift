extension Register {
    /// A SPOC of the borough, never the person who proposed it at review, approves a removal:
    /// the subject's key is destroyed first (erasing every copy of the data, backups included),
    /// then every row about them is deleted. The log keeps the fact of erasure by subject id only.
    /// Rejecting keeps the person included and clears the proposal.
    public func decideRemoval(_ id: InclusionID, approve: Bool, reason: String, by actor: User, for purpose: StatedPurpose) async throws {
        var v = Validator()
        let reason = v.decisionReason(reason)
        try v.finish()
        try await perform(actor, purpose, action: .removalDecide) { tx, gate in
            guard let sealed = try await tx.inclusion(id) else { throw RegisterError.notFound(kind: "inclusion", id: id.description) }
            let touched: [AuditResource] = [.inclusion(id)]
            try gate.scope(sealed.unit, named: .inclusion(id))
            let key = try await subjectKey(sealed.subjectID, tx)
            var inclusion = try openInclusion(sealed, key: key)
            guard let proposer = inclusion.removalProposedBy else {
                throw RegisterError.conflict(
                    "no removal has been proposed for this inclusion; record a review with the outcome remove first")
            }
            try gate.separate(TwoPersonCheck(.removal, proposer: proposer), subjects: [sealed.subjectID], touched: touched)
            if approve {
                try await erase(sealed.subjectID, tx, gate)
            } else {
                inclusion.removalProposedBy = nil
                try await tx.updateInclusion(try seal(inclusion, key: key))
                try await tx.appendAudit([
                    gate.entry(.alteration, subjects: [sealed.subjectID], touched: touched + [.whole(.removalRejected)])
                ])
            }
        }
    }

    /// Destroys the key, then the rows. Key first: if anything after it fails, what remains is
    /// ciphertext no one can open, and a retry deletes it. Every route that erases comes here
    /// (removal, a rights request, a retention review), so each counts a person leaving the
    /// register for equality monitoring the same way.
    func erase(_ subject: SubjectID, _ tx: any RegisterTransaction, _ gate: Gate) async throws {
        let sealed = try await loadSubject(subject, tx)
        let unit = sealed.unit
        if try await tx.inclusions(subject: subject).contains(where: { $0.status == .included }) {
            // Counted before the record goes: the event names no one, so it outlives the erasure.
            let key = try await subjectKey(subject, tx)
            try await tx.insertEqualityEvents(
                try Monitor.equality([try equalityEvent(.removed, sealed, key: key, on: gate.now.day, gate)], gate))
        }
        // Every recipient of the person's records is told to delete them before the records go.
        try await recallRecords(of: subject, reason: .removal, tx, gate)
        for request in try await tx.shareRequests(naming: subject) where request.names(subject) {
            try await tx.upsertShareRequest(request.forgetting(subject))
        }
        let matters = Array(Set(try await tx.links(subject: subject).map(\.matterID))).sorted { $0.description < $1.description }
        try await keys.destroy(subject)
        try await tx.eraseSubject(subject)
        try await tx.countErasure(unit: unit, on: gate.now.day)
        var entries: [AuditEntry] = []
        if try await rulebook(tx).retention.matterRecordsKeptApart {
            entries.append(
                gate.entry(
                    .erasure, subjects: [subject], touched: [.subject(subject)],
                    outcome: matters.isEmpty ? nil : "\(matters.count) matter record(s) kept apart under MoPI"))
        } else {
            entries.append(gate.entry(.erasure, subjects: [subject], touched: [.subject(subject)]))
            for matter in matters where try await tx.links(matter: matter).isEmpty {
                try await tx.eraseMatter(matter)
                entries.append(gate.entry(.erasure, subjects: [subject], touched: [.matter(matter)], outcome: "no one linked"))
            }
        }
        try await tx.appendAudit(entries)
    }

    /// Where the law requires keeping (a legal hold, accuracy contested by the person), governance
    /// restricts a record instead of erasing it: hidden from every operational use, readable by
    /// governance only, with the recorded reason.
    public func restrict(_ subject: SubjectID, reason: String, by actor: User, for purpose: StatedPurpose) async throws {
        var v = Validator()
        let reasonInput = v.text(reason, "reason", max: 1000)
        if let reasonInput, reasonInput.count < 10 {
            v.fail("reason", "restriction.reason", "record why the law requires keeping, in at least 10 characters")
        }
        let reason = try v.finish(reasonInput)
        try await perform(actor, purpose, action: .subjectRestrict) { tx, gate in
            let sealed = try await loadSubject(subject, tx)
            try gate.scope(sealed.unit, named: .subject(subject))
            guard !sealed.restricted else { throw RegisterError.conflict("this record is already restricted") }
            try await applyRestriction(subject, reason: reason, tx, gate)
        }
    }

    /// Restricts a record with its reason. Restricted data is out of all use, recipients' copies
    /// included: every disclosure that carried the person is recalled (and withdrawn from the
    /// portal and packages at once).
    func applyRestriction(_ subject: SubjectID, reason: String, _ tx: any RegisterTransaction, _ gate: Gate) async throws {
        let key = try await subjectKey(subject, tx)
        try await tx.insertRestriction(
            subject: subject, by: gate.actor.id, at: gate.now,
            sealedReason: try keyring.seal(reason, key: key, subject: subject, label: "restriction"))
        let recalled = try await recallRecords(of: subject, reason: .restriction, tx, gate)
        try await tx.appendAudit([
            gate.entry(
                .alteration, subjects: [subject], touched: [.subject(subject, part: "restriction")],
                outcome: recalled > 0 ? "\(recalled) recall(s) raised" : nil)
        ])
    }
}
