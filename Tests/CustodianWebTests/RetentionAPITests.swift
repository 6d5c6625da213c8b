import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// Retention for everyone on the register (s.39), not only the included: each group reviewed after
/// the rulebook's period from their last activity, kept with a reason or erased.
@Suite struct RetentionAPITests {
    static let databases = TestDatabase.available
    static let reason = "Annual retention review of the register"

    @Test(arguments: databases) func peopleWhoAreNotIncludedComeUpForReviewAndAreKeptOrErased(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let r = f.register
            let officer = f.hackneyOfficer
            let purpose = RegisterFixture.purpose
            func held(_ family: String, as category: String?) async throws -> SubjectID {
                let subject = try await r.recordSubject(
                    RegisterFixture.draft(given: "Ottoline", family: family, dob: "1990-05-05"), by: officer, for: purpose)
                if let category {
                    _ = try await r.recordMatter(
                        MatterDraft(
                            kind: "incident", reference: "CAD-\(family)", offence: nil,
                            occurredOn: r.clock.now().day.adding(days: -3).description),
                        linking: subject.description, as: category, basis: "fact", by: officer, for: purpose)
                }
                return subject
            }
            let victim = try await held("Victimova", as: "victim")
            let recorded = try await held("Recordedonly", as: nil)
            let another = try await held("Alsorecorded", as: "suspect")
            let governance = try api.client(as: f.governance)
            let asReview = Operations.RetentionQueue.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)

            #expect(try await governance.retentionQueue(headers: asReview).ok.body.json.isEmpty, "nothing is due on day one")
            // The periods are the rulebook's: a new version (approved by a second governance user)
            // shortens them.
            var shorter = try await r.rulebookVersions().inForce
            shorter.retention = RetentionRules(victimOrWitnessDays: 120, rejectedProposalDays: 90, neverProposedDays: 60)
            let proposed = try await r.proposeRulebook(shorter, rationale: "Shorter retention for people never proposed", by: f.governance)
            let board = try await f.directory.createUser(
                UserDraft(
                    username: "board-member", displayName: "Board Member", role: "governance", unit: "central",
                    trainingCompletedOn: RegisterFixture.trainedOn), passwordHash: nil, by: Directory.commandLine)
            _ = try await r.decideRulebook(version: proposed.rulebook.version, approve: true, by: board)
            clock.advance(seconds: 70 * 86_400)
            let due = try await governance.retentionQueue(headers: asReview).ok.body.json
            // Never proposed: 60 days, so due; a victim: 120 days, so not yet.
            #expect(Set(due.map(\.subjectId)) == [recorded.description, another.description], "\(due)")
            #expect(due.allSatisfy { $0.group == .neverProposed })

            let decide = Operations.DecideRetention.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            _ = try await governance.decideRetention(
                path: .init(subjectId: recorded.description), headers: decide,
                body: .json(.init(keep: true, reason: "Linked to an open investigation the MoPI review keeps"))
            )
            .noContent
            _ = try await governance.decideRetention(
                path: .init(subjectId: another.description), headers: decide,
                body: .json(.init(keep: false, reason: "No continuing policing purpose for this record"))
            ).noContent
            let after = try await governance.retentionQueue(headers: asReview).ok.body.json
            #expect(after.isEmpty, "a decided review came back: \(after)")
            let gone = try await api.client(as: officer).getSubject(
                path: .init(subjectId: another.description),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            _ = try gone.notFound
            let notDue = try await governance.decideRetention(
                path: .init(subjectId: victim.description), headers: decide,
                body: .json(.init(keep: false, reason: "Trying to erase before the review is due")))
            _ = try notDue.conflict

            let officers = try await api.client(as: officer).retentionQueue(
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason))
            _ = try officers.forbidden
        }
    }
}
