import CustodianApp
import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// Inclusion, harm, reviews and the sweep through the register's use cases, over real databases
/// and a clock the test moves.
@Suite struct GovernanceStorageTests {
    static let databases = TestDatabase.available
    let purpose = RegisterFixture.purpose
    static let governancePurpose = StatedPurpose(purpose: .registerReview, justification: "Central check of a child's inclusion")

    /// A Hackney subject with a suspect offence (police) and a partner's 2B intelligence: two
    /// independent sources. Returns the subject and the evidence ids.
    func corroborated(_ f: RegisterFixture, family: String = "Quennell", dob: String = "2001-04-17", offence: String = "grievous-bodily-harm",
                      occurredOn: String? = nil) async throws -> (SubjectID, MatterID, IntelligenceID) {
        let r = f.register, officer = f.hackneyOfficer
        let subject = try await r.recordSubject(RegisterFixture.draft(family: family, dob: dob), by: officer, for: purpose)
        let day = occurredOn ?? r.clock.now().day.adding(days: -30).description
        let matter = try await r.recordMatter(MatterDraft(kind: "offence", reference: "CRIS-\(family)", offence: offence, occurredOn: day),
                                              linking: subject.description, as: "suspect", basis: "fact", by: officer, for: purpose)
        let item = try await r.recordIntelligence(IntelligenceDraft(subjectID: subject.description, text: "Partner report of threats with a blade",
                                                                    grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner"),
                                                  by: officer, for: purpose)
        return (subject, matter, item)
    }

    func propose(_ f: RegisterFixture, _ subject: SubjectID, matters: [MatterID] = [], items: [IntelligenceID] = [], safeguarding: String? = nil) async throws -> Inclusion {
        try await f.register.proposeInclusion(InclusionDraft(subjectID: subject.description, intelligenceIDs: items.map(\.description),
                                                             matterIDs: matters.map(\.description), rationale: "Repeat violence, corroborated by the YOT",
                                                             safeguardingRationale: safeguarding),
                                              by: f.hackneyOfficer, for: purpose)
    }

    func rules(_ body: () async throws -> Void) async -> [String] {
        do { try await body(); return [] } catch RegisterError.invalid(let v) { return v.map(\.rule) } catch RegisterError.denied(let d) { return [d.rule] } catch { return ["\(error)"] }
    }

    @Test(arguments: databases) func anInclusionMeetsTheThresholdAndASecondPersonDecidesIt(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let (subject, matter, item) = try await corroborated(f)
            let proposed = try await propose(f, subject, matters: [matter], items: [item])
            #expect(proposed.status == .proposed && proposed.rulebookVersion == 1 && !proposed.isChild)
            #expect(await rules { _ = try await f.register.decideInclusion(proposed.id, approve: true, reason: "I proposed it myself", by: f.hackneyOfficer, for: purpose) }
                    == ["role.decider"])
            #expect(await rules { _ = try await f.register.decideInclusion(proposed.id, approve: true, reason: "Newham SPOC should not", by: f.newhamOfficer, for: purpose) }
                    == ["role.decider"])
            let decided = try await f.register.decideInclusion(proposed.id, approve: true, reason: "Two independent sources, recent GBH", by: f.hackneySPOC, for: purpose)
            #expect(decided.status == .included && decided.nextReviewDue == clock.clock.now().day.adding(days: 91))
            let assessment = try await f.register.assessHarm(of: subject, by: f.hackneyOfficer, for: purpose)
            // GBH weighs 1,460 days; 30 days old it keeps 0.5^(30/365) of that: red.
            #expect(assessment.band == .red && abs(assessment.score - 1379.1) < 0.1 && assessment.lines.count == 1, "\(assessment)")
            // Free text rests sealed: the rationale is nowhere in the stored bytes.
            #expect(!(try await f.store.everyStoredText()).contains("corroborated by the YOT"))
            #expect(await rules { _ = try await propose(f, subject, matters: [matter], items: [item]) }.first?.hasPrefix("conflict") == true)
        }
    }

    @Test(arguments: databases) func theThresholdRefusesThroughTheUseCaseWithEveryReason(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register, officer = f.hackneyOfficer
            let (subject, matter, item) = try await corroborated(f)
            #expect(await rules { _ = try await propose(f, subject, matters: [matter]) } == ["inclusion.corroboration"])
            // A matter where the subject is the victim never supports an inclusion.
            let assault = try await r.recordMatter(MatterDraft(kind: "offence", reference: "CRIS-V1", offence: "robbery", occurredOn: "2026-01-02"),
                                                   linking: subject.description, as: "victim", basis: "fact", by: officer, for: purpose)
            #expect(await rules { _ = try await propose(f, subject, matters: [assault], items: [item]) } == ["inclusion.evidence-category", "inclusion.corroboration"])
            // A victim-only person is never included, whatever the evidence.
            let victim = try await r.recordSubject(RegisterFixture.draft(family: "Abernethy"), by: officer, for: purpose)
            let robbery = try await r.recordMatter(MatterDraft(kind: "offence", reference: "CRIS-V2", offence: "robbery", occurredOn: "2026-01-02"),
                                                   linking: victim.description, as: "victim", basis: "fact", by: officer, for: purpose)
            let report = try await r.recordIntelligence(IntelligenceDraft(subjectID: victim.description, text: "At risk of retaliation",
                                                                          grade: GradeDraft(source: "1", assessment: "A", handling: "P"), sourceType: "community"),
                                                        by: officer, for: purpose)
            #expect(await rules { _ = try await propose(f, victim, matters: [robbery], items: [report]) }
                    == ["inclusion.evidence-category", "inclusion.protected-only", "inclusion.corroboration"])
            #expect(await rules { _ = try await r.assessHarm(of: victim, by: officer, for: purpose) } == ["harm.protected-only"])
            // Under 10: refused outright.
            let young = try await corroborated(f, family: "Youngest", dob: r.clock.now().day.adding(days: -9 * 365).description)
            #expect(await rules { _ = try await propose(f, young.0, matters: [young.1], items: [young.2]) } == ["inclusion.minimum-age"])
        }
    }

    @Test(arguments: databases) func aChildsInclusionNeedsARationaleAndCentralApproval(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let (subject, matter, item) = try await corroborated(f, family: "Fifteen", dob: r.clock.now().day.adding(days: -15 * 365 - 40).description)
            #expect(await rules { _ = try await propose(f, subject, matters: [matter], items: [item]) } == ["inclusion.child-rationale"])
            let proposed = try await propose(f, subject, matters: [matter], items: [item],
                                             safeguarding: "Criminally exploited by older men; referral to children's social care made")
            #expect(proposed.isChild)
            let borough = try await r.decideInclusion(proposed.id, approve: true, reason: "Safeguarding-led, agreed at panel", by: f.hackneySPOC, for: purpose)
            #expect(borough.status == .awaitingCentral)
            let central = try await r.decideInclusion(proposed.id, approve: true, reason: "Rationale and referral checked",
                                                      by: f.governance, for: Self.governancePurpose)
            #expect(central.status == .included && central.decisions.map(\.step) == [.borough, .central])
        }
    }

    @Test(arguments: databases) func anOverdueReviewSuspendsAndALowScoreForcesARemovalReview(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let r = f.register
            let (subject, matter, item) = try await corroborated(f)
            let included = try await r.decideInclusion(try await propose(f, subject, matters: [matter], items: [item]).id, approve: true,
                                                       reason: "Two independent sources", by: f.hackneySPOC, for: purpose)
            // "Other" offences weigh nothing: this person scores zero from the start.
            let (zero, zm, zi) = try await corroborated(f, family: "Zeroscore", offence: "other")
            let zeroIncluded = try await r.decideInclusion(try await propose(f, zero, matters: [zm], items: [zi]).id, approve: true,
                                                           reason: "Included on association", by: f.hackneySPOC, for: purpose)
            #expect(try await r.sweep().suspended.isEmpty)
            #expect(try await r.reviewQueue(by: f.hackneyOfficer, for: purpose).isEmpty)

            clock.advance(seconds: 91 * 86_400)
            let due = try await r.reviewQueue(by: f.hackneyOfficer, for: purpose)
            #expect(due.map(\.standing) == [.due, .due] && due.allSatisfy { !$0.inclusion.removalReviewRequired })
            let swept = try await r.sweep()
            #expect(swept.removalReviewsForced == [zero], "a score at zero for the rulebook's 91 days forces a removal review")
            clock.advance(seconds: 15 * 86_400)
            let late = try await r.sweep()
            #expect(Set(late.suspended) == [subject, zero])
            let queue = try await r.reviewQueue(by: f.hackneyOfficer, for: purpose)
            #expect(queue.map(\.standing) == [.suspended, .suspended] && queue.contains { $0.inclusion.removalReviewRequired })
            #expect(try await r.reviewQueue(by: f.newhamOfficer, for: purpose).isEmpty, "another borough's queue is not shown")

            let retained = try await r.review(included.id, outcome: .retain, rationale: "New partner intelligence this month; still active",
                                              by: f.hackneyOfficer, for: purpose)
            #expect(retained.isActive && retained.nextReviewDue == clock.clock.now().day.adding(days: 91))
            #expect(await rules { _ = try await r.review(zeroIncluded.id, outcome: .retain, rationale: "Still associating with the group",
                                                         by: f.hackneyOfficer, for: purpose) } == ["review.removal-considered"])
            let remaining = try await r.reviewQueue(by: f.hackneyOfficer, for: purpose)
            #expect(remaining.map(\.inclusion.subjectID) == [zero])
        }
    }

    @Test(arguments: databases) func onlyGovernanceChangesTheRulebookAndOnlyWithASecondApproval(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            var proposal = Rulebook.first
            proposal.review.cadenceDays = 60
            #expect(await rules { _ = try await r.proposeRulebook(proposal, rationale: "Borough wants faster reviews", by: f.hackneySPOC) } == ["rulebook.governance"])
            let proposed = try await r.proposeRulebook(proposal, rationale: "Annual review: shorter cadence", by: f.governance)
            #expect(proposed.rulebook.version == 2 && proposed.status == .proposed)
            #expect(try await r.rulebookVersions().inForce.version == 1, "a proposal has no effect")
            #expect(await rules { _ = try await r.decideRulebook(version: 2, approve: true, by: f.governance) } == ["four-eyes.proposer"])
            let second = try await f.directory.createUser(UserDraft(username: "board-member", displayName: "Board Member", role: "governance",
                                                                    unit: "central", trainingCompletedOn: "2025-01-15"),
                                                          passwordHash: nil, by: Directory.commandLine)
            _ = try await r.decideRulebook(version: 2, approve: true, by: second)
            let (inForce, versions) = try await r.rulebookVersions()
            #expect(inForce.version == 2 && inForce.review.cadenceDays == 60 && versions.map(\.status) == [.active])
            let (subject, matter, item) = try await corroborated(f)
            #expect(try await propose(f, subject, matters: [matter], items: [item]).rulebookVersion == 2, "stamped with the version in force")
        }
    }

    @Test(arguments: databases) func theSweeperServiceActsWhenTheClockPassesAReviewsGrace(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let (subject, matter, item) = try await corroborated(f)
            let included = try await f.register.decideInclusion(try await propose(f, subject, matters: [matter], items: [item]).id, approve: true,
                                                                reason: "Two independent sources", by: f.hackneySPOC, for: purpose)
            func suspended() async throws -> LocalDate? {
                try await f.register.store.transaction { tx in try await tx.inclusion(included.id)?.suspendedOn }
            }
            let sweeper = ReviewSweeper(register: f.register, interval: .milliseconds(20), logger: Logger(label: "test.sweeper"))
            let group = ServiceGroup(services: [sweeper], logger: Logger(label: "test.services"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await suspended() == nil, "suspended before its review fell due")
                clock.advance(seconds: (91 + 15) * 86_400)
                var seen: LocalDate?
                for _ in 0..<250 where seen == nil {
                    try await Task.sleep(for: .milliseconds(20))
                    seen = try await suspended()
                }
                #expect(seen == clock.clock.now().day)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
