/// What one pass of the daily sweep changed.
public struct SweepOutcome: Sendable, Equatable {
    public var examined = 0
    public var suspended: [SubjectID] = []
    public var removalReviewsForced: [SubjectID] = []
    /// People not included whose retention review fell due and was raised for governance.
    public var retentionReviewsRaised: [SubjectID] = []
    /// Equality alerts raised (relative rates wholly above the rulebook's threshold).
    public var equalityAlertsRaised = 0
    /// Included people whose score today differs from the one kept, now kept and logged; nil when
    /// no DPIA was in force, so nothing was scored.
    public var rescored: [SubjectID]? = []
    public init() {}
}

extension Register {
    /// The borough's included people whose review is due, overdue or past its grace (suspended),
    /// those whose score forces a removal review, and those whose removal awaits a SPOC; soonest
    /// due first. Central analysts see London.
    public func reviewQueue(by actor: User, for purpose: StatedPurpose) async throws -> [QueuedReview] {
        try await perform(actor, purpose, action: .reviewQueue, .consultation) { tx, gate in
            let rulebook = try await rulebook(tx)
            let units = actor.role.isBoroughRole ? actor.unit.borough.map { [$0] } : nil
            var queue: [QueuedReview] = []
            for sealed in try await tx.inclusions(units: units, statuses: [.included]) {
                let key = try await subjectKey(sealed.subjectID, tx)
                let inclusion = try openInclusion(sealed, key: key)
                let standing = inclusion.reviewStanding(on: gate.now.day, under: rulebook)
                guard standing != .notDue || inclusion.removalReviewRequired || inclusion.removalProposedBy != nil else { continue }
                let subject = try await loadSubject(sealed.subjectID, tx)
                if subject.restricted { continue }
                let personal = try openPersonal(subject, key: key)
                queue.append(QueuedReview(inclusion: inclusion, displayName: personal.displayName, standing: standing))
            }
            try await tx.appendAudit([
                gate.entry(.consultation, subjects: queue.map(\.inclusion.subjectID), touched: [.whole(.reviewQueue)])
            ])
            return queue
        }
    }

    /// Records a review with a fresh harm assessment. Retain or change sets the next due date and
    /// lifts any suspension; a removal outcome is a proposal a SPOC must approve.
    public func review(
        _ id: InclusionID, outcome: Review.Outcome, rationale: String, removalRejected: Review.RemovalRejected? = nil,
        by actor: User, for purpose: StatedPurpose
    ) async throws -> Inclusion {
        try await perform(actor, purpose, action: .reviewRecord) { tx, gate in
            guard let sealed = try await tx.inclusion(id) else { throw RegisterError.notFound(kind: "inclusion", id: id.description) }
            try gate.scope(sealed.unit, named: .inclusion(id))
            let key = try await subjectKey(sealed.subjectID, tx)
            let current = try openInclusion(sealed, key: key)
            let rulebook = try await rulebook(tx)
            let assessment = try await harm(of: sealed.subjectID, key: key, rulebook: rulebook, on: gate.now.day, tx)
            let (updated, review) = try gate.refusals(subjects: [sealed.subjectID], touched: [.inclusion(id)]) {
                () throws(RegisterError) in
                try current.reviewed(
                    outcome, rationale: rationale, removalRejected: removalRejected, by: actor, at: gate.now,
                    score: assessment?.score, under: rulebook)
            }
            if let assessment {
                let person = try facts(
                    try await loadSubject(sealed.subjectID, tx), key: key, links: try await tx.links(subject: sealed.subjectID))
                try await tx.insertHarmAssessment(
                    try Monitor.score(
                        try seal(assessment, subject: sealed.subjectID, unit: sealed.unit, at: gate.now, key: key), on: person,
                        rulebook: rulebook, approved: .inclusion(current), gate))
            }
            // The kind is what governance counts: the outcome, and why removal was rejected where it was.
            let kind = removalRejected.map { "\(outcome.rawValue):\($0.rawValue)" } ?? outcome.rawValue
            try await tx.insertReview(
                SealedEvent(
                    subjectID: sealed.subjectID, unit: sealed.unit, at: gate.now, kind: kind,
                    sealed: try keyring.seal(review, key: key, subject: sealed.subjectID, label: "review")))
            try await tx.updateInclusion(try seal(updated, key: key))
            try await tx.appendAudit([gate.entry(.alteration, subjects: [sealed.subjectID], touched: [.inclusion(id, part: "review")])])
            return updated
        }
    }

    /// People one of the sweep's writes decides at most. Everything that writes or logs waits
    /// behind a write: at 20,000 people on SQLite, when each person cost a write about a
    /// millisecond, a lookup made while the sweep ran waited at p99 99 ms with 100 a write, 27
    /// with 25, 15 with 10 and 10 with 5, and the sweep took no longer for it (`custodian-bench
    /// register --sweep-per-write N`). A write now reads its people's inputs a kind at a time.
    public static let sweepPeoplePerWrite = 5

