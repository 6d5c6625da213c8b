import CustodianCore
import Foundation

/// Who is looking at a page: the signed-in user, their session and the time of the request.
struct Visitor: Sendable {
    let user: User
    let session: WebSession
    let now: Timestamp
    /// The action just completed, whose confirmation this page shows.
    var done: Done? = nil

    /// The purpose in force for this request, if its working period is still running.
    var purpose: StatedPurpose? { session.purpose(at: now) }

    /// Name, unit and time, drawn across every page a signed-in user sees, so a photograph or a
    /// printout of a screen names who was looking and when.
    var watermark: String {
        "\(user.displayName) · \(user.role.isBoroughRole ? user.unit.name : user.role.label) · \(Self.format(now))"
    }

    /// Where the user works, as the header says it: a partner's recipient is not the central team,
    /// whose unit their account nominally sits in.
    var workplace: String { AccessPolicy.runs(user.role, .portalList) ? "Partner agency" : user.unit.name }

    /// London time, as officers read it: the watermark and record times.
    static func format(_ t: Timestamp) -> String { render(t, "d MMM yyyy HH:mm") }
    /// To the second, for the audit log.
    static func exact(_ t: Timestamp) -> String { render(t, "yyyy-MM-dd HH:mm:ss") }
    static func time(_ t: Timestamp) -> String { render(t, "HH:mm") }

    private static func render(_ t: Timestamp, _ pattern: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_GB")
        f.timeZone = TimeZone(identifier: "Europe/London")
        f.dateFormat = pattern
        return f.string(from: t.date)
    }

    /// The pages this role works in, in the order of the navigation bar; anyone can report a breach.
    var navigation: [(href: String, label: String)] { rolePages + [("/breaches/new", "Report a breach")] }

    private var rolePages: [(href: String, label: String)] {
        switch user.role {
        case .boroughOfficer, .boroughSPOC:
            [
                ("/subjects", "\(user.unit.name) subjects"), ("/subjects/new", "Record a subject"), ("/import", "Import a feed"),
                ("/reviews", "Reviews"), ("/shares", "Shares"),
            ]
                + (AccessPolicy.runs(user.role, .inclusionQueue)
                    ? [("/decisions", "Decisions waiting"), ("/inclusions", "Proposals")] : [])
                + (AccessPolicy.runs(user.role, .childActionList) ? [("/child-actions", "Children"), ("/dashboard", "Dashboard")] : [])
        case .centralAnalyst: [("/subjects", "London subjects"), ("/duplicates", "Duplicates"), ("/equality", "Equality")]
        case .governance:
            [
                ("/dashboard", "Dashboard"), ("/decisions", "Decisions waiting"), ("/inclusions", "Proposals"),
                ("/agreements", "Agreements"), ("/recalls", "Recalls"),
                ("/subjects", "Subjects"),
                ("/child-actions", "Children"), ("/grants", "Grants"), ("/rights", "Rights requests"), ("/retention", "Retention"),
                ("/dpia", "DPIA"), ("/record-of-processing", "Record of processing"), ("/breaches", "Breaches"),
                ("/audit-report", "Audit report"), ("/equality", "Equality"), ("/duplicates", "Duplicates"),
            ]
        case .auditor: [("/audit", "Audit log"), ("/record-of-processing", "Record of processing"), ("/equality", "Equality")]
        case .independentReviewer: [("/equality", "Equality report")]
        case .sourceUnit: [("/sources", "Source register")]
        case .administrator: [("/admin/users", "Users"), ("/grants", "Grants")]
        case .partnerRecipient: [("/portal", "Shared with us")]
        }
    }

    /// Where a user lands after signing in.
    var home: String { rolePages.first?.href ?? "/account" }
}
