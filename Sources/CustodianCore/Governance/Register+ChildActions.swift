import Crypto
import Foundation

/// What an officer asks for a child: a flag (with its evidence) or a harm score.
public struct ChildActionDraft: Sendable {
    public var kind: String
    public var subjectID: String
    public var flagKind: String?
    public var intelligenceIDs: [String]
    public var matterIDs: [String]
    public var safeguardingRationale: String?
    public init(
        kind: String, subjectID: String, flagKind: String? = nil, intelligenceIDs: [String] = [], matterIDs: [String] = [],
        safeguardingRationale: String?
    ) {
        (self.kind, self.subjectID, self.flagKind, self.intelligenceIDs, self.matterIDs) = (
            kind, subjectID, flagKind, intelligenceIDs, matterIDs
        )
        self.safeguardingRationale = safeguardingRationale
    }
}

extension Register {
    /// An officer asks to flag or score a child, with a safeguarding rationale. Nothing changes
    /// until a SPOC and central governance approve. Under the minimum age, never.
    public func requestChildAction(_ draft: ChildActionDraft, by actor: User, for purpose: StatedPurpose) async throws -> ChildAction {
        var v = Validator()
        let kind = ChildAction.Kind(rawValue: draft.kind)
        v.check(kind != nil, "kind", "child-action.kind", "kind must be flag or harm-assessment")
        let rationale = v.text(draft.safeguardingRationale, "safeguardingRationale", max: 2000)
        if let rationale, rationale.count < 20 {
            v.fail("safeguardingRationale", "child.rationale", "say how this protects the child, in at least 20 characters")
        }
        var flagKind: Flag.Kind?
        var evidence: [Evidence] = []
        if kind == .flag {
            do {
                let (_, k, e) = try FlagDraft(
                    subjectID: draft.subjectID, kind: draft.flagKind ?? "", intelligenceIDs: draft.intelligenceIDs,
                    matterIDs: draft.matterIDs
                ).validated()
                (flagKind, evidence) = (k, e)
            } catch let error { if case .invalid(let violations) = error { violations.forEach { v.fail($0.field, $0.rule, $0.message) } } }
        }
        let subjectIDInput = SubjectID(draft.subjectID)
        v.check(subjectIDInput != nil, "subjectId", "id.format", "subjectId must be a UUID")
        let (subjectID, kindValue, rationaleValue) = try v.finish(subjectIDInput, kind, rationale)
        let (chosenKind, cited) = (flagKind, evidence)
        let id: ChildActionID = ids.next()
        return try await perform(actor, purpose, action: .childActionRequest) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.childAction, id)]
            let subject = try await operationalSubject(subjectID, tx, gate)
            let links = try await tx.links(subject: subject.id)
            let key = try await subjectKey(subject.id, tx)
            let rulebook = try await rulebook(tx)
            switch try childRoute(subject, key: key, rulebook: rulebook, gate) {
            case .never:
                throw Refusal.underMinimumAge(subject.id, rulebook)
            case .adult:
                throw RegisterError.invalid([
                    FieldViolation(field: "subjectId", rule: "child.adult", message: "this person is an adult: flag or score them directly")
                ])
            case .child:
                break
            }
            if kind == .flag { try await checkFlagEvidence(cited, subject: subject.id, links: links, tx) }
            let action = ChildAction(
                id: id, subjectID: subject.id, unit: subject.unit, kind: kindValue, flagKind: chosenKind, evidence: cited,
                safeguardingRationale: rationaleValue, requestedBy: actor.id, requestedAt: gate.now)
            try await tx.upsertChildAction(try seal(action, key: key))
            try await tx.appendAudit([gate.entry(.alteration, subjects: [subject.id], touched: touched)])
            return action
        }
    }

    /// A SPOC of the borough, then central governance, decide. On the second approval the flag is
    /// placed, or the score made and kept, as of that day.
    public func decideChildAction(_ id: ChildActionID, approve: Bool, reason: String, by actor: User, for purpose: StatedPurpose)
        async throws -> ChildAction
    {
        try await perform(actor, purpose, action: .childActionDecide) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.childAction, id)]
            guard let sealed = try await tx.childAction(id) else { throw RegisterError.notFound(kind: "child action", id: id.description) }
            try gate.scope(sealed.unit, named: .childAction(id))
            let key = try await subjectKey(sealed.subjectID, tx)
            let current = try keyring.open(
                ChildAction.self, from: sealed.sealed, key: key, subject: sealed.subjectID, label: "child-action")
            let decided = try gate.refusals(subjects: [sealed.subjectID], touched: touched) { () throws(RegisterError) in
                try current.deciding(approve, reason: reason, by: actor, at: gate.now)
            }
            try await tx.upsertChildAction(try seal(decided, key: key))
            var done = touched
            if decided.status == .approved {
                let subject = try await operationalSubject(decided.subjectID, tx, gate)
                let links = try await tx.links(subject: subject.id)
                let person = try facts(subject, key: key, links: links)
                let rulebook = try await rulebook(tx)
                switch decided.kind {
                case .flag:
                    try await checkFlagEvidence(decided.evidence, subject: subject.id, links: links, tx)
                    let flag = Flag(
                        id: ids.next(), subjectID: subject.id, unit: subject.unit, kind: decided.flagKind ?? .knifeCarrier,
                        evidence: decided.evidence,
                        provenance: Provenance(
                            sourceType: .police, originatingUnit: .borough(subject.unit), author: decided.requestedBy, recordedAt: gate.now)
                    )
                    try await tx.insertFlag(try Monitor.flag(flag, on: person, rulebook: rulebook, approved: .childAction(decided), gate))
                    done.append(.flag(flag.id))
                case .harmAssessment:
                    guard let assessment = try await harm(of: subject.id, key: key, rulebook: rulebook, on: gate.now.day, tx) else {
                        throw RegisterError.invalid([
                            FieldViolation(
                                field: "subjectId", rule: "harm.nothing-to-score",
                                message: "the method has nothing to score for this person")
                        ])
                    }
                    try await tx.insertHarmAssessment(
                        try Monitor.score(
                            try seal(assessment, subject: subject.id, unit: subject.unit, at: gate.now, key: key), on: person,
                            rulebook: rulebook, approved: .childAction(decided), gate))
                    done.append(.harm(subject.id))
                }
            }
            try await tx.appendAudit([gate.entry(.alteration, subjects: [decided.subjectID], touched: done)])
            return decided
        }
    }

    /// The requests waiting for this person: a SPOC sees their borough's awaiting the SPOC,
    /// governance sees those awaiting central approval.
    public func childActions(by actor: User, for purpose: StatedPurpose) async throws -> [ChildAction] {
        try await perform(actor, purpose, action: .childActionList, .consultation) { tx, gate in
            let central = AccessPolicy.central(actor)
            var out: [ChildAction] = []
            for sealed in try await tx.childActions(
                units: central ? nil : actor.unit.borough.map { [$0] },
                statuses: [central ? .awaitingCentral : .awaitingSPOC])
            {
                let key = try await subjectKey(sealed.subjectID, tx)
                out.append(
                    try keyring.open(ChildAction.self, from: sealed.sealed, key: key, subject: sealed.subjectID, label: "child-action"))
            }
            try await tx.appendAudit([gate.entry(.consultation, subjects: out.map(\.subjectID), touched: [.whole(.childActions)])])
            return out
        }
    }

    /// The route a subject's age puts an adverse action on: adult, child, or never.
    func childRoute(_ subject: SealedSubject, key: SymmetricKey, rulebook: Rulebook, _ gate: Gate) throws -> ChildSafeguards.Route {
        ChildSafeguards.route(age: try openPersonal(subject, key: key).dateOfBirth.map { $0.age(on: gate.now.day) }, rulebook)
    }

    func checkFlagEvidence(_ evidence: [Evidence], subject: SubjectID, links: [SubjectMatterLink], _ tx: any RegisterTransaction)
        async throws
    {
        var subjectsOfItems: [IntelligenceID: SubjectID] = [:]
        for case .intelligence(let itemID) in evidence {
            subjectsOfItems[itemID] = try await tx.intelligence(itemID)?.subjectID
        }
        var v = Validator()
        Flag.checkEvidence(evidence, subject: subject, links: links, subjectOfItem: subjectsOfItems, &v)
        try v.finish()
    }

    func seal(_ action: ChildAction, key: SymmetricKey) throws -> SealedChildAction {
        SealedChildAction(
            id: action.id, subjectID: action.subjectID, unit: action.unit, status: action.status,
            sealed: try keyring.seal(action, key: key, subject: action.subjectID, label: "child-action"))
    }
}
