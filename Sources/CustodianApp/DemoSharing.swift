@_spi(Storage) import CustodianCore
import Foundation

/// A partner, an agreement in force and one approved share, so the portal and packages can be
/// tried at once. The partner's age identity is written beside the demo database (demo only: a
/// real partner keeps theirs and gives Custodian the public key).
enum DemoSharing {
    static func load(into runtime: Runtime, identityFile: URL?) async throws -> String {
        let r = runtime.register
        let directory = runtime.directory
        let users = try await r.store.transaction { tx in try await tx.users(limit: 500, offset: 0) }
        func user(_ name: String) throws -> User {
            guard let found = users.first(where: { $0.username == name }) else { throw RegisterError.notFound(kind: "demo user", id: name) }
            return found
        }
        let (dpo, officer, spoc, recipient) = (
            try user("dpo"), try user("officer.hackney"), try user("spoc.hackney"), try user("partner.hackney-council")
        )
        let board = try user("board.member")
        let identity = AgeIdentity.generate()
        if let identityFile { try identity.fileContents.write(to: identityFile, atomically: true, encoding: .utf8) }
        let partner = try await r.registerPartner(
            PartnerDraft(
                name: "Hackney Council Youth Offending Team", kind: "youth-offending-team", statutory: true,
                recipientIDs: [recipient.id.description], ageRecipient: identity.recipient.description), by: dpo)
        let today = r.clock.now().day
        let agreement = try await r.draftAgreement(
            SharingAgreement(
                id: AgreementID(UUID()), title: "Hackney YOT: diverting young people from serious violence", partners: [partner.id],
                purpose: "Offering diversion and support to people at risk of serious violence",
                legalPower: "Crime and Disorder Act 1998 s.115",
                fields: [.name, .dateOfBirth, .matters, .harmBand], categories: [.suspect, .convicted], bands: [.red, .amber, .green],
                safeguarding: true,
                handlingConditions: "Not to be shared onward; not for housing or education decisions", onwardSharing: false,
                retentionDays: 90,
                securityTerms: "Held only on the YOT case system; access by named caseworkers",
                signatories: ["Hackney Borough Commander", "Head of Hackney YOT"],
                startsOn: today.adding(days: -30), reviewOn: today.adding(days: 150), expiresOn: today.adding(days: 335), status: .draft,
                approvals: [],
                reviews: [], draftedBy: dpo.id), by: dpo)
        _ = try await r.approveAgreement(agreement.id, by: dpo)
        _ = try await r.approveAgreement(agreement.id, by: board)
        let purpose = StatedPurpose(
            purpose: .violencePrevention, justification: "Synthetic demo: referral to the YOT for diversion and support")
        // A review day before the referral: reviews that have fallen behind are brought up to date
        // (a real referral of someone overdue would be refused), then those current are named.
        let behind = try await r.store.transaction { tx in
            try await tx.inclusions(units: [.hackney], statuses: [.included])
                .filter { $0.suspendedOn != nil || ($0.nextReviewDue ?? today) < today }.map(\.id)
        }
        for inclusion in behind.prefix(12) {
            _ = try? await r.review(
                inclusion, outcome: .retain, rationale: "Synthetic demo: reviewed before the YOT referral; still active",
                by: officer, for: purpose)
        }
        // The officer has read each code C item's conditions for the people named, item by item.
        let (included, conditional) = try await r.store.transaction { tx in
            // People whose review is up to date: the ones a real referral would name (overdue reviews would be refused).
            let people = try await tx.inclusions(units: [.hackney], statuses: [.included])
                .filter { $0.suspendedOn == nil && ($0.nextReviewDue ?? today) >= today }.map(\.subjectID)
            var items: [String] = []
            for person in people.prefix(8) {
                for item in try await tx.intelligence(subject: person) {
                    if case .current(let g) = item.grade, g.handling == .c { items.append(item.id.description) }
                }
            }
            return (people, items)
        }
        // A small demo may have no one in Hackney up to date on the register: say so rather than fail.
        guard !included.isEmpty else {
            return
                "Sharing: \(partner.name) under an approved agreement; no one in Hackney is included and reviewed today, so nothing was shared."
        }
        let request = try await r.requestShare(
            ShareDraft(
                agreementID: agreement.id.description, partnerID: partner.id.description,
                subjectIDs: included.prefix(8).map(\.description), acknowledgedConditions: conditional,
                safeguardingRationale: "Synthetic demo: diversion offered by the YOT protects young people named here"),
            by: officer, for: purpose)
        let shared = request.outcomes.filter(\.included).count
        var status = request.status
        if shared > 0 {
            status = try await r.decideShare(
                request.id, approve: true, reason: "Proportionate: safeguarding-led referral, reviews up to date", by: spoc, for: purpose
            ).status
        }
        if status == .awaitingCentral {
            // A child is named: the board approves after the SPOC.
            status = try await r.decideShare(
                request.id, approve: true, reason: "Safeguarding rationale checked by the board",
                by: board,
                for: StatedPurpose(purpose: .registerReview, justification: "Synthetic demo: central approval of a child's share")
            ).status
        }
        // A small demo may have no one in Hackney who can be shared: say so rather than fail.
        let outcome =
            status == .approved
            ? "\(shared) of \(request.outcomes.count) Hackney people shared, the rest out with reasons"
            : "no Hackney person could be shared today (\(Set(request.outcomes.flatMap { $0.reasons.map(\.rule.rawValue) }).sorted().joined(separator: ", ")))"
        return "Sharing: \(partner.name) under an approved agreement; \(outcome)."
    }
}
