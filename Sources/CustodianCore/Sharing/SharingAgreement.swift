public import Foundation

public typealias AgreementID = Identifier<SharingAgreement>

/// The fields a disclosure may carry, on the agreement's allow-list. Grading, category, fact or
/// assessment, and last review date travel with every record whatever the list says (S3).
public enum SharedField: String, Sendable, Codable, CaseIterable {
    case name, aliases, nickname
    case dateOfBirth = "date-of-birth"
    case sex, addresses
    case pncId = "pnc-id"
    case matters, intelligence, flags
    case harmBand = "harm-band"
}

/// An information sharing agreement as a record (S1, S7): who, why, under what power, which
/// fields and which people, on what conditions, for how long, and where it stands.
public struct SharingAgreement: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable { case draft, approved, suspended, terminated }

    /// One review by the four stages of police practice (APP information sharing).
    public struct Review: Sendable, Equatable, Codable {
        public let contactsChecked: Bool
        public let fitForPurpose: Bool
        public let emergingIssues: String
        public let extend: Bool
        public let by: UserID
        public let at: Timestamp
    }

    public let id: AgreementID
    public var title: String
    public var partners: [PartnerID]
    public var purpose: String
    public var legalPower: String
    public var fields: Set<SharedField>
    public var categories: Set<Category>
    public var bands: Set<HarmBand>
    /// A safeguarding agreement may name victims, witnesses and people scoring zero; others never reach them.
    public var safeguarding: Bool
    public var handlingConditions: String?
    /// Intelligence graded E or from a source evaluated 3 leaves only where the agreement says so.
    public var sharesWeakIntelligence: Bool {
        get { weakIntelligence ?? false }
        set { weakIntelligence = newValue }
    }
    /// Stored optional: agreements recorded before the rule decode as "no".
    private var weakIntelligence: Bool?
    public var onwardSharing: Bool
    public var retentionDays: Int
    public var securityTerms: String
    public var signatories: [String]
    public var startsOn: LocalDate
    public var reviewOn: LocalDate
    public var expiresOn: LocalDate
    public var status: Status
    public var approvals: [UserID]
    public var reviews: [Review]
    public let draftedBy: UserID
    /// An extension one governance user proposed at a review, waiting for a second to confirm the
    /// same date: keeping data flowing longer takes two people, as approving it did.
    public private(set) var proposedExtension: ProposedExtension?

    public struct ProposedExtension: Sendable, Equatable, Codable {
        public let to: LocalDate
        public let by: UserID
        public let at: Timestamp
    }

    public init(
        id: AgreementID, title: String, partners: [PartnerID], purpose: String, legalPower: String, fields: Set<SharedField>,
        categories: Set<Category>, bands: Set<HarmBand>, safeguarding: Bool, handlingConditions: String?, onwardSharing: Bool,
        retentionDays: Int, securityTerms: String, signatories: [String], startsOn: LocalDate, reviewOn: LocalDate, expiresOn: LocalDate,
        status: Status, approvals: [UserID], reviews: [Review], draftedBy: UserID, sharesWeakIntelligence: Bool = false
    ) {
        self.id = id
        self.title = title
        self.partners = partners
        self.purpose = purpose
        self.legalPower = legalPower
        self.fields = fields
        self.categories = categories
        self.bands = bands
        self.safeguarding = safeguarding
        self.handlingConditions = handlingConditions
        self.onwardSharing = onwardSharing
        self.retentionDays = retentionDays
        self.securityTerms = securityTerms
        self.signatories = signatories
        self.startsOn = startsOn
        self.reviewOn = reviewOn
        self.expiresOn = expiresOn
        self.status = status
        self.approvals = approvals
        self.reviews = reviews
        self.draftedBy = draftedBy
        self.weakIntelligence = sharesWeakIntelligence
    }

    /// Where the agreement stands on a day: only an approved agreement between its start and
    /// expiry is in force. An expired one cuts shares and portal access without anyone acting.
    public enum Standing: String, Sendable, Equatable, CaseIterable {
        case draft
        case notStarted = "not-started"
        case active, expired, suspended, terminated
    }

    public func standing(on day: LocalDate) -> Standing {
        switch status {
        case .draft: .draft
        case .suspended: .suspended
        case .terminated: .terminated
        case .approved: day < startsOn ? .notStarted : day > expiresOn ? .expired : .active
        }
    }

    /// A review by the four stages: an agreement that fails a stage, or is not to be extended, ends
    /// at once; an extension is proposed by one governance user and takes effect when a second
    /// confirms the same date.
    public func reviewed(
        contactsChecked: Bool, fitForPurpose: Bool, emergingIssues: String, extendTo: LocalDate?, by user: User, at now: Timestamp
    ) throws(RegisterError) -> SharingAgreement {
        try AccessPolicy.require(user, runs: .agreementReview)
        var next = self
        next.reviews.append(
            Review(
                contactsChecked: contactsChecked, fitForPurpose: fitForPurpose, emergingIssues: emergingIssues, extend: extendTo != nil,
                by: user.id, at: now))
        guard let extendTo, contactsChecked, fitForPurpose else {
            (next.status, next.proposedExtension) = (.terminated, nil)
            return next
        }
        guard extendTo > now.day else {
            throw .invalid([FieldViolation(field: "extendTo", rule: "agreement.extend-date", message: "an extension runs to a later day")])
        }
        guard let proposal = proposedExtension else {
            next.proposedExtension = ProposedExtension(to: extendTo, by: user.id, at: now)
            return next
        }
        try AccessPolicy.requireSeparation(user, TwoPersonCheck(.agreementExtension, proposer: proposal.by))
        guard proposal.to == extendTo else {
            throw .conflict("an extension to \(proposal.to) is proposed: confirm that date, or end the agreement")
        }
        next.expiresOn = extendTo
        next.reviewOn = min(extendTo, now.day.adding(days: 365))
        next.proposedExtension = nil
        return next
    }

    /// Governance approves; the second approval by a different governance user makes it approved.
    public func approving(by user: User) throws(RegisterError) -> SharingAgreement {
        try AccessPolicy.require(user, runs: .agreementApprove)
        guard status == .draft else { throw .conflict("the agreement is \(status.rawValue), not a draft") }
        try AccessPolicy.requireSeparation(user, TwoPersonCheck(.agreement, proposer: draftedBy, earlierDeciders: approvals))
        var next = self
        next.approvals.append(user.id)
        if next.approvals.count >= 2 { next.status = .approved }
        return next
    }
}
