import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// A breach from report to the register (ss.67-68): a partner reports a disclosure gone astray;
/// governance sees the 72-hour clock, contains it (the disclosure is withdrawn from the portal at
/// once, an account involved stops working), computes who and what it touched from the audit
/// log, notifies the ICO late only with reasons, and records whether the people are told.
@Suite struct BreachAPITests {
    static let databases = TestDatabase.available
    static let reason = "Handling a reported breach of the register"

    @Test(arguments: databases) func aBreachIsReportedContainedScopedNotifiedAndKept(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let (subject, _) = try await RightsAPITests.sharedPerson(f)
            let partner = try api.client(as: f.partner)
            let asPartner = Operations.PortalDisclosures.Input.Headers(custodianPurpose: .safeguarding, custodianJustification: Self.reason)
            let shared = try #require(try await partner.portalDisclosures(headers: asPartner).ok.body.json.first)

            // The partner reports it: no working period needed, and the clock starts.
            let reported = try await partner.reportBreach(
                body: .json(
                    .init(
                        description: "A caseworker forwarded the shared list to a personal email account",
                        disclosureIds: [shared.disclosureId], userIds: [f.newhamOfficer.id.description]))
            ).created.body.json
            #expect(reported.status == .reported && reported.hoursLeft == 72 && !reported.overdue)
            let id = reported.id

            let officer = try await api.client(as: f.hackneyOfficer).listBreaches(
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            #expect(try officer.forbidden.body.applicationProblemJson.rule == "breach.governance")

            let governance = try api.client(as: f.governance)
            let today = f.register.clock.now().day
            let board = try await governance.getDashboard(
                query: .init(from: today.adding(days: -7).description, until: today.description),
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(board.breachClocks?.map(\.id) == [id] && board.breachClocks?.first?.hoursLeft == 72)

            let headers = Operations.ContainBreach.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            let contained = try await governance.containBreach(path: .init(breachId: id), headers: headers).ok.body.json
            #expect(contained.containment?.recalled == [shared.disclosureId])
            #expect(contained.containment?.disabledUsers == [f.newhamOfficer.id.description])
            #expect(try await partner.portalDisclosures(headers: asPartner).ok.body.json.isEmpty, "the portal still serves it")
            let locked = try await api.client(as: f.newhamOfficer).searchSubjects(
                query: .init(name: "Anyone"), headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            _ = try locked.unauthorized

            let scoped = try await governance.scopeBreach(
                path: .init(breachId: id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok.body.json
            let scope = try #require(scoped.scope)
            #expect(scope.subjects == [subject.description])
            #expect(scope.recipients.contains("Hackney Youth Offending Team"))
            #expect(scope.users.contains(f.partner.id.description) && scope.users.contains(f.newhamOfficer.id.description))

            // Seventy-three hours on: late, so the notification needs its reasons.
            clock.advance(seconds: 73 * 3600)
            let notify = Operations.NotifyBreach.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            let consequences = "Exposure of one person's name, date of birth and matters to an unknown recipient"
            let measures = "Disclosure recalled, the account disabled, the partner asked to confirm deletion"
            let late = try await governance.notifyBreach(
                path: .init(breachId: id), headers: notify, body: .json(.init(consequences: consequences, measures: measures)))
            #expect(try late.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "breach.delay")
            let notified = try await governance.notifyBreach(
                path: .init(breachId: id), headers: notify,
                body: .json(
                    .init(
                        consequences: consequences, measures: measures,
                        delayReason: "The partner's report reached governance only after a weekend"))
            )
            .ok.body.json
            let phase = try #require(notified.notifications.first)
            #expect(phase.approximateSubjects == 1 && phase.phase == 1 && notified.hoursLeft == nil && !notified.overdue)

            let people = try await governance.decideBreachPeople(
                path: .init(breachId: id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(
                    .init(
                        tell: false, reason: "Telling them now would alert a suspect in a live investigation",
                        ground: .prejudiceOffences))
            ).ok.body.json
            #expect(people.status == .closed && people.people?.ground == .prejudiceOffences)

            // A second breach, judged unlikely to harm anyone: not notified, and still in the register.
            let minor = try await governance.reportBreach(
                body: .json(.init(description: "A printed dashboard with counts only was left in a meeting room"))
            ).created.body.json
            _ = try await governance.recordBreachNotNotified(
                path: .init(breachId: minor.id), headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason),
                body: .json(.init(reason: "Counts only, no personal data: unlikely to result in a risk to anyone"))
            ).ok
            let register = try await governance.listBreaches(
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(register.map(\.id) == [minor.id, id] && register.allSatisfy { $0.status == .decided || $0.status == .closed })

            let steps = try await f.register.auditPage(
                AuditFilter(operation: "alteration"), by: f.auditor, for: RegisterFixture.auditPurpose
            )
            .entries.map(\.entry.action)
            for action in ["breach.contain", "breach.notify", "breach.people", "breach.not-notified"] {
                #expect(steps.contains(action), "\(action) is not on the log")
            }
        }
    }
}
