public typealias DuplicateDecisionID = Identifier<DuplicateDecision>

/// Two records of people, in a fixed order (the lower id first), so one pair has one key whichever
/// way round it was found or asked about.
public struct SubjectPair: Hashable, Sendable, Codable {
    public let first: SubjectID
    public let second: SubjectID

    public init?(_ a: SubjectID, _ b: SubjectID) {
        guard a != b else { return nil }
        (first, second) = a.description < b.description ? (a, b) : (b, a)
    }

    public var key: String { "\(first)+\(second)" }

    public func other(than subject: SubjectID) -> SubjectID? {
        subject == first ? second : subject == second ? first : nil
    }
}

/// A pair the scan found alike enough to put before a person. Holds ids, boroughs and the reasons
/// counted, never names: what the two records say is read from them when the pair is shown.
public struct DuplicateCandidate: Sendable, Equatable {
    public let pair: SubjectPair
    public let firstUnit: Borough
    public let secondUnit: Borough
    public let match: DuplicateMatch
    public let foundAt: Timestamp

    public init(pair: SubjectPair, firstUnit: Borough, secondUnit: Borough, match: DuplicateMatch, foundAt: Timestamp) {
        self.pair = pair
        self.firstUnit = firstUnit
        self.secondUnit = secondUnit
        self.match = match
        self.foundAt = foundAt
    }
}

/// A person's judgement that two boroughs' records are, or are not, of one person. "Same" links
/// the records and merges nothing: each borough keeps its record, its scope and its own decisions
/// about it. A decision is never edited or deleted, only reversed with a reason, so the history of
/// who linked whom, and why, stays whole.
public struct DuplicateDecision: Sendable, Equatable, Codable {
    public enum Verdict: String, CaseIterable, Sendable, Codable {
        case same
        case notSame = "not-same"
        case notSure = "not-sure"

        public var label: String {
            switch self {
            case .same: "Same person"
            case .notSame: "Not the same person"
            case .notSure: "Not sure"
            }
        }
    }

    public struct Reversal: Sendable, Equatable, Codable {
        public let reason: String
        public let by: UserID
        public let at: Timestamp
    }

    public let id: DuplicateDecisionID
    public let pair: SubjectPair
    public let verdict: Verdict
    public let reason: String
    public let decidedBy: UserID
    public let role: Role
    public let at: Timestamp
    /// The score and reasons the decider was shown, kept with what they decided.
    public let score: Int
    public let evidence: [DuplicateEvidence]
    public private(set) var reversal: Reversal?

    public var inForce: Bool { reversal == nil }
    /// A verdict in force that takes the pair out of the queue; "not sure" leaves it there.
    public var settles: Bool { inForce && verdict != .notSure }

    /// Who may decide: governance, or a central analyst (who alone reads across boroughs).
    /// A reason is what makes the decision reviewable: a few words are no reason.
    public static func deciding(
        id: DuplicateDecisionID, pair: SubjectPair, verdict: String, reason: String, match: DuplicateMatch,
        by user: User, at now: Timestamp
    ) throws(RegisterError) -> DuplicateDecision {
        var v = Validator()
        let parsed = Verdict(rawValue: verdict)
        v.check(
            parsed != nil, "verdict", "duplicates.verdict",
            "verdict must be one of \(Verdict.allCases.map(\.rawValue).joined(separator: ", "))")
        let text = Self.substantial(reason, &v)
        let (verdict, reason) = try v.finish(parsed, text)
        return DuplicateDecision(
            id: id, pair: pair, verdict: verdict, reason: reason, decidedBy: user.id, role: user.role, at: now,
            score: match.score, evidence: match.evidence, reversal: nil)
    }

    /// Undoes the decision: the link (or the judgement) ends, the record of it stays.
    public func reversing(reason: String, by user: User, at now: Timestamp) throws(RegisterError) -> DuplicateDecision {
        var v = Validator()
        let text = Self.substantial(reason, &v)
        v.check(inForce, "decision", "duplicates.reversed", "this decision was reversed already")
        let why = try v.finish(text)
        var next = self
        next.reversal = Reversal(reason: why, by: user.id, at: now)
        return next
    }

    public static let minimumReason = 20

    static func substantial(_ reason: String, _ v: inout Validator) -> String? {
        let text = v.text(reason, "reason", max: 2000)
        if let text, text.count < minimumReason {
            v.fail("reason", "duplicates.reason-substance", "reason needs at least \(minimumReason) characters: say what was compared")
        }
        return text
    }
}
