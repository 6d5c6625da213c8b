import Foundation

extension Register {
    /// Everyone not included whose retention review is due today, across London, by the
    /// rulebook's periods from their last recorded activity (the record, its links and items, or
    /// the last decision to keep them). Governance reads it for register review; it is logged.
    public func retentionQueue(by actor: User, for purpose: StatedPurpose) async throws -> [RetentionDue] {
        try await perform(actor, purpose, action: .retentionQueue, .consultation) { tx, gate in
            let rules = try await rulebook(tx).retention
            var due: [RetentionDue] = []
            var before: SubjectID?
            while true {
                let page = try await tx.subjects(units: nil, before: before, limit: 500)
                for case let item? in try await retentionStandings(page, rules, tx) where item.dueOn <= gate.now.day { due.append(item) }
                guard page.count == 500, let last = page.last else { break }
                before = last.id
            }
            try await tx.appendAudit([gate.entry(.consultation, subjects: due.map(\.subjectID), touched: [.whole(.retentionQueue)])])
            return due.sorted { ($0.dueOn, $0.subjectID.description) < ($1.dueOn, $1.subjectID.description) }
        }
    }

    /// Governance decides a due retention review: keep (the next review runs from today) or erase
    /// (key first, every recipient told to delete), with a reason.
    @discardableResult
    public func decideRetention(_ subject: SubjectID, keep: Bool, reason: String, by actor: User, for purpose: StatedPurpose)
        async throws -> RetentionOutcome
    {
        var v = Validator()
        let reasonInput = v.decisionReason(reason)
        let reasonText = try v.finish(reasonInput)
        return try await perform(actor, purpose, action: .retentionDecide) { tx, gate -> RetentionOutcome in
            let touched: [AuditResource] = [.subject(subject, part: "retention")]
            let sealed = try await loadSubject(subject, tx)
            let rules = try await rulebook(tx).retention
            guard let standing = try await retentionStanding(sealed, rules, tx) else {
                throw RegisterError.conflict("this person is included: the register's review cadence decides whether they stay")
            }
            guard standing.dueOn <= gate.now.day else {
                throw RegisterError.conflict("this person's retention review is due on \(standing.dueOn)")
            }
            if keep {
                let key = try await subjectKey(subject, tx)
                try await tx.insertRetentionReview(
                    SealedEvent(
                        subjectID: subject, unit: sealed.unit, at: gate.now, kind: RetentionEvent.keep,
                        sealed: try keyring.seal(reasonText, key: key, subject: subject, label: "retention")))
                try await tx.appendAudit([gate.entry(.alteration, subjects: [subject], touched: touched, outcome: "kept")])
                return .kept
            }
            // Erasure cannot be undone: one governance user proposes it at this review, a second erases.
            let key = try await subjectKey(subject, tx)
            if let proposedOn = standing.erasureProposedOn,
                let event = try await tx.latestRetentionReview(subject: subject, kind: RetentionEvent.erasureProposed),
                event.at.day == proposedOn
            {
                let proposal = try keyring.open(
                    RetentionErasureProposal.self, from: event.sealed, key: key, subject: subject, label: "retention")
                try gate.separate(TwoPersonCheck(.erasure, proposer: proposal.by), subjects: [subject], touched: touched)
                try await erase(subject, tx, gate)
                return .erased
            }
            try await tx.insertRetentionReview(
                SealedEvent(
                    subjectID: subject, unit: sealed.unit, at: gate.now, kind: RetentionEvent.erasureProposed,
                    sealed: try keyring.seal(
                        RetentionErasureProposal(by: actor.id, reason: reasonText), key: key, subject: subject, label: "retention")))
            try await tx.appendAudit([gate.entry(.alteration, subjects: [subject], touched: touched, outcome: "erasure proposed")])
            return .erasureProposed
        }
    }

