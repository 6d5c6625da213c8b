import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// The s.61 record follows the live configuration: an agreement coming into force adds its
/// recipients, a rulebook change moves the retention it states, the DPIA in force is named. Only
/// governance and auditors read it; each generation, and each refusal, is logged.
@Suite struct RecordOfProcessingTests {
    static let databases = TestDatabase.available
    static let reason = "Record of processing for the ICO's request"

    @Test(arguments: databases) func theRecordIsGeneratedFromTheLiveConfiguration(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let governance = try api.client(as: f.governance)
            let headers = Operations.GetRecordOfProcessing.Input.Headers(
                custodianPurpose: .registerReview, custodianJustification: Self.reason)
            let before = try await governance.getRecordOfProcessing(headers: headers).ok.body.json
            #expect(before.recipients.isEmpty, "recipients listed with no agreement in force")
            #expect(before.dpia.hasPrefix("Version 1"))
            #expect(before.retention.contains { $0.contains("365 days after the last activity") })
            #expect(before.logging.contains(.disclosure) && before.logging.contains(.consultation))
            #expect(before.dataCategories.contains { $0.field == "selfDefinedEthnicity" && $0.kind == .sensitive })
            #expect(before.profiling.rulebookVersion == 1 && !before.profiling.offenceWeights.additionalProperties.isEmpty)

            _ = try await RightsAPITests.sharedPerson(f)
            try await f.adoptRulebook("Shorter retention for people never proposed") { $0.retention.neverProposedDays = 99 }
            let after = try await governance.getRecordOfProcessing(headers: headers).ok.body.json
            let recipient = try #require(after.recipients.first)
            #expect(after.recipients.count == 1 && recipient.partnerKind == .youthOffendingTeam)
            #expect(recipient.agreement == "Hackney YOT diversion" && recipient.fields == ["dateOfBirth", "matters", "names"])
            #expect(after.retention.contains { $0.contains("99 days after the last activity") })
            #expect(after.profiling.rulebookVersion == 2)

            let auditor = try await api.client(as: f.auditor).getRecordOfProcessing(
                headers: .init(custodianPurpose: .audit, custodianJustification: Self.reason))
            _ = try auditor.ok
            let officer = try await api.client(as: f.hackneyOfficer).getRecordOfProcessing(
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            #expect(try officer.forbidden.body.applicationProblemJson.rule == "accountability.role")
            #expect(try await f.refusals(of: f.hackneyOfficer).contains { $0.action == "record-of-processing.read" })
            let generations = try await f.register.auditPage(
                AuditFilter(operation: "consultation"), by: f.auditor, for: RegisterFixture.auditPurpose
            ).entries.filter { $0.entry.action == "record-of-processing.read" }
            #expect(generations.count == 3)
        }
    }

    @Test(arguments: databases) func anAuditorPrintsTheRecordFromThePages(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            try await pages.enablePages(for: pages.fixture.auditor)
            let browser = pages.browser()
            try await browser.signIn(pages.fixture.auditor.username)
            try await browser.state(RegisterFixture.auditPurpose)
            let page = try await browser.get("/record-of-processing")
            #expect(page.status == 200 && page.html.contains("Categories of personal data") && page.html.contains("Version 1"), "\(page)")
            #expect(page.html.contains("None: no sharing agreement is in force"))
        }
    }
}
