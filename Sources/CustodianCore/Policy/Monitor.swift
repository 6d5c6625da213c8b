public import Foundation

/// A value the reference monitor let through for one effect on a person. Its initialiser is
/// private to this file, so the only way to hand the store a flag or a harm score to write is
/// through `Monitor`, which runs every rule that attaches to that effect. A new door (a feed, a
/// decision's second step, a sweep) that forgets a rule does not compile.
public struct Permitted<Value: Sendable>: Sendable {
    public let value: Value
    fileprivate init(_ value: Value) { self.value = value }
}

/// What the rules about an adverse effect on a person read, gathered by the use case from the
/// record (or, in a feed, from the row that creates it).
struct PersonFacts: Sendable {
    let id: SubjectID
    let dateOfBirth: LocalDate?
    let standing: CategoryStanding
    let restricted: Bool
}

/// One person's record on its way into a disclosure, as the use case gathered it; the monitor
/// builds the record itself.
struct Outgoing: Sendable {
    let facts: PersonFacts
    let candidate: ShareCandidate
    let view: SubjectView
    let ref: String
    let lastReviewed: LocalDate?
}

/// A disclosure the monitor let through: its header and each record sealed under its subject's key.
public struct SealedDisclosure: Sendable {
    public let header: DisclosureHeader
    public let records: [(ref: String, subject: SubjectID, sealed: Data)]
}

/// How a child's flag or score was approved: a child action a SPOC and central governance agreed,
/// or an inclusion that passed the same two approvals.
enum ChildApproval: Sendable {
    case childAction(ChildAction)
    case inclusion(Inclusion)
}

/// The rules that attach to placing a flag or keeping a harm score, whichever use case does it.
enum Monitor {
    /// A flag goes only on an adult held in an enforcement category, or on a child through the
    /// child route; under the minimum age, never; never on a restricted record.
    static func flag(_ flag: Flag, on person: PersonFacts, rulebook: Rulebook, approved: ChildApproval? = nil, _ gate: Gate) throws
        -> Permitted<Flag>
    {
        try adverse(on: person, rulebook: rulebook, approved: approved, kind: .flag, gate)
        guard flag.subjectID == person.id else { throw RegisterError.conflict("a flag is permitted for the person it names only") }
        guard !person.standing.isProtectedOnly else {
            throw Refusal(
                denial: AccessDenial(
                    rule: "category.protected-only", reason: "an enforcement flag cannot rest on a subject held only as a victim or witness"
                ),
                subjects: [person.id], touched: [.subject(person.id)])
        }
        return Permitted(flag)
    }

    /// A harm score is kept only for an adult, or a child through the child route (a child action
    /// for a score, or an inclusion centrally approved); under the minimum age, never.
    static func score(_ assessment: SealedEvent, on person: PersonFacts, rulebook: Rulebook, approved: ChildApproval? = nil, _ gate: Gate)
        throws -> Permitted<SealedEvent>
    {
        try adverse(on: person, rulebook: rulebook, approved: approved, kind: .harmAssessment, gate)
        guard assessment.subjectID == person.id else { throw RegisterError.conflict("a score is permitted for the person it names only") }
        return Permitted(assessment)
    }

    /// Equality events carry ethnicity only while an appropriate policy document is in force
    /// (s.42); otherwise they are written without it, whichever door built them. A use case that
    /// does not declare sensitive data cannot write one at all.
    static func equality(_ events: [EqualityEvent], _ gate: Gate) throws -> Permitted<[EqualityEvent]> {
        guard let inForce = gate.policyDocumentInForce else {
            throw RegisterError.conflict("\(gate.action.rawValue) does not declare sensitive data: no equality event was written")
        }
        return Permitted(inForce ? events : events.map(\.withoutEthnicity))
    }

