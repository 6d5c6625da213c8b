import Crypto
import Foundation

/// What an officer puts forward to include a subject.
public struct InclusionDraft: Sendable {
    public var subjectID: String
    public var intelligenceIDs: [String]
    public var matterIDs: [String]
    public var rationale: String
    public var safeguardingRationale: String?
    public init(subjectID: String, intelligenceIDs: [String], matterIDs: [String], rationale: String, safeguardingRationale: String? = nil)
    {
        (self.subjectID, self.intelligenceIDs, self.matterIDs) = (subjectID, intelligenceIDs, matterIDs)
        (self.rationale, self.safeguardingRationale) = (rationale, safeguardingRationale)
    }
}

/// A line of a borough's review queue.
public struct QueuedReview: Sendable {
    public let inclusion: Inclusion
    public let displayName: String
    public let standing: ReviewStanding
}

extension Register {
    /// The actor of background jobs. Logged like anyone else.
    public static let scheduler = User(
        id: UserID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))), username: "custodian-scheduler",
        displayName: "custodian scheduler", role: .administrator, unit: .central, trainingCompletedOn: nil,
        createdAt: Timestamp(microseconds: 0))

    /// An officer proposes a subject of their borough for inclusion, citing evidence. The rulebook's
    /// threshold is checked here; nothing short of it is even recorded as a proposal.
    public func proposeInclusion(_ draft: InclusionDraft, by actor: User, for purpose: StatedPurpose) async throws -> Inclusion {
        var v = Validator()
        let parsedSubject = SubjectID(draft.subjectID)
        v.check(parsedSubject != nil, "subjectId", "id.format", "subjectId must be a UUID")
        let parsedRationale = v.text(draft.rationale, "rationale", max: 2000)
        let intelligenceIDs: [IntelligenceID] = v.ids(draft.intelligenceIDs, "intelligenceIds")
        let matterIDs: [MatterID] = v.ids(draft.matterIDs, "matterIds")
        let (subjectID, rationale) = try v.finish(parsedSubject, parsedRationale)
        let id: InclusionID = ids.next()
        return try await perform(actor, purpose, action: .inclusionPropose) { tx, gate in
            let sealed = try await operationalSubject(subjectID, tx, gate)
            let links = try await tx.links(subject: subjectID)
            let open: [Inclusion.Status] = [.proposed, .awaitingCentral, .included]
            if try await tx.inclusions(subject: subjectID).contains(where: { open.contains($0.status) }) {
                throw RegisterError.conflict("this subject already has an inclusion proposed or in force")
            }
            let key = try await subjectKey(subjectID, tx)
            let personal = try openPersonal(sealed, key: key)
            let rulebook = try await rulebook(tx)
            var v = Validator()
            let evidence = try await inclusionEvidence(
                of: subjectID, intelligence: intelligenceIDs, matters: matterIDs, links: links, tx, &v)
            let age = personal.dateOfBirth.map { $0.age(on: gate.now.day) }
            let c = InclusionThreshold.Case(
                standing: CategoryStanding(links.map(\.category)), age: age, evidence: evidence,
                safeguardingRationale: draft.safeguardingRationale, proposer: actor.id)
            for shortfall in InclusionThreshold.shortfalls(c, under: rulebook) {
                v.fail(shortfall.field, shortfall.rule, shortfall.message)
            }
            if !v.violations.isEmpty { throw Shortfall(violations: v.violations, subjects: [subjectID], touched: [.inclusion(id)]) }
            let inclusion = Inclusion(
                id: id, subjectID: subjectID, unit: sealed.unit, proposedBy: actor.id, proposedAt: gate.now,
                evidence: evidence.map(\.item), rationale: rationale,
                safeguardingRationale: draft.safeguardingRationale?.nilIfBlank,
                isChild: ChildSafeguards.route(age: age, rulebook) != .adult, rulebookVersion: rulebook.version)
            try await tx.insertInclusion(try seal(inclusion, key: key))
            try await tx.insertEqualityEvents(
                try Monitor.equality([try equalityEvent(.proposed, sealed, key: key, on: gate.now.day, gate)], gate))
            // The sources the threshold counted are logged with the proposal: which decisions rest
            // on a source can be found when its reliability is questioned.
            let sources = Corroboration.independent(evidence.filter { !$0.isWeak }, proposer: actor.id).compactMap(\.source?.id)
            try await tx.appendAudit([
                gate.entry(.alteration, subjects: [subjectID], touched: [.inclusion(id)] + sources.map { AuditResource(.source, $0) })
            ])
            return inclusion
        }
    }

    /// The evidence for an inclusion as the threshold weighs it, each item with its source and
    /// grade: what a proposal is checked against, and what the decider is shown. An item that is
    /// not this person's, or cannot count, is a violation in `v` and left out.
    func inclusionEvidence(
        of subjectID: SubjectID, intelligence intelligenceIDs: [IntelligenceID], matters matterIDs: [MatterID],
        links: [SubjectMatterLink], _ tx: any RegisterTransaction, _ v: inout Validator
    ) async throws -> [InclusionEvidence] {
        var evidence: [InclusionEvidence] = []
        var intelligence: [SealedIntelligence?] = []
        for id in intelligenceIDs { intelligence.append(try await tx.intelligence(id)) }
        let matters = Dictionary(try await tx.matters(matterIDs).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let cited = try await tx.sources(
            intelligence.compactMap { $0?.provenance.source } + matters.values.compactMap(\.provenance.source))
        for (i, itemID) in intelligenceIDs.enumerated() {
            guard let item = intelligence[i], item.subjectID == subjectID else {
                v.fail("intelligenceIds[\(i)]", "inclusion.evidence-subject", "intelligence \(itemID) is not about this subject")
                continue
            }
            evidence.append(
                InclusionEvidence(
                    item: .intelligence(itemID), sourceType: item.provenance.sourceType,
                    originatingUnit: item.provenance.originatingUnit, source: item.provenance.source.flatMap { cited[$0]?.citation },
                    author: item.provenance.author, grade: item.grade))
        }
        for (i, matterID) in matterIDs.enumerated() {
            let held = links.filter { $0.matterID == matterID }
            guard let matter = matters[matterID], !held.isEmpty else {
                v.fail("matterIds[\(i)]", "inclusion.evidence-subject", "matter \(matterID) is not linked to this subject")
                continue
            }
            guard held.contains(where: \.category.isEnforcement) else {
                v.fail(
                    "matterIds[\(i)]", "inclusion.evidence-category",
                    "the subject is not a suspect or convicted on matter \(matter.reference); it cannot support an inclusion")
                continue
            }
            // A report is intelligence by another name: graded like an item, or no evidence at all.
            if matter.kind == .intelligenceReport, matter.grade == nil {
                v.fail(
                    "matterIds[\(i)]", "inclusion.ungraded-report",
                    "intelligence report \(matter.reference) has no 3x5x2 grade, so it cannot count as evidence; grade it first")
                continue
            }
            evidence.append(
                InclusionEvidence(
                    item: .matter(matterID), sourceType: matter.provenance.sourceType,
                    originatingUnit: matter.provenance.originatingUnit, source: matter.provenance.source.flatMap { cited[$0]?.citation },
                    author: matter.provenance.author, grade: matter.grade))
        }
        return evidence
    }

    /// A SPOC of the borough (never the proposer) decides; a child's inclusion then needs central
    /// governance too. On inclusion the first harm assessment is made and kept.
    public func decideInclusion(_ id: InclusionID, approve: Bool, reason: String, by actor: User, for purpose: StatedPurpose) async throws
        -> Inclusion
    {
        try await perform(actor, purpose, action: .inclusionDecide) { tx, gate in
            guard let sealed = try await tx.inclusion(id) else { throw RegisterError.notFound(kind: "inclusion", id: id.description) }
            try gate.scope(sealed.unit, named: .inclusion(id))
            let key = try await subjectKey(sealed.subjectID, tx)
            let current = try openInclusion(sealed, key: key)
            let rulebook = try await rulebook(tx)
            let decided = try gate.refusals(subjects: [sealed.subjectID], touched: [.inclusion(id)]) { () throws(RegisterError) in
                try current.deciding(approve, reason: reason, by: actor, on: gate.now, under: rulebook)
            }
            try await tx.updateInclusion(try seal(decided, key: key))
            var touched: [AuditResource] = [.inclusion(id)]
            if decided.status == .included {
                let assessment = try await harm(of: sealed.subjectID, key: key, rulebook: rulebook, on: gate.now.day, tx)
                let subject = try await loadSubject(sealed.subjectID, tx)
                if let assessment {
                    let person = try facts(subject, key: key, links: try await tx.links(subject: sealed.subjectID))
                    try await tx.insertHarmAssessment(
                        try Monitor.score(
                            try seal(assessment, subject: sealed.subjectID, unit: sealed.unit, at: gate.now, key: key), on: person,
                            rulebook: rulebook, approved: .inclusion(decided), gate))
                    touched.append(.harm(sealed.subjectID))
                }
                try await tx.insertEqualityEvents(
                    try Monitor.equality(
                        [try equalityEvent(.included, subject, key: key, on: gate.now.day, band: assessment?.band, gate)], gate))
            }
            try await tx.appendAudit([gate.entry(.alteration, subjects: [sealed.subjectID], touched: touched)])
            return decided
        }
    }

    /// Scores a subject by the published method and keeps the assessment, with every input and
    /// its contribution. Advisory only: an adverse use needs a recorded human decision.
    public func assessHarm(of subjectID: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> HarmAssessment {
        try await perform(actor, purpose, action: .harmAssess) { tx, gate in
            let sealed = try await operationalSubject(subjectID, tx, gate)
            // Keeping an assessment is a write: the borough scores its own people; readers do not.
            let key = try await subjectKey(subjectID, tx)
            let rulebook = try await rulebook(tx)
            guard let assessment = try await harm(of: subjectID, key: key, rulebook: rulebook, on: gate.now.day, tx) else {
                // Say which it is: a protected person, or someone the method has nothing to score.
                let protectedOnly = CategoryStanding(try await tx.links(subject: subjectID).map(\.category)).isProtectedOnly
                throw Refusal(
                    denial: protectedOnly ? .harmProtectedOnly : .harmNothingToScore,
                    subjects: [subjectID], touched: [.harm(subjectID)])
            }
            let person = try facts(sealed, key: key, links: try await tx.links(subject: subjectID))
            try await tx.insertHarmAssessment(
                try Monitor.score(
                    try seal(assessment, subject: subjectID, unit: sealed.unit, at: gate.now, key: key), on: person, rulebook: rulebook,
                    gate))
            try await tx.appendAudit([gate.entry(.alteration, subjects: [subjectID], touched: [.harm(subjectID)])])
            return assessment
        }
    }

    /// The method's inputs come from matters, links, intelligence grades and flags only: the
    /// subject's personal details are never opened here.
    func harm(of subjectID: SubjectID, key: SymmetricKey, rulebook: Rulebook, on day: LocalDate, _ tx: any RegisterTransaction) async throws
        -> HarmAssessment?
    {
        try await harms(of: [(subjectID, key)], rulebook: rulebook, on: day, tx)[subjectID]
    }

    /// `harm(of:)` for many people, each kind of input read once for all of them; those the
    /// method does not score are absent.
    func harms(
        of people: [(subjectID: SubjectID, key: SymmetricKey)], rulebook: Rulebook, on day: LocalDate, _ tx: any RegisterTransaction
    ) async throws -> [SubjectID: HarmAssessment] {
        let ids = people.map(\.subjectID)
        let links = try await tx.links(subjects: ids)
        let matters = Dictionary(try await tx.matters(links.map(\.matterID)).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let linked = Dictionary(
            grouping: links.compactMap { link in matters[link.matterID].map { LinkedMatter(link: link, matter: $0) } }, by: \.link.subjectID
        )
        let items = Dictionary(grouping: try await tx.intelligence(subjects: ids), by: \.subjectID)
        let flags = Dictionary(grouping: try await tx.flags(subjects: ids), by: \.subjectID)
        var assessed: [SubjectID: HarmAssessment] = [:]
        for (subjectID, key) in people {
            let intelligence = try (items[subjectID] ?? []).map { try openIntelligence($0, key: key) }
            let inputs = HarmInputs(matters: linked[subjectID] ?? [], intelligence: intelligence, flags: flags[subjectID] ?? [])
            if HarmMethod.scores(inputs) { assessed[subjectID] = try HarmMethod.assess(inputs, under: rulebook, on: day) }
        }
        return assessed
    }

    func seal(_ inclusion: Inclusion, key: SymmetricKey) throws -> SealedInclusion {
        SealedInclusion(
            id: inclusion.id, subjectID: inclusion.subjectID, unit: inclusion.unit, status: inclusion.status,
            nextReviewDue: inclusion.nextReviewDue, suspendedOn: inclusion.suspendedOn,
            removalReviewRequired: inclusion.removalReviewRequired,
            sealed: try keyring.seal(inclusion, key: key, subject: inclusion.subjectID, label: "inclusion"))
    }

    func seal(_ assessment: HarmAssessment, subject: SubjectID, unit: Borough, at: Timestamp, key: SymmetricKey) throws -> SealedEvent {
        SealedEvent(
            subjectID: subject, unit: unit, at: at, kind: HarmRowKind.of(assessment),
            sealed: try keyring.seal(assessment, key: key, subject: subject, label: "harm"))
    }
}
