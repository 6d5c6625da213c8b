import Foundation

public typealias PolicyDocumentID = Identifier<PolicyDocument>

/// The appropriate policy document for sensitive processing (s.42): the register records and
/// reads ethnicity (racial or ethnic origin, s.35(8)(a)) for equality monitoring, which the law
/// allows only where strictly necessary, under a Schedule 8 condition, with this document in
/// place. It says which conditions are relied on, how the principles are complied with, and how
/// long the data is kept. Versioned; each version approved by a second governance user. Without
/// an approved version, ethnicity is neither recorded nor read. No version is ever deleted: the
/// law wants it kept until six months after the sensitive processing ends (s.42(3)).
public struct PolicyDocument: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable { case draft, approved, superseded }

    public let id: PolicyDocumentID
    public let version: Int
    /// s.42(2)(a): the Schedule 8 conditions relied on, and why each is met.
    public let conditions: String
    /// s.42(2)(b)(i): how the data protection principles are complied with for this data.
    public let procedures: String
    /// s.42(2)(b)(ii): how long it is kept and how it is erased.
    public let retention: String
    public let reviewOn: LocalDate
    public let draftedBy: UserID
    public let draftedAt: Timestamp
    public private(set) var approvedBy: UserID?
    public private(set) var approvedAt: Timestamp?
    public private(set) var status: Status

    public static func drafting(_ d: PolicyDocumentDraft, id: PolicyDocumentID, version: Int, by user: User, at now: Timestamp)
        throws(RegisterError) -> PolicyDocument
    {
        var v = Validator()
        let conditions = v.text(d.conditions, "conditions", max: 8000)
        let procedures = v.text(d.procedures, "procedures", max: 8000)
        let retention = v.text(d.retention, "retention", max: 8000)
        for (field, text) in [("conditions", conditions), ("procedures", procedures), ("retention", retention)] {
            if let text, text.count < 40 { v.fail(field, "policy.substance", "\(field) needs at least 40 characters: say what, not that") }
        }
        let reviewOn = LocalDate(iso: d.reviewOn)
        v.check(reviewOn != nil, "reviewOn", "date.format", "reviewOn must be a date as YYYY-MM-DD")
        if let reviewOn { v.check(reviewOn > now.day, "reviewOn", "policy.review", "the review date must be after today") }
        v.check(
            AccessPolicy.runs(user.role, .policyDocumentDraft), "draftedBy", "policy.governance",
            "governance drafts the appropriate policy document")
        let (c, p, r, review) = try v.finish(conditions, procedures, retention, reviewOn)
        return PolicyDocument(
            id: id, version: version, conditions: c, procedures: p, retention: r, reviewOn: review, draftedBy: user.id, draftedAt: now,
            status: .draft)
    }

    /// Approved by a governance user other than its drafter.
    public func approving(by user: User, at now: Timestamp) throws(RegisterError) -> PolicyDocument {
        try AccessPolicy.require(user, runs: .policyDocumentApprove)
        try AccessPolicy.requireSeparation(user, TwoPersonCheck(.policyDocument, proposer: draftedBy))
        guard status == .draft else { throw .conflict("policy document version \(version) is already \(status.rawValue)") }
        var next = self
        (next.approvedBy, next.approvedAt, next.status) = (user.id, now, .approved)
        return next
    }

    public func superseded() -> PolicyDocument {
        var next = self
        next.status = .superseded
        return next
    }

    /// Sensitive processing needs the document in place, not a review met: a version past its
    /// review date still covers it (governance is warned), as the law asks only that one is held.
    public var isInForce: Bool { status == .approved }
}

public struct PolicyDocumentDraft: Sendable {
    public var conditions: String
    public var procedures: String
    public var retention: String
    public var reviewOn: String

    public init(conditions: String, procedures: String, retention: String, reviewOn: String) {
        (self.conditions, self.procedures, self.retention, self.reviewOn) = (conditions, procedures, retention, reviewOn)
    }

    /// The document Custodian ships as a starting point, adopted as is by the demo and the tests.
    public static func custodianBaseline(reviewOn: LocalDate) -> PolicyDocumentDraft {
        PolicyDocumentDraft(
            conditions: """
                Schedule 8 paragraph 1 (statutory purposes: the public sector equality duty, Equality Act 2010 s.149) and \
                paragraph 3 (protecting individuals): ethnicity is recorded only to monitor whether the register treats \
                groups disproportionately, never as a reason to include, score or share anyone.
                """,
            procedures: """
                Officer-defined and self-defined ethnicity are recorded apart, only by users with the sensitive-data \
                permission, sealed under the person's own key, read only under that permission with a stated purpose, \
                never shared with partners, and reported outside governance only in suppressed aggregates.
                """,
            retention: """
                Ethnicity is kept exactly as long as the person's record and is erased with it (key first); it is corrected \
                on request like any other data. This document is kept until six months after sensitive processing ends.
                """,
            reviewOn: reviewOn.description)
    }
}
