import Foundation

public typealias SourceID = Identifier<RegisteredSource>

/// A source the register knows as a record, not as a label an officer types (I1, I5): a partner
/// organisation, a registered human source or a technical source. Kept by the source unit, which
/// proposes no inclusions. Intelligence and matters cite one by id; two items corroborate each
/// other only when their sources are distinct records handled by different units
/// (`Corroboration`).
public struct RegisteredSource: Sendable, Codable, Equatable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case partnerOrganisation = "partner-organisation"
        case humanSource = "human-source"
        case technicalSource = "technical-source"

        public var label: String {
            switch self {
            case .partnerOrganisation: "Partner organisation"
            case .humanSource: "Registered human source"
            case .technicalSource: "Technical source"
            }
        }
    }

    /// One evaluation of the source's reliability (the first part of a 3x5x2 grade), dated and
    /// reasoned, so a source's record shows how its standing has changed and why.
    public struct Evaluation: Sendable, Codable, Equatable {
        public let reliability: ThreeByFiveByTwo.Source
        public let rationale: String
        public let by: UserID
        public let at: Timestamp
        public init(reliability: ThreeByFiveByTwo.Source, rationale: String, by: UserID, at: Timestamp) {
            (self.reliability, self.rationale, self.by, self.at) = (reliability, rationale, by, at)
        }
    }

    public let id: SourceID
    public let kind: Kind
    /// What staff see when they cite it: an organisation's name, or a human source's pseudonym.
    /// Never the identity of a human source, which stays with its handler outside the register.
    public let label: String
    /// Who owns the relationship: the organisation, or the source unit's controller.
    public let owner: String
    /// The unit that handles the source. Items from two sources handled by one unit are one line
    /// of reporting, not two.
    public let handlerUnit: Scope
    public let registeredBy: UserID
    public let registeredAt: Timestamp
    /// Oldest first; never empty.
    public private(set) var evaluations: [Evaluation]
    /// A withdrawn source can no longer be cited; what already cites it keeps its history.
    public private(set) var withdrawnAt: Timestamp?

    public init(
        id: SourceID, kind: Kind, label: String, owner: String, handlerUnit: Scope, registeredBy: UserID, registeredAt: Timestamp,
        evaluations: [Evaluation], withdrawnAt: Timestamp? = nil
    ) {
        (self.id, self.kind, self.label, self.owner, self.handlerUnit) = (id, kind, label, owner, handlerUnit)
        (self.registeredBy, self.registeredAt, self.evaluations, self.withdrawnAt) = (registeredBy, registeredAt, evaluations, withdrawnAt)
    }

    /// The latest evaluation's word on the source.
    public var reliability: ThreeByFiveByTwo.Source { evaluations.last?.reliability ?? .untested }

    public var citation: SourceCitation {
        SourceCitation(id: id, kind: kind, label: label, handlerUnit: handlerUnit, reliability: reliability, withdrawn: withdrawnAt != nil)
    }

    /// A new evaluation, or a withdrawal, by the source unit.
    public func evaluated(_ evaluation: Evaluation, withdrawing: Bool) throws(RegisterError) -> RegisteredSource {
        if withdrawnAt != nil {
            throw .invalid([
                FieldViolation(
                    field: "sourceId", rule: "source.withdrawn", message: "the source is withdrawn; it cannot be evaluated again")
            ])
        }
        var next = self
        next.evaluations.append(evaluation)
        if withdrawing { next.withdrawnAt = evaluation.at }
        return next
    }
}

/// What anyone who records or weighs evidence sees of a source: enough to cite it and to judge
/// corroboration, and nothing that identifies a human source or its owner.
public struct SourceCitation: Sendable, Equatable, Hashable {
    public let id: SourceID
    public let kind: RegisteredSource.Kind
    public let label: String
    public let handlerUnit: Scope
    public let reliability: ThreeByFiveByTwo.Source
    public let withdrawn: Bool
    public init(
        id: SourceID, kind: RegisteredSource.Kind, label: String, handlerUnit: Scope, reliability: ThreeByFiveByTwo.Source,
        withdrawn: Bool
    ) {
        (self.id, self.kind, self.label, self.handlerUnit, self.reliability, self.withdrawn) = (
            id, kind, label, handlerUnit, reliability, withdrawn
        )
    }
}

/// A source as the source unit registers it.
public struct SourceDraft: Sendable {
    public var kind: String
    public var label: String
    public var owner: String
    public var handlerUnit: String
    public var reliability: String
    public var rationale: String

    public init(kind: String, label: String, owner: String, handlerUnit: String, reliability: String, rationale: String) {
        (self.kind, self.label, self.owner, self.handlerUnit, self.reliability, self.rationale) = (
            kind, label, owner, handlerUnit, reliability, rationale
        )
    }

    public func validated(id: SourceID, by actor: UserID, at now: Timestamp) throws(RegisterError) -> RegisteredSource {
        var v = Validator()
        let kind = RegisteredSource.Kind(rawValue: kind)
        if kind == nil {
            v.fail("kind", "source.kind", "kind must be one of \(RegisteredSource.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let label = v.line(label, "label", max: 120)
        let owner = v.line(owner, "owner", max: 200)
        let unit = Scope(code: handlerUnit)
        if unit == nil { v.fail("handlerUnit", "unit.known", "handlerUnit must be a London borough code or central") }
        let evaluation = EvaluationDraft(reliability: reliability, rationale: rationale).validated(&v)
        let (k, l, o, u, e) = try v.finish(kind, label, owner, unit, evaluation)
        return RegisteredSource(
            id: id, kind: k, label: l, owner: o, handlerUnit: u, registeredBy: actor, registeredAt: now,
            evaluations: [RegisteredSource.Evaluation(reliability: e.reliability, rationale: e.rationale, by: actor, at: now)])
    }
}

/// A reliability evaluation as the source unit records it.
public struct EvaluationDraft: Sendable {
    public var reliability: String
    public var rationale: String
    public init(reliability: String, rationale: String) { (self.reliability, self.rationale) = (reliability, rationale) }

    func validated(_ v: inout Validator) -> (reliability: ThreeByFiveByTwo.Source, rationale: String)? {
        let reliability = ThreeByFiveByTwo.Source(rawValue: reliability)
        if reliability == nil {
            v.fail("reliability", "source.reliability", "reliability must be 1 (reliable), 2 (untested) or 3 (not reliable)")
        }
        let rationale = v.text(rationale, "rationale", max: 2000)
        if let rationale, rationale.count < 10 {
            v.fail("rationale", "source.rationale", "say in at least 10 characters why the source is evaluated so")
        }
        guard let reliability, let rationale, rationale.count >= 10 else { return nil }
        return (reliability, rationale)
    }
}
