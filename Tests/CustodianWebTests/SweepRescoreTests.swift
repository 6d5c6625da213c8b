@_spi(Storage) import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Scores decay with time, and sharing and the dashboard read the score kept: the daily sweep
/// keeps and logs each included person's score where today's differs, under the same rules as
/// any door (a DPIA in force; never a restricted record), and leaves the rest alone.
@Suite struct SweepRescoreTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func theSweepKeepsAndLogsTheScoreItComputes(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let r = f.register
            let (subject, _) = try await RightsAPITests.sharedPerson(f)
            let before = try await r.store.lookup { tx in try await tx.latestHarmAssessment(subject: subject) }
            let scoredAt = try #require(before).at
            let keptBefore = try await r.store.lookup { tx in try await tx.harmAssessments(subject: subject) }.count

            clock.advance(seconds: 60 * 86_400)
            let first = try await r.sweep()
            #expect(first.rescored == [subject])
            let kept = try #require(try await r.store.lookup { tx in try await tx.latestHarmAssessment(subject: subject) })
            #expect(kept.at > scoredAt, "the sweep's score was not kept")
            let logged = try await r.auditLog(
                AuditQuery(subject: subject, operation: .alteration), by: f.auditor, for: RegisterFixture.auditPurpose)
            let rescore = logged.filter { $0.entry.action == "harm.rescore" }
            #expect(rescore.count == 1 && rescore.first?.entry.actor == Register.scheduler.id)
            #expect(rescore.first?.entry.touched == [.harm(subject)])

            // The record reads every score kept, the sweep's last, through the API.
            let history = try await api.send(.get, "/api/subjects/\(subject)/history", as: f.hackneyOfficer)
            let scores = try #require(history.object["assessments"] as? [[String: Any]], "\(history)")
            #expect(scores.count == keptBefore + 1, "\(scores)")
            let newham = try await api.send(.get, "/api/subjects/\(subject)/history", as: f.newhamOfficer)
            #expect(newham.status == 404, "another borough's officer learns nothing: \(newham)")

            // Nothing changed since: nothing kept, nothing logged.
            #expect(try await r.sweep().rescored == [])

            // A restricted record is never scored, by the sweep as by any door.
            clock.advance(seconds: 30 * 86_400)
            try await r.restrict(
                subject, reason: "Accuracy contested by the person; tribunal pending", by: f.governance,
                for: StatedPurpose(purpose: .registerReview, justification: "Restricting at the person's request"))
            #expect(try await r.sweep().rescored == [])

            // With the DPIA out of date nothing is scored, the sweep still runs, and the refusal is logged once.
            clock.advance(seconds: 400 * 86_400)
            let lapsed = try await r.sweep()
            #expect(lapsed.rescored == nil)
            // Read from the store: a year on, every fixture user's training has lapsed.
            let refusals = try await r.store.lookup { tx in
                try await tx.auditEntries(AuditQuery(actor: Register.scheduler.id, operation: .refusal, limit: 500))
            }
            .map(\.entry).filter { $0.action == "harm.rescore" }
            #expect(refusals.count == 1 && refusals.first?.refusedUnder == "dpia.none", "\(refusals.map(\.outcome))")
        }
    }

    /// A review's outcome, rationale and score, and each score's working, on the record's history
    /// page, as the borough's officer reads it in a browser's place.
    @Test(arguments: databases) func theHistoryPageShowsEveryScoreAndReview(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.hackneyOfficer)
            let (subject, _) = try await RightsAPITests.sharedPerson(f)
            let inclusion = try #require(
                try await f.register.subject(subject, by: f.hackneyOfficer, for: RegisterFixture.purpose).inclusion)
            _ = try await f.register.review(
                inclusion.id, outcome: .retain, rationale: "Still linked to robberies near the market this month", by: f.hackneyOfficer,
                for: RegisterFixture.purpose)
            let officer = pages.browser()
            try await officer.signIn("hackney-officer")
            _ = try await officer.state(RegisterFixture.purpose)
            let record = try await officer.get("/subjects/\(subject)")
            #expect(record.html.contains("/subjects/\(subject)/history"))
            let history = try await officer.get("/subjects/\(subject)/history")
            #expect(history.status == 200, "\(history)")
            #expect(history.html.contains("Still linked to robberies near the market this month") && history.html.contains("Retain"))
            let kept = try await f.register.store.lookup { tx in try await tx.harmAssessments(subject: subject) }.count
            #expect(
                kept >= 2 && history.html.components(separatedBy: "Inputs to the score kept").count - 1 == kept,
                "every score with its working")
        }
    }
}
