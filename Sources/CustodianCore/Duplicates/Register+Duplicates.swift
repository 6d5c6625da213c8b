/// One side of a pair as shown to the person deciding: what each borough's record says about who
/// the person is, and nothing else of the record.
public struct DuplicateSide: Sendable, Equatable {
    public let id: SubjectID
    public let unit: Borough
    public let personal: PersonalDetails
}

/// A pair in the queue, with both records' identifiers and any "not sure" already said about it.
public struct DuplicatePair: Sendable, Equatable {
    public let candidate: DuplicateCandidate
    public let first: DuplicateSide
    public let second: DuplicateSide
    public let notSure: [DuplicateDecision]
}

public struct DuplicateQueuePage: Sendable, Equatable {
    public let pairs: [DuplicatePair]
    public let total: Int
    /// Pass as `offset` for the next page; nil on the last.
    public let next: Int?
}

/// What a scan did.
public struct DuplicateScan: Sendable, Equatable {
    /// Pairs across boroughs sharing enough search tokens to be compared.
    public let compared: Int
    /// Of those, pairs scoring at least the queue threshold.
    public let candidates: Int
}

/// Another borough's record decided to be of the same person, shown beside a subject to those who
/// read across boroughs.
public struct SameSubject: Sendable, Equatable {
    public let decision: DuplicateDecision
    public let subject: SubjectID
    public let unit: Borough
}

extension Register {
    /// Tokens shared by more subjects than this are too common to propose a pair on.
    public static let duplicateCommonTokenLimit = 200
    /// A pair is compared when it shares this many distinctive tokens (a name word and its sound
    /// count twice, so a shared name alone needs a date of birth or an id beside it).
    public static let duplicateSharedTokens = 3