    /// A disclosure goes out only with people eligible under its agreement today, each record built
    /// here with exactly the agreement's fields and categories and without what its handling codes
    /// and grades withhold; a child, or someone of unknown age, only at the central step; never a
    /// restricted record, never anyone under the minimum age.
    static func disclosure(
        _ header: DisclosureHeader, _ outgoing: [Outgoing], agreement: SharingAgreement, rulebook: Rulebook,
        acknowledged: Set<IntelligenceID>, centralStep: Bool, seal: (DisclosedRecord, SubjectID) throws -> Data, _ gate: Gate
    ) throws -> Permitted<SealedDisclosure> {
        guard gate.action.declaration.does.contains(.discloses), header.agreementID == agreement.id else {
            throw RegisterError.conflict(
                "\(gate.action.rawValue) does not declare that it discloses under this agreement: nothing was sent")
        }
        var records: [(ref: String, subject: SubjectID, sealed: Data)] = []
        for person in outgoing {
            let id = person.facts.id
            guard person.candidate.subjectID == id, person.view.id == id else {
                throw RegisterError.conflict("a record is disclosed for the person it describes only")
            }
            if person.facts.restricted { throw Refusal.restricted(id) }
            let reasons = ShareEligibility.reasons(
                person.candidate, under: agreement, on: gate.now.day, rulebook: rulebook, acknowledged: acknowledged)
            if let first = reasons.first { throw Refusal(denial: first, subjects: [id], touched: [.subject(id)]) }
            switch ChildSafeguards.route(age: person.facts.dateOfBirth.map { $0.age(on: gate.now.day) }, rulebook) {
            case .adult: break
            case .never: throw Refusal.underMinimumAge(id, rulebook)
            case .child:
                guard centralStep else {
                    throw Refusal(denial: .childShareCentral, subjects: [id], touched: [.subject(id)])
                }
            }
            let record = DisclosedRecord(
                person.view, recordRef: person.ref, fields: agreement.fields, categories: agreement.categories,
                lastReviewed: person.lastReviewed, band: person.candidate.band, watermark: header.watermark,
                withholding: person.candidate.withheld(under: agreement, acknowledged: acknowledged))
            records.append((person.ref, id, try seal(record, id)))
        }
        return Permitted(SealedDisclosure(header: header, records: records))
    }

    /// The rules every adverse effect on a person shares: the use case declares it writes people's
    /// data (so its DPIA gate was derived and passed), the record is not restricted, and a child is
    /// reached through the child route only.
    private static func adverse(
        on person: PersonFacts, rulebook: Rulebook, approved: ChildApproval?, kind: ChildAction.Kind, _ gate: Gate
    ) throws {
        guard gate.action.declaration.requiresDPIA else {
            throw RegisterError.conflict("\(gate.action.rawValue) does not declare that it writes people's data: nothing was written")
        }
        if person.restricted { throw Refusal.restricted(person.id) }
        switch ChildSafeguards.route(age: person.dateOfBirth.map { $0.age(on: gate.now.day) }, rulebook) {
        case .adult:
            return
        case .never:
            throw Refusal.underMinimumAge(person.id, rulebook)
        case .child:
            if let approved, approves(approved, kind, for: person.id) { return }
            throw Refusal(
                denial: AccessDenial(
                    rule: "child.route",
                    reason:
                        "this person is under 18 or of unknown age: ask through /api/child-actions with a safeguarding rationale; a SPOC and central governance approve"
                ),
                subjects: [person.id], touched: [.subject(person.id)])
        }
    }

    private static func approves(_ approval: ChildApproval, _ kind: ChildAction.Kind, for person: SubjectID) -> Bool {
        switch approval {
        case .childAction(let action):
            return action.subjectID == person && action.kind == kind && action.status == .approved
        case .inclusion(let inclusion):
            return kind == .harmAssessment && inclusion.subjectID == person && inclusion.status == .included
                && inclusion.decisions.contains { $0.step == .central && $0.approved }
        }
    }
}
