/// A marker on a subject (prolific firearms offender, knife carrier). Always a personal
/// assessment, never a fact, and never without the evidence it rests on.
public struct Flag: Sendable, Equatable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case prolificFirearmsOffender = "prolific-firearms-offender"
        case knifeCarrier = "knife-carrier"
        public var label: String { self == .knifeCarrier ? "Knife carrier" : "Prolific firearms offender" }
    }

    public let id: FlagID
    public let subjectID: SubjectID
    public let unit: Borough
    public let kind: Kind
    public let evidence: [Evidence]
    public let provenance: Provenance
    public var basis: Basis { .assessment }

    public init(id: FlagID, subjectID: SubjectID, unit: Borough, kind: Kind, evidence: [Evidence], provenance: Provenance) {
        self.id = id
        self.subjectID = subjectID
        self.unit = unit
        self.kind = kind
        self.evidence = evidence
        self.provenance = provenance
    }
}

extension Flag {
    /// Evidence must be about the flagged subject: intelligence recorded on them, or matters where
    /// they are suspect or convicted (never where they were the victim or a witness).
    static func checkEvidence(
        _ evidence: [Evidence], subject: SubjectID, links: [SubjectMatterLink],
        subjectOfItem: [IntelligenceID: SubjectID], _ v: inout Validator
    ) {
        for (i, cited) in evidence.enumerated() {
            switch cited {
            case .intelligence(let itemID):
                v.check(
                    subjectOfItem[itemID] == subject, "evidence[\(i)]", "flag.evidence-subject",
                    "intelligence \(itemID) is not about this subject")
            case .matter(let matterID):
                let held = links.filter { $0.subjectID == subject && $0.matterID == matterID }
                if held.isEmpty {
                    v.fail("evidence[\(i)]", "flag.evidence-subject", "matter \(matterID) is not linked to this subject")
                } else if !held.contains(where: \.category.isEnforcement) {
                    v.fail(
                        "evidence[\(i)]", "flag.evidence-category",
                        "the subject is not a suspect or convicted on matter \(matterID); a flag rests on matters where they are")
                }
            }
        }
    }
}

/// What a flag rests on: an intelligence item or a matter, both about the same subject.
public enum Evidence: Hashable, Sendable, Codable {
    case intelligence(IntelligenceID)
    case matter(MatterID)
}

public struct FlagDraft: Sendable {
    public var subjectID: String
    public var kind: String
    public var intelligenceIDs: [String]
    public var matterIDs: [String]

    public init(subjectID: String, kind: String, intelligenceIDs: [String] = [], matterIDs: [String] = []) {
        (self.subjectID, self.kind, self.intelligenceIDs, self.matterIDs) = (subjectID, kind, intelligenceIDs, matterIDs)
    }

    public func validated() throws(RegisterError) -> (SubjectID, Flag.Kind, [Evidence]) {
        var v = Validator()
        let subject = SubjectID(subjectID)
        if subject == nil { v.fail("subjectId", "id.format", "subjectId must be a UUID") }
        let kind = Flag.Kind(rawValue: kind)
        if kind == nil { v.fail("kind", "flag.known", "kind must be prolific-firearms-offender or knife-carrier") }
        var evidence: [Evidence] = []
        for (i, text) in intelligenceIDs.enumerated() {
            if let id = IntelligenceID(text) {
                evidence.append(.intelligence(id))
            } else {
                v.fail("intelligenceIds[\(i)]", "id.format", "must be a UUID")
            }
        }
        for (i, text) in matterIDs.enumerated() {
            if let id = MatterID(text) { evidence.append(.matter(id)) } else { v.fail("matterIds[\(i)]", "id.format", "must be a UUID") }
        }
        if intelligenceIDs.isEmpty && matterIDs.isEmpty {
            v.fail("evidence", "flag.evidence", "a flag is an assessment and must cite the intelligence items or matters it rests on")
        }
        let (subjectValue, kindValue) = try v.finish(subject, kind)
        return (subjectValue, kindValue, Array(Set(evidence)).sorted { "\($0)" < "\($1)" })
    }
}