    /// Finds pairs of records across boroughs that may be of one person, scores each and replaces
    /// the queue with those at or above the threshold. Joining boroughs' records is combination
    /// (s.62), logged with every subject paired. Restricted records are out of operational use and
    /// are never paired.
    public func scanForDuplicates(
        progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }, by actor: User, for purpose: StatedPurpose
    ) async throws -> DuplicateScan {
        try await perform(actor, purpose, action: .duplicatesScan) { tx, gate in
            let blocked = try await keys.pairsSharingTokens(
                minimumShared: Self.duplicateSharedTokens, commonLimit: Self.duplicateCommonTokenLimit)
            var opened: [SubjectID: (unit: Borough, personal: PersonalDetails)?] = [:]
            func side(_ id: SubjectID) async throws -> (unit: Borough, personal: PersonalDetails)? {
                if let known = opened[id] { return known }
                var found: (unit: Borough, personal: PersonalDetails)?
                if let sealed = try await tx.subject(id), !sealed.restricted {
                    found = (sealed.unit, try openPersonal(sealed, key: try await subjectKey(id, tx)))
                }
                opened[id] = found
                return found
            }
            var candidates: [DuplicateCandidate] = []
            for (n, pair) in blocked.enumerated() {
                if n % 256 == 0 { progress(WorkProgress(step: "Comparing pairs across boroughs", done: n, total: blocked.count)) }
                guard let a = try await side(pair.first), let b = try await side(pair.second), a.unit != b.unit else { continue }
                let match = DuplicateMatch.compare(a.personal, b.personal)
                guard match.score >= DuplicateMatch.queueThreshold else { continue }
                candidates.append(DuplicateCandidate(pair: pair, firstUnit: a.unit, secondUnit: b.unit, match: match, foundAt: gate.now))
            }
            progress(WorkProgress(step: "Comparing pairs across boroughs", done: blocked.count, total: blocked.count))
            try await tx.replaceDuplicateCandidates(candidates)
            let paired = Array(Set(candidates.flatMap { [$0.pair.first, $0.pair.second] })).sorted { $0.description < $1.description }
            try await tx.appendAudit([
                gate.entry(
                    .combination, subjects: paired, touched: [.whole(.duplicateCandidates)],
                    outcome: "\(blocked.count) pairs compared, \(candidates.count) queued")
            ])
            return DuplicateScan(compared: blocked.count, candidates: candidates.count)
        }
    }

    public static let duplicatePageSize = 20

    /// A page of the queue, highest score first. Showing two boroughs' records side by side joins
    /// them: a consultation of everyone shown and a combination entry naming each pair.
    public func duplicateQueue(offset: Int, limit: Int = Register.duplicatePageSize, by actor: User, for purpose: StatedPurpose)
        async throws -> DuplicateQueuePage
    {
        try await perform(actor, purpose, action: .duplicatesQueue, .consultation) { tx, gate in
            var v = Validator()
            v.check(offset >= 0, "offset", "paging.offset", "offset must be 0 or more")
            try v.finish()
            let size = min(max(limit, 1), 100)
            let candidates = try await tx.duplicateCandidates(offset: offset, limit: size + 1)
            let total = try await tx.duplicateCandidateCount()
            var pairs: [DuplicatePair] = []
            for candidate in candidates.prefix(size) {
                guard let first = try await duplicateSide(candidate.pair.first, tx),
                    let second = try await duplicateSide(candidate.pair.second, tx)
                else { continue }
                let unsure = try await tx.duplicateDecisions(pair: candidate.pair).filter { $0.inForce && $0.verdict == .notSure }
                pairs.append(DuplicatePair(candidate: candidate, first: first, second: second, notSure: unsure))
            }
            let shown = pairs.flatMap { [$0.first.id, $0.second.id] }
            if !pairs.isEmpty {
                try await tx.appendAudit([
                    gate.entry(.consultation, subjects: shown, touched: [.whole(.duplicateQueue)]),
                    gate.entry(.combination, subjects: shown, touched: pairs.map { AuditResource(.duplicatePair, $0.candidate.pair.key) }),
                ])
            }
            return DuplicateQueuePage(pairs: pairs, total: total, next: candidates.count > size ? offset + size : nil)
        }
    }

    /// The identifiers of a record for the queue; nil once it is erased or restricted (the pair
    /// then waits, unseen, until the next scan drops it).
    func duplicateSide(_ id: SubjectID, _ tx: any RegisterTransaction) async throws -> DuplicateSide? {
        guard let sealed = try await tx.subject(id), !sealed.restricted else { return nil }
        return DuplicateSide(id: id, unit: sealed.unit, personal: try openPersonal(sealed, key: try await subjectKey(id, tx)))
    }

    /// A person decides whether two boroughs' records are of one person. Any two records of
    /// different boroughs may be decided, queued or not. A pair already settled must be reversed
    /// before it is decided again; a "not sure" is superseded by the next decision.
    public func decideDuplicate(
        _ a: SubjectID, _ b: SubjectID, verdict: String, reason: String, by actor: User, for purpose: StatedPurpose
    ) async throws -> DuplicateDecision {
        let id: DuplicateDecisionID = ids.next()
        return try await perform(actor, purpose, action: .duplicatesDecide) { tx, gate in
            let touched: [AuditResource] = [.subject(a), .subject(b)]
            guard let pair = SubjectPair(a, b) else {
                throw RegisterError.invalid([
                    FieldViolation(field: "second", rule: "duplicates.pair", message: "a record cannot be a duplicate of itself")
                ])
            }
            let first = try await operationalSubject(pair.first, tx, gate)
            let second = try await operationalSubject(pair.second, tx, gate)
            guard first.unit != second.unit else {
                throw RegisterError.invalid([
                    FieldViolation(
                        field: "second", rule: "duplicates.across-boroughs",
                        message: "both records are held by \(first.unit.rawValue): a borough corrects its own records")
                ])
            }
            let match = DuplicateMatch.compare(
                try openPersonal(first, key: try await subjectKey(first.id, tx)),
                try openPersonal(second, key: try await subjectKey(second.id, tx)))
            let earlier = try await tx.duplicateDecisions(pair: pair).filter(\.inForce)
            if let settled = earlier.first(where: \.settles) {
                throw RegisterError.invalid([
                    FieldViolation(
                        field: "verdict", rule: "duplicates.decided",
                        message: "this pair was decided '\(settled.verdict.rawValue)' (decision \(settled.id)): reverse that decision first"
                    )
                ])
            }
            let decision = try DuplicateDecision.deciding(
                id: id, pair: pair, verdict: verdict, reason: reason, match: match, by: actor, at: gate.now)
            for unsure in earlier {
                try await tx.upsertDuplicateDecision(
                    try unsure.reversing(reason: "superseded by decision \(id) (\(decision.verdict.rawValue))", by: actor, at: gate.now))
            }
            try await tx.upsertDuplicateDecision(decision)
            try await tx.appendAudit([
                gate.entry(
                    .combination, subjects: [pair.first, pair.second], touched: [AuditResource(.duplicateDecision, id)] + touched,
                    outcome: decision.verdict.rawValue)
            ])
            return decision
        }
    }

    /// Reverses a decision with a reason: a link made in error ends, and the pair returns to the
    /// queue at the next scan. Logged as combination, since it changes which records are joined.
    public func reverseDuplicateDecision(
        _ id: DuplicateDecisionID, reason: String, by actor: User, for purpose: StatedPurpose
    ) async throws -> DuplicateDecision {
        try await perform(actor, purpose, action: .duplicatesReverse) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.duplicateDecision, id)]
            guard let decision = try await tx.duplicateDecision(id) else {
                throw RegisterError.notFound(kind: "duplicate decision", id: id.description)
            }
            let reversed = try decision.reversing(reason: reason, by: actor, at: gate.now)
            try await tx.upsertDuplicateDecision(reversed)
            try await tx.appendAudit([
                gate.entry(
                    .combination, subjects: [decision.pair.first, decision.pair.second], touched: touched,
                    outcome: "reversed \(decision.verdict.rawValue)")
            ])
            return reversed
        }
    }

    /// The decisions about a pair or a subject, newest first: the history governance reviews.
    public func duplicateDecisions(of subject: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> [DuplicateDecision] {
        try await perform(actor, purpose, action: .duplicatesDecisions, .consultation) { tx, gate in
            let decisions = try await tx.duplicateDecisions(subject: subject).sorted { $0.at > $1.at }
            let joined = Array(Set(decisions.flatMap { [$0.pair.first, $0.pair.second] })).sorted { $0.description < $1.description }
            try await tx.appendAudit([
                gate.entry(
                    .combination, subjects: joined.isEmpty ? [subject] : joined,
                    touched: decisions.map { AuditResource(.duplicateDecision, $0.id) })
            ])
            return decisions
        }
    }

    /// Records of other boroughs decided to be of the same person, for a reader who reads across
    /// boroughs; borough staff keep to their own borough's record and get none. Only links to
    /// records still held and open are shown.
    func sameSubjects(of subject: SubjectID, for actor: User, _ tx: any RegisterTransaction) async throws -> [SameSubject] {
        guard AccessPolicy.runs(actor.role, .duplicatesDecisions) else { return [] }
        var found: [SameSubject] = []
        for decision in try await tx.duplicateDecisions(subject: subject) where decision.inForce && decision.verdict == .same {
            guard let other = decision.pair.other(than: subject), let sealed = try await tx.subject(other),
                !sealed.restricted || AccessPolicy.readsRestricted(actor)
            else { continue }
            found.append(SameSubject(decision: decision, subject: other, unit: sealed.unit))
        }
        return found.sorted { $0.decision.at < $1.decision.at }
    }
}
