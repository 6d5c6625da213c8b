public import Foundation

public typealias RightsRequestID = Identifier<RightsRequest>

/// A request by a person on the register to exercise a right under DPA 2018 Part 3, as the rights
/// team records it: what is asked, how the person's identity was confirmed, and the statutory
/// clock. The clock runs from the later of receipt and confirmation of identity (s.54, with the
/// identity information s.52(4) lets a controller ask for).
public struct RightsRequest: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// s.45: confirmation, the data and its origin, purposes, recipients, retention, rights.
        case access
        /// s.46: inaccurate data corrected, incomplete data completed.
        case rectification
        /// s.47: erasure where processing would breach the principles.
        case erasure
        /// s.47: restriction where accuracy is contested or the data must be kept as evidence.
        case restriction
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Received; identity not yet confirmed, so the clock has not started.
        case awaitingIdentity = "awaiting-identity"
        /// Identity confirmed; the clock runs.
        case open
        /// Answered in writing: granted, or granted in part.
        case answered
        /// Refused in writing, with the reasons and the person's routes to the ICO and the courts.
        case refused
    }

    public let id: RightsRequestID
    public let kind: Kind
    public let receivedOn: LocalDate
    /// Who handles it: a governance user acting for subject rights.
    public let handler: UserID
    public private(set) var status: Status
    /// How the person's identity was confirmed (the documents seen, never copies of them).
    public private(set) var identityEvidence: String?
    public private(set) var identityConfirmedOn: LocalDate?
    public private(set) var outcome: String?
    public private(set) var closedOn: LocalDate?
    /// The people on the register a person of the rights team confirmed this request is about;
    /// nothing is compiled before that.
    public private(set) var subjects: [SubjectID] = []
    /// Items withheld from the answer, each with its ground (s.45(4)) and review date.
    public private(set) var restrictions: [ItemRestriction] = []
    /// An erasure one member of the rights team decided, waiting for a second to confirm it:
    /// erasure cannot be undone, so it takes two people, and what the second confirms is exactly
    /// what the first wrote.
    public private(set) var erasureProposal: ErasureProposal?
    /// Who asked, sealed (`Keyring.seal(_:for:)`): the answer is a letter to them.
    public let requester: Data?

    public init(id: RightsRequestID, kind: Kind, receivedOn: LocalDate, handler: UserID, requester: Data? = nil) {
        (self.id, self.kind, self.receivedOn, self.handler, self.status) = (id, kind, receivedOn, handler, .awaitingIdentity)
        self.requester = requester
    }

    /// When the answer is due; nil until identity is confirmed (the clock has not started).
    public var dueOn: LocalDate? {
        identityConfirmedOn.map { StatutoryPeriod.deadline(startingOn: max($0, receivedOn)) }
    }

    /// Open and past its deadline on `today`: shown to governance on the dashboard.
    public func isOverdue(on today: LocalDate) -> Bool {
        guard status == .open, let due = dueOn else { return false }
        return today > due
    }

    /// Identity confirmed, with how; the clock starts on that day (or on receipt, if later).
    public func confirmingIdentity(_ evidence: String, on day: LocalDate) throws(RegisterError) -> RightsRequest {
        guard status == .awaitingIdentity else { throw .conflict("identity is confirmed once; this request is \(status.rawValue)") }
        var v = Validator()
        let text = v.text(evidence, "identityEvidence", max: 1000)
        if let text, text.count < 10 {
            v.fail("identityEvidence", "rights.identity", "say how identity was confirmed, in at least 10 characters")
        }
        v.check(
            day >= receivedOn, "identityConfirmedOn", "rights.identity-date", "identity cannot be confirmed before the request was received"
        )
        let evidenceText = try v.finish(text)
        var next = self
        (next.identityEvidence, next.identityConfirmedOn, next.status) = (evidenceText, day, .open)
        return next
    }

    /// The people the request is about, confirmed by a person after a search (a search alone
    /// never decides who someone is). Replaces any earlier confirmation while the request is open.
    public func confirmingSubjects(_ people: [SubjectID]) throws(RegisterError) -> RightsRequest {
        guard status == .open else { throw .conflict("subjects are confirmed on an open request; this one is \(status.rawValue)") }
        guard !people.isEmpty, people.count <= 50 else {
            throw .invalid([FieldViolation(field: "subjectIds", rule: "rights.subjects", message: "confirm between 1 and 50 people")])
        }
        var next = self
        next.subjects = Array(Set(people)).sorted { $0.description < $1.description }
        return next
    }

    /// Whether the answer neither confirms nor denies that anything is held (s.45(4) applied to the
    /// whole right, s.45(6)): the person is told only that, and their routes to the ICO.
    public var neitherConfirmNorDeny: Bool { restrictions.contains { $0.item == ItemRestriction.wholeAnswer } }

    /// An item withheld from the answer, recorded with its ground; `ItemRestriction.wholeAnswer`
    /// withholds everything, confirmation included, on an access request.
    public func withholding(_ restriction: ItemRestriction) throws(RegisterError) -> RightsRequest {
        guard status == .open else { throw .conflict("items are withheld from an open request; this one is \(status.rawValue)") }
        if restriction.item == ItemRestriction.wholeAnswer, kind != .access {
            throw .invalid([
                FieldViolation(
                    field: "item", rule: "rights.ncnd-access", message: "neither confirm nor deny answers an access request only")
            ])
        }
        var next = self
        next.restrictions.removeAll { $0.item == restriction.item }
        next.restrictions.append(restriction)
        return next
    }

    /// An erasure proposed, with the outcome the person will be told once a second member of the
    /// rights team confirms it. A later proposal by someone else is a confirmation, not this.
    public func proposingErasure(outcome: String, by user: UserID, at now: Timestamp) throws(RegisterError) -> RightsRequest {
        let checked = try closing(refused: false, outcome: outcome, on: now.day)
        var next = self
        next.erasureProposal = ErasureProposal(outcome: checked.outcome ?? outcome, by: user, at: now)
        return next
    }

    /// Closed in writing: answered, or refused with its reasons (s.48: the reasons, the right to
    /// ask the ICO to check, to complain and to go to court).
    public func closing(refused: Bool, outcome: String, on day: LocalDate) throws(RegisterError) -> RightsRequest {
        guard status == .open else { throw .conflict("only an open request is answered; this one is \(status.rawValue)") }
        var v = Validator()
        let reasonInput = v.decisionReason(outcome, "outcome")
        v.check(day >= receivedOn, "closedOn", "rights.closed-date", "a request cannot be answered before it was received")
        let reason = try v.finish(reasonInput)
        var next = self
        (next.outcome, next.closedOn, next.status) = (reason, day, refused ? .refused : .answered)
        next.erasureProposal = nil
        return next
    }
}

