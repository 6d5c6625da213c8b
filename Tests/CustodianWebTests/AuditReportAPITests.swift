import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// The routine audit report over real traffic: another borough's record tried twice, a
/// justification too short to mean anything; governance sees both, an officer cannot generate it,
/// and each generation is on the log.
@Suite struct AuditReportAPITests {
    static let databases = TestDatabase.available
    static let reason = "Monthly self-monitoring of access to the register"

    @Test(arguments: databases) func governanceSeesUnusualAccessFromTheLog(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let subject = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Auditable"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let newham = try api.client(as: f.newhamOfficer)
            for _ in 0..<2 {
                _ = try await newham.getSubject(
                    path: .init(subjectId: subject.description),
                    headers: .init(custodianPurpose: .investigation, custodianJustification: "Looking at a Hackney person")
                ).notFound
            }
            _ = try await api.client(as: f.hackneyOfficer).getSubject(
                path: .init(subjectId: subject.description),
                headers: .init(custodianPurpose: .investigation, custodianJustification: "Checking record")
            ).ok

            let governance = try api.client(as: f.governance)
            let today = f.register.clock.now().day.description
            let headers = Operations.GetAuditReport.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            let report = try await governance.getAuditReport(query: .init(from: today, until: today), headers: headers).ok.body.json
            #expect(report.outsideBorough.map(\.username) == ["newham-officer"] && report.outsideBorough.first?.attempts == 2)
            #expect(report.justifications.contains { $0.username == "hackney-officer" && $0.text == "Checking record" && $0.tooShort })
            #expect(report.refusalsByRule.first { $0.key == "scope.own-borough" }?.count == 2)
            #expect(report.entries > 0 && !report.truncated)

            let backwards = try await governance.getAuditReport(query: .init(from: today, until: "2020-01-01"), headers: headers)
            #expect(try backwards.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "date.order")
            let officer = try await api.client(as: f.hackneyOfficer).getAuditReport(
                query: .init(from: today, until: today),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            #expect(try officer.forbidden.body.applicationProblemJson.rule == "audit-report.governance")
            let generations = try await f.register.auditPage(
                AuditFilter(actor: f.governance.id.description, operation: "consultation"), by: f.auditor, for: RegisterFixture.auditPurpose
            ).entries.filter { $0.entry.action == "audit-report.generate" }
            #expect(generations.count == 1)
        }
    }

    @Test(arguments: databases) func governanceReadsTheReportOnThePages(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            try await pages.enablePages(for: pages.fixture.governance)
            let browser = pages.browser()
            try await browser.signIn(pages.fixture.governance.username)
            try await browser.state(StatedPurpose(purpose: .registerReview, justification: Self.reason))
            let form = try await browser.get("/audit-report")
            #expect(form.status == 200 && !form.html.contains("log entries read"), "the form alone reads nothing: \(form)")
            let today = pages.fixture.register.clock.now().day
            let page = try await browser.finished(
                browser.post(
                    "/audit-report", [("from", today.adding(days: -30).description), ("until", today.description)], csrfFrom: form))
            #expect(page.status == 200 && page.html.contains("Refusals by rule") && page.html.contains("log entries read"), "\(page)")
            let bad = try await browser.post("/audit-report", [("from", "yesterday"), ("until", "today")], csrfFrom: form)
            #expect(bad.status == 422 && bad.html.contains("date.format"))
            let long = try await browser.post(
                "/audit-report", [("from", today.adding(days: -400).description), ("until", today.description)], csrfFrom: form)
            #expect(
                long.status == 422 && long.html.contains("audit-report.period"), "a period over a year is refused before any job starts")
            #expect(try await browser.get("/jobs").html.components(separatedBy: "/jobs/").count == 2, "one job, the report")
        }
    }
}
