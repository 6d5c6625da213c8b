import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Safeguarding reads a person's circumstances, not their rank for enforcement: under it the harm
/// score, its history and the scores at review are not shown, through the API and the pages,
/// while an enforcement purpose reads them as before.
@Suite struct SafeguardingViewTests {
    static let databases = TestDatabase.available
    static let safeguarding = StatedPurpose(purpose: .safeguarding, justification: "Home visit: checking the young person is safe")

    @Test(arguments: databases) func aHarmScoreIsNotShownForSafeguarding(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let (subject, inclusion) = try await InclusionQueueTests.proposedDirectly(f, "Safeview")
            _ = try await f.register.decideInclusion(
                try #require(InclusionID(inclusion)), approve: true, reason: "Threshold met at the borough panel", by: f.hackneySPOC,
                for: RegisterFixture.purpose)
            let id = try #require(SubjectID(subject))
            _ = try await f.register.assessHarm(of: id, by: f.hackneyOfficer, for: RegisterFixture.purpose)

            let enforcement = try await f.register.history(of: id, by: f.hackneyOfficer, for: RegisterFixture.purpose)
            #expect(!enforcement.assessments.isEmpty && !enforcement.scoresWithheld)
            let caring = try await f.register.history(of: id, by: f.hackneyOfficer, for: Self.safeguarding)
            #expect(caring.assessments.isEmpty && caring.scoresWithheld && caring.reviews.allSatisfy { $0.review.score == nil })
            let view = try await f.register.subject(id, by: f.hackneyOfficer, for: Self.safeguarding)
            #expect(view.harm == nil && view.harmWithheld)
            #expect(try await f.register.subject(id, by: f.hackneyOfficer, for: RegisterFixture.purpose).harm != nil)

            try await pages.enablePages(for: f.hackneyOfficer)
            let officer = pages.browser()
            _ = try await officer.signIn(f.hackneyOfficer.username)
            _ = try await officer.state(Self.safeguarding)
            let record = try await officer.get("/subjects/\(subject)")
            #expect(record.status == 200 && record.html.contains("Harm scores are not shown when working to safeguard"), "\(record)")
            #expect(!record.html.contains("Advisory only:"))
            #expect(!record.html.contains("harm-timeline"), "the score's timeline was drawn under safeguarding")
            let history = try await officer.get("/subjects/\(subject)/history")
            #expect(history.html.contains("Harm scores are not shown when working to safeguard"))
            // Nor is a score made for safeguarding: the page offers no button, and its POST, like
            // the API's, is refused by the policy and logged.
            #expect(!record.html.contains("Assess harm now"))
            let posted = try await officer.post("/subjects/\(subject)/harm", [], csrfFrom: record)
            #expect(posted.status == 403, "\(posted)")
            #expect(try await f.refusals(of: f.hackneyOfficer).last?.action == "harm.assess")
            _ = try await officer.state(RegisterFixture.purpose)
            let working = try await officer.get("/subjects/\(subject)")
            #expect(working.html.contains("Advisory only:") && working.html.contains("Assess harm now"))
            // The score drawn as its events over time, with a text equivalent naming the score.
            #expect(working.html.contains(#"<svg class="chart harm-timeline" role="img""#), "no timeline")
            #expect(working.html.contains(#"<title id="harm-timeline-title">Harm score "#))
        }
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let (subject, _) = try await InclusionQueueTests.proposedDirectly(f, "Safescore")
            let refused = try await api.send(.post, "/api/subjects/\(subject)/harm", as: f.hackneyOfficer, purpose: Self.safeguarding)
            #expect(refused.status == 403, "\(refused)")
            #expect(try await f.refusals(of: f.hackneyOfficer).last?.action == "harm.assess")
            let scored = try await api.send(.post, "/api/subjects/\(subject)/harm", as: f.hackneyOfficer)
            #expect(scored.status == 201 || scored.status == 200, "\(scored)")
        }
    }
}
