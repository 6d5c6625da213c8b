import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// A matter view never shows a restricted person's id: the record is out of all operational use,
/// and its id is the handle to it. Doors that show a matter's people: the API and the page. The
/// officer is told only that a restricted record is linked; governance, who reads restricted
/// records with its recorded reason, sees the person.
@Suite struct RestrictedMatterViewTests {
    static let databases = TestDatabase.available

    /// A matter with two linked people, one of whom governance then restricts.
    static func scene(_ f: RegisterFixture) async throws -> (matter: MatterID, kept: SubjectID, restricted: SubjectID) {
        let r = f.register
        let purpose = RegisterFixture.purpose
        let kept = try await r.recordSubject(RegisterFixture.draft(given: "Visible", family: "Keeling"), by: f.hackneyOfficer, for: purpose)
        let hidden = try await r.recordSubject(
            RegisterFixture.draft(given: "Hidden", family: "Holloway"), by: f.hackneyOfficer, for: purpose)
        let matter = try await r.recordMatter(
            MatterDraft(kind: "incident", reference: "CAD-HELD", offence: nil, occurredOn: r.clock.now().day.adding(days: -2).description),
            linking: kept.description, as: "witness", basis: "fact", by: f.hackneyOfficer, for: purpose)
        _ = try await r.link(
            LinkDraft(subjectID: hidden.description, matterID: matter.description, category: "suspect", basis: "fact"),
            by: f.hackneyOfficer, for: purpose)
        try await r.restrict(
            hidden, reason: "Accuracy contested; tribunal pending", by: f.governance,
            for: StatedPurpose(purpose: .registerReview, justification: "Restricting a contested record"))
        return (matter, kept, hidden)
    }

    @Test(arguments: databases) func theAPIShowsAMattersRestrictedPersonToNoOneButGovernance(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let (matter, kept, hidden) = try await Self.scene(f)
            let read = try await api.send(.get, "/api/matters/\(matter)", as: f.hackneyOfficer)
            #expect(read.status == 200, "\(read)")
            #expect(read.text.contains(kept.description))
            #expect(!read.text.contains(hidden.description), "a restricted person's id left through the matter view: \(read)")
            #expect(read.object["restrictedRecords"] as? Int == 1)

            let governance = try await api.send(
                .get, "/api/matters/\(matter)", as: f.governance,
                purpose: StatedPurpose(purpose: .registerReview, justification: "Checking a restricted record's links"))
            #expect(governance.text.contains(hidden.description), "\(governance)")
        }
    }

    @Test(arguments: databases) func thePageShowsAMattersRestrictedPersonToNoOne(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let (matter, kept, hidden) = try await Self.scene(f)
            try await pages.enablePages(for: f.hackneyOfficer)
            let officer = pages.browser()
            try await officer.signIn(f.hackneyOfficer.username)
            try await officer.state(RegisterFixture.purpose)
            let page = try await officer.get("/matters/\(matter)")
            #expect(page.status == 200, "\(page)")
            #expect(page.html.contains(kept.description))
            #expect(!page.html.contains(hidden.description) && !page.html.contains("Holloway"), "\(page)")
            #expect(page.html.contains("1 linked record(s) are restricted"))
        }
    }
}
