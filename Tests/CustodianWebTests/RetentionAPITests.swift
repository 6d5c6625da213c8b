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
            try await f.adoptRulebook("Shorter retention for people never proposed") {
                $0.retention = RetentionRules(victimOrWitnessDays: 120, rejectedProposalDays: 90, neverProposedDays: 60)
            }
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
            let erasing = Operations.DecideRetention.Input.Body.json(
                .init(keep: false, reason: "No continuing policing purpose for this record"))
            _ = try await governance.decideRetention(path: .init(subjectId: another.description), headers: decide, body: erasing).accepted
            let board = try await api.adding(try await f.boardMember()).client(as: try await f.boardMember())
            _ = try await board.decideRetention(path: .init(subjectId: another.description), headers: decide, body: erasing).noContent
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

extension RetentionAPITests {
    /// The daily sweep raises each due review once, governance sees how many await a decision, and
    /// erasure takes the matters a person was linked to with them only when the rulebook does not
    /// keep matter records apart under MoPI (RR4).
    @Test(arguments: databases) func theSweepRaisesReviewsAndMattersAreKeptApartOnlyWhenTheRulebookSays(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let r = f.register
            let officer = f.hackneyOfficer
            let purpose = RegisterFixture.purpose
            func held(_ family: String) async throws -> (SubjectID, MatterID) {
                let subject = try await r.recordSubject(
                    RegisterFixture.draft(given: "Ottoline", family: family, dob: "1990-05-05"), by: officer, for: purpose)
                let matter = try await r.recordMatter(
                    MatterDraft(
                        kind: "incident", reference: "CAD-\(family)", offence: nil,
                        occurredOn: r.clock.now().day.adding(days: -3).description),
                    linking: subject.description, as: "suspect", basis: "fact", by: officer, for: purpose)
                return (subject, matter)
            }
            let (kept, keptMatter) = try await held("Keptapart")
            let (gone, goneMatter) = try await held("Gonewith")
            try await f.adoptRulebook("Retention periods reviewed") { $0.retention.neverProposedDays = 60 }
            #expect(try await r.rulebookVersions().inForce.retention.matterRecordsKeptApart, "MoPI separation is not the default")

            clock.advance(seconds: 70 * 86_400)
            let first = try await r.sweep()
            #expect(Set(first.retentionReviewsRaised) == [kept, gone])
            #expect(try await r.sweep().retentionReviewsRaised.isEmpty, "the sweep raised the same reviews twice")
            let governance = try api.client(as: f.governance)
            let asReview = Operations.RetentionQueue.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            let due = try await governance.retentionQueue(headers: asReview).ok.body.json
            let today = r.clock.now().day
            #expect(due.count == 2 && due.allSatisfy { $0.raisedOn == today.description }, "\(due)")
            func awaiting() async throws -> Int? {
                try await governance.getDashboard(
                    query: .init(from: today.adding(days: -90).description, until: today.description),
                    headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
                ).ok.body.json.retentionReviewsAwaiting
            }
            #expect(try await awaiting() == 2)
            let raised = try await r.auditLog(
                AuditQuery(subject: kept, operation: .alteration), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(raised.contains { $0.entry.action == "review.sweep" && $0.entry.outcome == "review raised" })

            let decide = Operations.DecideRetention.Input.Headers(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            let readMatter = Operations.GetMatter.Input.Headers(custodianPurpose: .investigation, custodianJustification: Self.reason)
            let officers = try api.client(as: officer)
            // Erasure cannot be undone: the first governance user proposes it, the queue shows it,
            // the proposer cannot confirm it, and a second governance user erases.
            let board = try await f.boardMember()
            let second = try await api.adding(board).client(as: board)
            let reason = "No continuing policing purpose for this person on the register"
            _ = try await governance.decideRetention(
                path: .init(subjectId: kept.description), headers: decide, body: .json(.init(keep: false, reason: reason))
            ).accepted
            #expect(
                try await governance.retentionQueue(headers: asReview).ok.body.json.first { $0.subjectId == kept.description }?
                    .erasureProposedOn == today.description)
            let alone = try await governance.decideRetention(
                path: .init(subjectId: kept.description), headers: decide, body: .json(.init(keep: false, reason: reason)))
            #expect(try alone.forbidden.body.applicationProblemJson.rule == "four-eyes.erasure")
            #expect(try await f.refusals(of: f.governance).last?.action == UseCase.retentionDecide.rawValue)
            _ = try await second.decideRetention(
                path: .init(subjectId: kept.description), headers: decide, body: .json(.init(keep: false, reason: reason))
            ).noContent
            // Kept apart: the incident stays, no one linked to it.
            let survivor = try await officers.getMatter(path: .init(matterId: keptMatter.description), headers: readMatter).ok.body.json
            #expect(survivor.subjects.isEmpty)
            #expect(try await awaiting() == 1)

            try await f.adoptRulebook("Matters go with the product") { $0.retention.matterRecordsKeptApart = false }
            _ = try await governance.decideRetention(
                path: .init(subjectId: gone.description), headers: decide, body: .json(.init(keep: false, reason: reason))
            ).accepted
            _ = try await second.decideRetention(
                path: .init(subjectId: gone.description), headers: decide, body: .json(.init(keep: false, reason: reason))
            ).noContent
            _ = try await officers.getMatter(path: .init(matterId: goneMatter.description), headers: readMatter).notFound
            let erasures = try await r.auditLog(
                AuditQuery(subject: gone, operation: .erasure), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(
                erasures.contains { $0.entry.touched.map(\.description) == ["matter/\(goneMatter)"] },
                "the matter's erasure is not on the log")
            #expect(try await awaiting() == 0)
        }
    }
}