    /// The daily sweep, run by the scheduler: rescores every included person (scores decay with
    /// time), suspends those past their review's grace, and forces a removal review where the
    /// score has stayed under the threshold for the rulebook's period. Each change is logged.
    ///
    /// Who to look at is read on snapshots; each write then decides at most `peoplePerWrite`
    /// people again on what it reads itself. As one write over London it held SQLite's one write
    /// lock (every write, and every consultation's audit flush) and PostgreSQL's rows for minutes.
    public func sweep(peoplePerWrite: Int = Self.sweepPeoplePerWrite) async throws -> SweepOutcome {
        let perWrite = max(1, peoplePerWrite)
        var outcome = SweepOutcome()
        let included = try await perform(Self.scheduler, nil, action: .reviewSweep, .consultation) { tx, _ in
            try await tx.inclusions(units: nil, statuses: [.included]).map(\.subjectID)
        }
        var seen = Set<SubjectID>()
        let people = included.filter { seen.insert($0).inserted }
        for start in stride(from: 0, to: people.count, by: perWrite) {
            let share = Array(people[start..<min(start + perWrite, people.count)])
            let part = try await perform(Self.scheduler, nil, action: .reviewSweep) { tx, gate in
                try await sweepInclusions(of: share, tx, gate)
            }
            outcome.examined += part.examined
            outcome.suspended += part.suspended
            outcome.removalReviewsForced += part.removalReviewsForced
            // Scoring is processing the DPIA governs: with none in force the sweep still suspends and
            // forces reviews, and the one refusal is on the log.
            if outcome.rescored != nil {
                do {
                    outcome.rescored? += try await perform(Self.scheduler, nil, action: .harmRescore) { tx, gate in
                        try await rescore(share, tx, gate)
                    }
                } catch RegisterError.denied(let denial) where denial == .noDPIA {
                    outcome.rescored = nil
                }
            }
        }
        outcome.retentionReviewsRaised = try await raiseRetentionReviews(peoplePerWrite: perWrite)
        outcome.equalityAlertsRaised = try await perform(Self.scheduler, nil, action: .equalityAlertsRaise) { tx, gate in
            try await raiseEqualityAlerts(tx, gate).count
        }
        return outcome
    }

    /// Keeps the score of each of these included people where today's differs from the one kept,
    /// through the monitor (never a restricted record; a child only under a centrally approved
    /// inclusion), and logs each: sharing and the dashboard read the score kept, so a score the
    /// sweep computed and dropped left them deciding on an old one.
    func rescore(_ people: [SubjectID], _ tx: any RegisterTransaction, _ gate: Gate) async throws -> [SubjectID] {
        let rulebook = try await rulebook(tx)
        let included = try await tx.inclusions(subjects: people).filter { $0.status == .included }
        let keys = try await subjectKeys(included.map(\.subjectID))
        let keyed = try included.map { (sealed: $0, key: try keys.key(for: $0.subjectID)) }
        let harms = try await harms(of: keyed.map { ($0.sealed.subjectID, $0.key) }, rulebook: rulebook, on: gate.now.day, tx)
        let kept = try await tx.latestHarmAssessments(subjects: included.map(\.subjectID))
        var rescored: [SubjectID] = []
        for (sealed, key) in keyed {
            let person = sealed.subjectID
            guard let today = harms[person] else { continue }
            if let before = kept[person], before.kind == HarmRowKind.of(today), try openHarm(before, key: key).score == today.score {
                continue
            }
            let subject = try await loadSubject(person, tx)
            let facts = try facts(subject, key: key, links: try await tx.links(subject: person))
            let permitted: Permitted<SealedEvent>
            do {
                permitted = try Monitor.score(
                    try seal(today, subject: person, unit: sealed.unit, at: gate.now, key: key), on: facts, rulebook: rulebook,
                    approved: .inclusion(try openInclusion(sealed, key: key)), gate)
            } catch is Refusal {
                // Restricted, or a child whose inclusion was not centrally approved: not scored, as at any door.
                continue
            }
            try await tx.insertHarmAssessment(permitted)
            rescored.append(person)
        }
        if !rescored.isEmpty {
            try await tx.appendAudit(rescored.map { gate.entry(.alteration, subjects: [$0], touched: [.harm($0)], outcome: "rescored") })
        }
        return rescored
    }

    /// One write's share of the sweep: these people's inclusions as they stand now, rescored.
    func sweepInclusions(of people: [SubjectID], _ tx: any RegisterTransaction, _ gate: Gate) async throws -> SweepOutcome {
        let rulebook = try await rulebook(tx)
        var outcome = SweepOutcome()
        var entries: [AuditEntry] = []
        let included = try await tx.inclusions(subjects: people).filter { $0.status == .included }
        let keys = try await subjectKeys(included.map(\.subjectID))
        let keyed = try included.map { (sealed: $0, key: try keys.key(for: $0.subjectID)) }
        let harms = try await harms(of: keyed.map { ($0.sealed.subjectID, $0.key) }, rulebook: rulebook, on: gate.now.day, tx)
        for (sealed, key) in keyed {
            outcome.examined += 1
            let current = try openInclusion(sealed, key: key)
            let score = harms[sealed.subjectID]?.score ?? 0
            let swept = current.swept(on: gate.now.day, score: score, under: rulebook)
            guard swept != current else { continue }
            try await tx.updateInclusion(try seal(swept, key: key))
            if swept.suspendedOn != nil, current.suspendedOn == nil {
                outcome.suspended.append(swept.subjectID)
                entries.append(gate.entry(.alteration, subjects: [swept.subjectID], touched: [.inclusion(swept.id, part: "suspended")]))
            }
            if swept.removalReviewRequired, !current.removalReviewRequired {
                outcome.removalReviewsForced.append(swept.subjectID)
                entries.append(
                    gate.entry(.alteration, subjects: [swept.subjectID], touched: [.inclusion(swept.id, part: "removal-review")]))
            }
        }
        if !entries.isEmpty { try await tx.appendAudit(entries) }
        return outcome
    }
}
