import Foundation

public typealias DPIAID = Identifier<DPIA>

/// The data protection impact assessment of the register (s.64), required before processing that
/// is likely to result in a high risk: what the processing is, why it is necessary and
/// proportionate, the risks to people's rights and the measures against them. Versioned: each
/// version is drafted, advised on by the data protection officer, approved by a different member
/// of the board, and reviewed by a date. Without an approved version in date, nothing new is
/// collected, scored, decided, combined or disclosed (`Declaration.requiresDPIA`).
public struct DPIA: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case draft
        /// The data protection officer's advice is recorded; it awaits the board.
        case advised
        case approved
        /// A later version was approved.
        case superseded
    }

    public let id: DPIAID
    public let version: Int
    /// s.64(3)(a): the envisaged processing operations.
    public let processing: String
    /// Why the processing is necessary and proportionate to its purposes.
    public let necessity: String
    /// s.64(3)(b): the risks to the rights and freedoms of the people on the register.
    public let risks: String
    /// s.64(3)(c)-(d): the measures, safeguards and security that address those risks.
    public let measures: String
    /// s.65: a high risk remains despite the measures, so the ICO is consulted before processing.
    public let priorConsultation: Bool
    /// The ICO's written advice, where it was consulted; required before such a version is approved.
    public private(set) var icoAdvice: String?
    public let reviewOn: LocalDate
    public let draftedBy: UserID
    public let draftedAt: Timestamp
    public private(set) var dpoAdvice: String?
    public private(set) var advisedBy: UserID?
    public private(set) var advisedAt: Timestamp?
    public private(set) var approvedBy: UserID?
    public private(set) var approvedAt: Timestamp?
    public private(set) var status: Status

    /// How many days before its review date governance is warned.
    public static let warningDays = 30

    public static func drafting(_ d: DPIADraft, id: DPIAID, version: Int, by user: User, at now: Timestamp) throws(RegisterError) -> DPIA {
        var v = Validator()
        let processing = v.text(d.processing, "processing", max: 8000)
        let necessity = v.text(d.necessity, "necessity", max: 8000)
        let risks = v.text(d.risks, "risks", max: 8000)
        let measures = v.text(d.measures, "measures", max: 8000)
        for (field, text) in [("processing", processing), ("necessity", necessity), ("risks", risks), ("measures", measures)] {
            if let text, text.count < 40 { v.fail(field, "dpia.substance", "\(field) needs at least 40 characters: say what, not that") }
        }
        let icoAdvice = v.text(d.icoAdvice, "icoAdvice", max: 4000, required: false)
        let reviewOn = LocalDate(iso: d.reviewOn)
        v.check(reviewOn != nil, "reviewOn", "date.format", "reviewOn must be a date as YYYY-MM-DD")
        if let reviewOn {
            v.check(reviewOn > now.day, "reviewOn", "dpia.review", "the review date must be after today")
            v.check(
                reviewOn <= now.day.adding(days: 3 * 366), "reviewOn", "dpia.review",
                "a DPIA is reviewed at least every three years")
        }
        v.check(AccessPolicy.runs(user.role, .dpiaDraft), "draftedBy", "dpia.governance", "governance drafts the DPIA")
        let (p, n, r, m, review) = try v.finish(processing, necessity, risks, measures, reviewOn)
        return DPIA(
            id: id, version: version, processing: p, necessity: n, risks: r, measures: m, priorConsultation: d.priorConsultation,
            icoAdvice: icoAdvice, reviewOn: review, draftedBy: user.id, draftedAt: now, status: .draft)
    }

    /// The data protection officer's advice (s.69-71: the DPO is involved in every data protection
    /// issue), recorded before the board decides.
    public func advising(_ advice: String, by user: User, at now: Timestamp) throws(RegisterError) -> DPIA {
        try AccessPolicy.require(user, runs: .dpiaAdvise)
        guard status == .draft || status == .advised else { throw .conflict("DPIA version \(version) is already \(status.rawValue)") }
        var v = Validator()
        let text = v.text(advice, "advice", max: 8000)
        if let text, text.count < 40 { v.fail("advice", "dpia.substance", "the DPO's advice needs at least 40 characters") }
        let adviceText = try v.finish(text)
        var next = self
        (next.dpoAdvice, next.advisedBy, next.advisedAt, next.status) = (adviceText, user.id, now, .advised)
        return next
    }

    /// The board's approval, by a governance user other than the one who advised. A version that
    /// needs prior consultation is approved only with the ICO's advice recorded.
    public func approving(by user: User, icoAdvice: String?, at now: Timestamp) throws(RegisterError) -> DPIA {
        try AccessPolicy.require(user, runs: .dpiaApprove)
        try AccessPolicy.requireSeparation(user, TwoPersonCheck(.dpia, proposer: nil, earlierDeciders: advisedBy.map { [$0] } ?? []))
        guard status == .advised else {
            throw .conflict(
                status == .draft
                    ? "the data protection officer's advice is recorded before the board approves"
                    : "DPIA version \(version) is already \(status.rawValue)")
        }
        var v = Validator()
        let ico = v.text(icoAdvice ?? self.icoAdvice, "icoAdvice", max: 4000, required: false)
        if priorConsultation, ico == nil {
            v.fail("icoAdvice", "dpia.prior-consultation", "a high risk remains: record the ICO's written advice (s.65) before approving")
        }
        v.check(reviewOn > now.day, "reviewOn", "dpia.review", "this version's review date has passed: draft a new version")
        try v.finish()
        var next = self
        (next.icoAdvice, next.approvedBy, next.approvedAt, next.status) = (ico, user.id, now, .approved)
        return next
    }

    public func superseded() -> DPIA {
        var next = self
        next.status = .superseded
        return next
    }

    /// Approved and not past its review date.
    public func isInForce(on day: LocalDate) -> Bool { status == .approved && day <= reviewOn }
}

public struct DPIADraft: Sendable {
    public var processing: String
    public var necessity: String
    public var risks: String
    public var measures: String
    public var priorConsultation: Bool
    public var icoAdvice: String?
    public var reviewOn: String

    public init(
        processing: String, necessity: String, risks: String, measures: String, priorConsultation: Bool = false,
        icoAdvice: String? = nil, reviewOn: String
    ) {
        (self.processing, self.necessity, self.risks, self.measures) = (processing, necessity, risks, measures)
        (self.priorConsultation, self.icoAdvice, self.reviewOn) = (priorConsultation, icoAdvice, reviewOn)
    }
}

/// Where the register stands on its DPIA today: what governance is shown everywhere it looks.
public struct DPIAStanding: Sendable, Equatable {
    public let inForce: DPIA?
    public let today: LocalDate

    /// Days until the version in force is due for review; nil with none in force.
    public var daysToReview: Int? { inForce.map { $0.reviewOn.daysSinceEpoch - today.daysSinceEpoch } }
    /// Within `DPIA.warningDays` of the review date.
    public var reviewSoon: Bool { daysToReview.map { $0 <= DPIA.warningDays } ?? false }
}