    /// A person's retention group and review date; nil for included people.
    func retentionStanding(_ sealed: SealedSubject, _ rules: RetentionRules, _ tx: any RegisterTransaction) async throws -> RetentionDue? {
        try await retentionStandings([sealed], rules, tx)[0]
    }

    /// The standings of a page of people, in order, from one read of each kind of fact.
    func retentionStandings(_ page: [SealedSubject], _ rules: RetentionRules, _ tx: any RegisterTransaction) async throws -> [RetentionDue?]
    {
        let facts = try await tx.retentionFacts(page.map(\.id))
        return page.map { (facts[$0.id] ?? RetentionFacts()).due($0, rules) }
    }

    /// The daily sweep's part in retention: everyone not included whose review has fallen due and
    /// has not been raised in this period gets one raised, logged, for governance to decide. The
    /// sweep never erases on its own: erasure (key first) follows governance's decision.
    ///
    /// London is read a page at a time on snapshots; the people a page shows due are raised in
    /// writes of at most `peoplePerWrite` (at least 1), each deciding them again on what it reads itself.
    func raiseRetentionReviews(peoplePerWrite: Int) async throws -> [SubjectID] {
        var raised: [SubjectID] = []
        var before: SubjectID?
        while true {
            let after = before
            let (due, last, full) = try await perform(Self.scheduler, nil, action: .reviewSweep, .consultation) { tx, gate in
                let rules = try await rulebook(tx).retention
                let page = try await tx.subjects(units: nil, before: after, limit: 500)
                let due = zip(page, try await retentionStandings(page, rules, tx)).compactMap { sealed, standing in
                    standing.flatMap { $0.dueOn <= gate.now.day && $0.raisedOn == nil ? sealed.id : nil }
                }
                return (due, page.last?.id, page.count == 500)
            }
            for start in stride(from: 0, to: due.count, by: peoplePerWrite) {
                let share = Array(due[start..<min(start + peoplePerWrite, due.count)])
                raised += try await perform(Self.scheduler, nil, action: .reviewSweep) { tx, gate in
                    try await raiseRetentionReviews(of: share, tx, gate)
                }
            }
            guard full, let last else { break }
            before = last
        }
        return raised
    }

    /// One write's share: those of these people whose review is still due and not yet raised.
    func raiseRetentionReviews(of people: [SubjectID], _ tx: any RegisterTransaction, _ gate: Gate) async throws -> [SubjectID] {
        let rules = try await rulebook(tx).retention
        let found = try await tx.subjects(people)
        let unraised = zip(found, try await retentionStandings(found, rules, tx)).compactMap { sealed, standing in
            standing.flatMap { $0.dueOn <= gate.now.day && $0.raisedOn == nil ? (sealed: sealed, due: $0) : nil }
        }
        var raised: [SubjectID] = []
        for ((sealed, key), due) in zip(try await withKeys(unraised.map(\.sealed)), unraised.map(\.due)) {
            try await tx.insertRetentionReview(
                SealedEvent(
                    subjectID: sealed.id, unit: sealed.unit, at: gate.now, kind: RetentionEvent.raised,
                    sealed: try keyring.seal(due.dueOn.description, key: key, subject: sealed.id, label: "retention")))
            raised.append(sealed.id)
        }
        if !raised.isEmpty {
            try await tx.appendAudit(
                raised.map { gate.entry(.alteration, subjects: [$0], touched: [.subject($0, part: "retention")], outcome: "review raised") }
            )
        }
        return raised
    }

    /// How many retention reviews the sweep has raised that governance has not yet decided.
    /// A raised review stops counting once the person is active again or included.
    func retentionReviewsAwaiting(_ tx: any RegisterTransaction) async throws -> Int {
        let rules = try await rulebook(tx).retention
        let raised = try await tx.latestRetentionReviews().filter { $0.kind == RetentionEvent.raised }.map(\.subjectID)
        return try await retentionStandings(try await tx.subjects(raised), rules, tx).filter { $0?.raisedOn != nil }.count
    }
}