/// An erasure decided by one member of the rights team and not yet confirmed by a second.
public struct ErasureProposal: Sendable, Equatable, Codable {
    public let outcome: String
    public let by: UserID
    public let at: Timestamp
}

/// Why an item is withheld from an answer: the grounds of ss.44(4), 45(4) and 48(3), identical in
/// each, and lawful only where necessary and proportionate.
public enum RestrictionGround: String, Sendable, Codable, CaseIterable {
    case obstructInquiry = "obstruct-inquiry"
    case prejudiceOffences = "prejudice-offences"
    case publicSecurity = "public-security"
    case nationalSecurity = "national-security"
    case othersRights = "others-rights"

    public var statute: String {
        switch self {
        case .obstructInquiry: "s.45(4)(a): to avoid obstructing an official or legal inquiry, investigation or procedure"
        case .prejudiceOffences:
            "s.45(4)(b): to avoid prejudicing the prevention, detection, investigation or prosecution of offences or the execution of penalties"
        case .publicSecurity: "s.45(4)(c): to protect public security"
        case .nationalSecurity: "s.45(4)(d): to protect national security"
        case .othersRights: "s.45(4)(e): to protect the rights and freedoms of others"
        }
    }
}

/// One item withheld from an access answer: the ground, why withholding it is necessary and
/// proportionate, who decided, and when the decision is looked at again. Kept so the ICO can be
/// shown the reasons (s.45(7)).
public struct ItemRestriction: Sendable, Equatable, Codable {
    /// The item that stands for the whole answer: neither confirm nor deny.
    public static let wholeAnswer = "*"

    public let item: String
    public let ground: RestrictionGround
    public let necessity: String
    public let decidedBy: UserID
    public let reviewOn: LocalDate

    public static func deciding(
        item: String, ground: String, necessity: String, by decider: User, reviewOn: LocalDate?, today: LocalDate
    ) throws(RegisterError) -> ItemRestriction {
        var v = Validator()
        let parsedGround = RestrictionGround(rawValue: ground)
        v.check(
            parsedGround != nil, "ground", "rights.restriction-ground",
            "ground must be one of \(RestrictionGround.allCases.map(\.rawValue).joined(separator: ", "))")
        let note = v.decisionReason(necessity, "necessity")
        v.check(
            AccessPolicy.runs(decider.role, .rightsWithhold), "decidedBy", "rights.restriction-decider",
            "governance decides what is withheld")
        if let reviewOn {
            v.check(reviewOn > today, "reviewOn", "rights.restriction-review", "the review date must be after today")
        } else {
            v.fail("reviewOn", "required", "a withheld item needs a date on which the decision is looked at again")
        }
        let (groundValue, noteValue, reviewValue) = try v.finish(parsedGround, note, reviewOn)
        return ItemRestriction(item: item, ground: groundValue, necessity: noteValue, decidedBy: decider.id, reviewOn: reviewValue)
    }
}

/// The person who made a rights request, as the answer letter addresses them.
public struct Requester: Sendable, Codable, Equatable {
    public let name: String
    /// Their own reference, if they gave one.
    public let reference: String?
    /// Where the answer goes: a postal or email address.
    public let contact: String

    public init(name: String, reference: String?, contact: String) {
        (self.name, self.reference, self.contact) = (name, reference, contact)
    }

    /// Name and contact required, each refused by name when missing or malformed.
    public static func validated(name: String?, reference: String?, contact: String?, _ v: inout Validator) -> Requester? {
        let n = v.line(name, "requester.name", max: 200)
        let r = v.line(reference, "requester.reference", max: 100, required: false)
        let c = v.text(contact, "requester.contact", max: 500)
        guard let n, let c else { return nil }
        return Requester(name: n, reference: r, contact: c)
    }
}
