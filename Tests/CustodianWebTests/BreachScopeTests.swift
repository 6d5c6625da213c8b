import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// A breach's scope is what happened: what the accounts involved read or disclosed, as typed
/// records, up to containment rather than the report, with what was read after the report shown
/// apart. A refused read touched no one; a record the account wrote but never read is not exposed;
/// a search is not a record.
@Suite struct BreachScopeTests {
    static let databases = TestDatabase.available
    static let governance = StatedPurpose(purpose: .registerReview, justification: "Board: scoping a reported breach")

    @Test(arguments: databases) func theScopeIsWhatWasReadOrDisclosedUntilContainment(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let r = f.register
            let (officer, purpose) = (f.hackneyOfficer, RegisterFixture.purpose)
            let read = try await r.recordSubject(
                RegisterFixture.draft(family: "Readbefore", ethnicity: false), by: f.hackneySPOC, for: purpose)
            let written = try await r.recordSubject(
                RegisterFixture.draft(family: "Writtenonly", ethnicity: false), by: officer, for: purpose)
            let elsewhere = try await r.recordSubject(
                RegisterFixture.draft(family: "Otherborough", ethnicity: false), by: f.newhamOfficer, for: purpose)
            let later = try await r.recordSubject(
                RegisterFixture.draft(family: "Readafter", ethnicity: false), by: f.hackneySPOC, for: purpose)
            clock.advance(seconds: 60)
            _ = try await r.subject(read, by: officer, for: purpose)
            await #expect(throws: RegisterError.self) { try await r.subject(elsewhere, by: officer, for: purpose) }
            _ = try await api.send(.get, "/api/subjects?name=Readbefore", as: officer)

            clock.advance(seconds: 60)
            let reported = try await r.reportBreach(
                BreachReport(description: "An officer's laptop was left unlocked on a train", userIDs: [officer.id.description]),
                by: f.hackneySPOC)
            // The account goes on reading until governance contains it.
            clock.advance(seconds: 3600)
            _ = try await r.subject(later, by: officer, for: purpose)
            clock.advance(seconds: 60)
            let contained = try await r.containBreach(reported.id, by: f.governance, for: Self.governance)
            clock.advance(seconds: 3600)

            let scope = try #require(try await r.scopeBreach(reported.id, by: f.governance, for: Self.governance).scope)
            #expect(Set(scope.subjects) == [read, later], "\(scope.subjects)")
            #expect(!scope.subjects.contains(elsewhere), "a refused read exposed no one")
            #expect(!scope.subjects.contains(written), "a record the account wrote but never read is not exposure")
            #expect(scope.records.contains(.subject(read)) && scope.records.contains(.subject(later)))
            let notRecords = scope.records.filter { !$0.isPersonalRecord }
            #expect(notRecords.isEmpty, "lists and searches are not records: \(notRecords)")
            #expect(scope.until == contained.containment?.at, "the scope runs to containment, not to the report")
            #expect(scope.afterReport?.subjects == [later] && scope.afterReport?.entries == 1, "\(String(describing: scope.afterReport))")

            // The API and the page say the same.
            let answer = try await api.send(
                .post, "/api/breaches/\(reported.id)/scope", as: f.governance, purpose: Self.governance)
            let wire = try #require(answer.object["scope"] as? [String: Any], "\(answer)")
            #expect(Set(wire["subjects"] as? [String] ?? []) == [read.description, later.description])
            #expect((wire["records"] as? [String] ?? []).contains("subject/\(read)"))
            #expect((wire["afterReport"] as? [String: Any])?["subjects"] as? [String] == [later.description])
        }
    }
}
