import CustodianApp
@_spi(Storage) import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
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
    func corroborated(
        _ f: RegisterFixture, family: String = "Quennell", dob: String = "2001-04-17", offence: String = "grievous-bodily-harm",
        occurredOn: String? = nil
    ) async throws -> (SubjectID, MatterID, IntelligenceID) {
        let r = f.register
        let officer = f.hackneyOfficer
        let subject = try await r.recordSubject(RegisterFixture.draft(family: family, dob: dob), by: officer, for: purpose)
        let day = occurredOn ?? r.clock.now().day.adding(days: -30).description
        let matter = try await r.recordMatter(
            MatterDraft(kind: "offence", reference: "CRIS-\(family)", offence: offence, occurredOn: day),
            linking: subject.description, as: "suspect", basis: "fact", by: officer, for: purpose)
        let item = try await r.recordIntelligence(
            IntelligenceDraft(
                subjectID: subject.description, text: "Partner report of threats with a blade",
                grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner",
                sourceID: try await f.partnerSource().description),
            by: f.hackneyColleague, for: purpose)
        return (subject, matter, item)
    }

    func propose(
        _ f: RegisterFixture, _ subject: SubjectID, matters: [MatterID] = [], items: [IntelligenceID] = [], safeguarding: String? = nil
    ) async throws -> Inclusion {
        try await f.register.proposeInclusion(
            InclusionDraft(
                subjectID: subject.description, intelligenceIDs: items.map(\.description),
                matterIDs: matters.map(\.description), rationale: "Repeat violence, corroborated by the YOT",
                safeguardingRationale: safeguarding),
            by: f.hackneyOfficer, for: purpose)
    }

    func rules(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            return []
        } catch RegisterError.invalid(let v) { return v.map(\.rule) } catch RegisterError.denied(let d) { return [d.rule.rawValue] } catch {
            return ["\(error)"]
        }
    }

    @Test(arguments: databases) func anInclusionMeetsTheThresholdAndASecondPersonDecidesIt(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let (subject, matter, item) = try await corroborated(f)
            let proposed = try await propose(f, subject, matters: [matter], items: [item])
            #expect(proposed.status == .proposed && proposed.rulebookVersion == 1 && !proposed.isChild)
            #expect(
                await rules {
                    _ = try await f.register.decideInclusion(
                        proposed.id, approve: true, reason: "I proposed it myself", by: f.hackneyOfficer, for: purpose)
                }
                    == ["role.decider"])
            #expect(
                await rules {
                    _ = try await f.register.decideInclusion(
                        proposed.id, approve: true, reason: "Newham SPOC should not", by: f.newhamOfficer, for: purpose)
                }
                    == ["role.decider"])
            let decided = try await f.register.decideInclusion(
                proposed.id, approve: true, reason: "Two independent sources, recent GBH", by: f.hackneySPOC, for: purpose)
            #expect(decided.status == .included && decided.nextReviewDue == clock.clock.now().day.adding(days: 91))
            let assessment = try await f.register.assessHarm(of: subject, by: f.hackneyOfficer, for: purpose)
            // GBH weighs 1,460 days; 30 days old it keeps 0.5^(30/365) of that: red.
            #expect(assessment.band == .red && abs(assessment.score - 1379.1) < 0.1 && assessment.lines.count == 1, "\(assessment)")
            // Free text rests sealed: the rationale is nowhere in the stored bytes.
            #expect(!(try await f.store.everyStoredText()).contains("corroborated by the YOT"))
            #expect(
                await rules { _ = try await propose(f, subject, matters: [matter], items: [item]) }.first?.hasPrefix("conflict") == true)
        }
    }

    @Test(arguments: databases) func theThresholdRefusesThroughTheUseCaseWithEveryReason(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let officer = f.hackneyOfficer
            let (subject, matter, item) = try await corroborated(f)
            #expect(await rules { _ = try await propose(f, subject, matters: [matter]) } == ["inclusion.corroboration"])
            // A matter where the subject is the victim never supports an inclusion.
            let assault = try await r.recordMatter(
                MatterDraft(kind: "offence", reference: "CRIS-V1", offence: "robbery", occurredOn: "2026-01-02"),
                linking: subject.description, as: "victim", basis: "fact", by: officer, for: purpose)
            #expect(
                await rules { _ = try await propose(f, subject, matters: [assault], items: [item]) } == [
                    "inclusion.evidence-category", "inclusion.corroboration",
                ])
            // A victim-only person is never included, whatever the evidence.
            let victim = try await r.recordSubject(RegisterFixture.draft(family: "Abernethy"), by: officer, for: purpose)
            let robbery = try await r.recordMatter(
                MatterDraft(kind: "offence", reference: "CRIS-V2", offence: "robbery", occurredOn: "2026-01-02"),
                linking: victim.description, as: "victim", basis: "fact", by: officer, for: purpose)
            let report = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: victim.description, text: "At risk of retaliation",
                    grade: GradeDraft(source: "1", assessment: "A", handling: "P"), sourceType: "community"),
                by: officer, for: purpose)
            #expect(
                await rules { _ = try await propose(f, victim, matters: [robbery], items: [report]) }
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
            let (subject, matter, item) = try await corroborated(
                f, family: "Fifteen", dob: r.clock.now().day.adding(days: -15 * 365 - 40).description)
            #expect(await rules { _ = try await propose(f, subject, matters: [matter], items: [item]) } == ["inclusion.child-rationale"])
            let proposed = try await propose(
                f, subject, matters: [matter], items: [item],
                safeguarding: "Criminally exploited by older men; referral to children's social care made")
            #expect(proposed.isChild)
            let borough = try await r.decideInclusion(
                proposed.id, approve: true, reason: "Safeguarding-led, agreed at panel", by: f.hackneySPOC, for: purpose)
            #expect(borough.status == .awaitingCentral)
            let central = try await r.decideInclusion(
                proposed.id, approve: true, reason: "Rationale and referral checked",
                by: f.governance, for: Self.governancePurpose)
            #expect(central.status == .included && central.decisions.map(\.step) == [.borough, .central])
        }
    }

    @Test(arguments: databases) func anOverdueReviewSuspendsAndALowScoreForcesARemovalReview(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let r = f.register
            let (subject, matter, item) = try await corroborated(f)
            let included = try await r.decideInclusion(
                try await propose(f, subject, matters: [matter], items: [item]).id, approve: true,
                reason: "Two independent sources", by: f.hackneySPOC, for: purpose)
            // "Other" offences weigh nothing: this person scores zero from the start.
            let (zero, zm, zi) = try await corroborated(f, family: "Zeroscore", offence: "other")
            let zeroIncluded = try await r.decideInclusion(
                try await propose(f, zero, matters: [zm], items: [zi]).id, approve: true,
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

            let retained = try await r.review(
                included.id, outcome: .retain, rationale: "New partner intelligence this month; still active",
                by: f.hackneyOfficer, for: purpose)
            #expect(retained.isActive && retained.nextReviewDue == clock.clock.now().day.adding(days: 91))
            #expect(
                await rules {
                    _ = try await r.review(
                        zeroIncluded.id, outcome: .retain, rationale: "Still associating with the group",
                        by: f.hackneyOfficer, for: purpose)
                } == ["review.removal-considered"])
            let remaining = try await r.reviewQueue(by: f.hackneyOfficer, for: purpose)
            #expect(remaining.map(\.inclusion.subjectID) == [zero])
        }
    }

    @Test(arguments: databases) func onlyGovernanceChangesTheRulebookAndOnlyWithASecondApproval(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            var proposal = Rulebook.first
            proposal.review.cadenceDays = 60
            #expect(
                await rules { _ = try await r.proposeRulebook(proposal, rationale: "Borough wants faster reviews", by: f.hackneySPOC) } == [
                    "rulebook.governance"
                ])
            let proposed = try await r.proposeRulebook(proposal, rationale: "Annual review: shorter cadence", by: f.governance)
            #expect(proposed.rulebook.version == 2 && proposed.status == .proposed)
            #expect(try await r.rulebookVersions().inForce.version == 1, "a proposal has no effect")
            #expect(await rules { _ = try await r.decideRulebook(version: 2, approve: true, by: f.governance) } == ["four-eyes.proposer"])
            let second = try await f.boardMember()
            // Not without its equality impact assessment (E5), refused and logged like any refusal.
            #expect(await rules { _ = try await r.decideRulebook(version: 2, approve: true, by: second) } == ["eia.none"])
            #expect(try await f.refusals(of: second).last?.outcome?.hasPrefix("eia.none") == true)
            try await f.assessEquality(of: 2, justification: nil)
            _ = try await r.decideRulebook(version: 2, approve: true, by: second)
            let (inForce, versions) = try await r.rulebookVersions()
            #expect(inForce.version == 2 && inForce.review.cadenceDays == 60 && versions.map(\.status) == [.active])
            let (subject, matter, item) = try await corroborated(f)
            #expect(
                try await propose(f, subject, matters: [matter], items: [item]).rulebookVersion == 2, "stamped with the version in force")
        }
    }

    @Test(arguments: databases) func theSweeperServiceActsWhenTheClockPassesAReviewsGrace(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let (subject, matter, item) = try await corroborated(f)
            let included = try await f.register.decideInclusion(
                try await propose(f, subject, matters: [matter], items: [item]).id, approve: true,
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

/// Removal that really erases, and restriction where the law requires keeping.
@Suite struct ErasureTests {
    static let databases = TestDatabase.available
    let purpose = RegisterFixture.purpose
    let governancePurpose = StatedPurpose(purpose: .subjectRights, justification: "Accuracy contested by the data subject, ref DSR-2026-31")

    func includedSubject(_ f: RegisterFixture) async throws -> (SubjectID, Inclusion) {
        let r = f.register
        let officer = f.hackneyOfficer
        let subject = try await r.recordSubject(RegisterFixture.draft(family: "Vanderlyn"), by: officer, for: purpose)
        let matter = try await r.recordMatter(
            MatterDraft(
                kind: "offence", reference: "CRIS-ERASE", offence: "robbery", occurredOn: r.clock.now().day.adding(days: -20).description),
            linking: subject.description, as: "suspect", basis: "fact", by: officer, for: purpose)
        let item = try await r.recordIntelligence(
            IntelligenceDraft(
                subjectID: subject.description, text: "Seen with a blade at the Vanderlyn estate",
                grade: GradeDraft(source: "1", assessment: "B", handling: "P"), sourceType: "community",
                sourceID: try await f.partnerSource("Crimestoppers").description),
            by: f.hackneyColleague, for: purpose)
        _ = try await r.recordFlag(
            FlagDraft(subjectID: subject.description, kind: "knife-carrier", intelligenceIDs: [item.description]), by: officer, for: purpose
        )
        let proposed = try await r.proposeInclusion(
            InclusionDraft(
                subjectID: subject.description, intelligenceIDs: [item.description],
                matterIDs: [matter.description], rationale: "Robbery and community report"),
            by: officer, for: purpose)
        return (
            subject,
            try await r.decideInclusion(proposed.id, approve: true, reason: "Threshold met, two sources", by: f.hackneySPOC, for: purpose)
        )
    }

    @Test(arguments: databases) func removalDestroysTheKeyAndEveryRowAndABackupNoLongerYieldsThePerson(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let (subject, inclusion) = try await includedSubject(f)
            _ = try await r.assessHarm(of: subject, by: f.hackneyOfficer, for: purpose)
            let wrapped = try #require(try await r.keys.wrappedKey(for: subject))
            // A backup of the data taken before the removal: the file itself on SQLite.
            var backup: String?
            if let path = f.store.sqlitePath {
                backup = path + ".backup"
                try FileManager.default.copyItem(atPath: path, toPath: backup!)
                if FileManager.default.fileExists(atPath: path + "-wal") {
                    try FileManager.default.copyItem(atPath: path + "-wal", toPath: backup! + "-wal")
                }
            }
            let sealedBefore = try #require(try await r.store.transaction { tx in try await tx.subject(subject) })

            _ = try await r.review(
                inclusion.id, outcome: .remove, rationale: "No violence for a year; removal proposed at review",
                by: f.hackneySPOC, for: purpose)
            await #expect(throws: RegisterError.self, "the SPOC who proposed it cannot approve it") {
                try await r.decideRemoval(inclusion.id, approve: true, reason: "Approving my own proposal", by: f.hackneySPOC, for: purpose)
            }
            await #expect(throws: RegisterError.self, "an officer does not approve removals") {
                try await r.decideRemoval(
                    inclusion.id, approve: true, reason: "Officer approving (recorded at panel)", by: f.hackneyOfficer, for: purpose)
            }
            let second = try await f.directory.admit(
                UserDraft(
                    username: "hackney-spoc-2", displayName: "Second SPOC", role: "borough-spoc",
                    unit: "hackney", trainingCompletedOn: RegisterFixture.trainedOn), approvedBy: f.governance)
            try await r.decideRemoval(
                inclusion.id, approve: true, reason: "Agreed: no longer meets the threshold", by: second, for: purpose)

            // Gone from the register: no read finds it, no table but the log mentions its id.
            await #expect(throws: RegisterError.notFound(kind: "subject", id: subject.description)) {
                _ = try await r.subject(subject, by: f.hackneyOfficer, for: purpose)
            }
            #expect(try await r.keys.wrappedKey(for: subject) == nil)
            #expect(try await f.store.tablesMentioning(subject.description).isSubset(of: ["audit_log", "audit_log_subjects"]))
            #expect(try await r.searchSubjects(name: "Vanderlyn", dateOfBirth: nil, by: f.hackneyOfficer, for: purpose).isEmpty)
            // The log keeps the fact of erasure, by id only.
            let log = try await r.auditPage(
                AuditFilter(subject: subject.description, operation: "erasure"), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(log.entries.count == 1)
            // The ciphertext taken before cannot be opened: its key is gone from the key store.
            #expect(throws: (any Error).self) {
                try r.keyring.open(
                    PersonalDetails.self, from: sealedBefore.personal, key: try r.keyring.unwrap(Data(), for: subject), subject: subject,
                    label: "personal")
            }
            if let backup, let keyFile = f.store.keyStorePath {
                // The backup file still holds the sealed row, but opened beside the live key store it yields nothing.
                let restored = try await SQLiteDriver.open(path: backup)
                let old = Register(store: SQLRegisterStore(driver: restored), ledger: f.ledger, keyring: r.keyring, keys: r.keys)
                await #expect(throws: RegisterError.notFound(kind: "subject", id: subject.description)) {
                    _ = try await old.subject(subject, by: f.hackneyOfficer, for: purpose)
                }
                try await restored.close()
                let backupText = [backup, backup + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
                    .map { String(decoding: $0, as: UTF8.self) }.joined()
                #expect(backupText.contains(sealedBefore.personal.base64EncodedString()) && !backupText.contains("Vanderlyn"))
                // And the destroyed key left no bytes behind in the key store's file.
                let keyBytes = String(decoding: try Data(contentsOf: URL(fileURLWithPath: keyFile)), as: UTF8.self)
                #expect(!keyBytes.contains(wrapped.base64EncodedString()))
            }
        }
    }

    @Test(arguments: databases) func aRestrictedRecordIsHiddenFromOperationalUseAndReadableByGovernanceWithItsReason(_ db: TestDatabase)
        async throws
    {
        try await withRegister(db) { f in
            let r = f.register
            let (subject, _) = try await includedSubject(f)
            await #expect(throws: RegisterError.self) {
                try await r.restrict(subject, reason: "Officer tries to restrict", by: f.hackneyOfficer, for: purpose)
            }
            try await r.restrict(
                subject, reason: "Accuracy contested; legal hold pending tribunal", by: f.governance, for: governancePurpose)
            await #expect(
                throws: RegisterError.denied(
                    AccessDenial(
                        rule: "subject.restricted",
                        reason:
                            "this record is restricted (legal hold or contested accuracy): out of all operational use; only governance reads it"
                    ))
            ) {
                _ = try await r.subject(subject, by: f.hackneyOfficer, for: purpose)
            }
            await #expect(throws: RegisterError.self) {
                _ = try await r.recordIntelligence(
                    IntelligenceDraft(
                        subjectID: subject.description, text: "more", grade: GradeDraft(source: "1", assessment: "A", handling: "P"),
                        sourceType: "police"), by: f.hackneyOfficer, for: purpose)
            }
            #expect(try await r.searchSubjects(name: "Vanderlyn", dateOfBirth: nil, by: f.hackneyOfficer, for: purpose).isEmpty)
            #expect(try await r.listSubjects(before: nil, by: f.hackneyOfficer, for: purpose).subjects.isEmpty)
            #expect(try await r.reviewQueue(by: f.hackneyOfficer, for: purpose).isEmpty)
            let seen = try await r.subject(subject, by: f.governance, for: governancePurpose)
            #expect(seen.restriction == "Accuracy contested; legal hold pending tribunal")
            let refusals = try await r.auditPage(
                AuditFilter(actor: "hackney-officer", subject: subject.description, operation: "refusal"),
                by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(refusals.entries.count >= 2, "attempts on a restricted record are logged")
        }
    }
}

@Suite struct DashboardTests {
    static let databases = TestDatabase.available
    let purpose = RegisterFixture.purpose

    @Test(arguments: databases) func theDashboardCountsInclusionsZeroScoresReviewsRejectionsAndRemovalsPerBorough(_ db: TestDatabase)
        async throws
    {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let r = f.register
            let officer = f.hackneyOfficer
            let spoc = f.hackneySPOC
            func subject(_ family: String, offence: String) async throws -> Inclusion {
                let s = try await r.recordSubject(RegisterFixture.draft(family: family), by: officer, for: purpose)
                let m = try await r.recordMatter(
                    MatterDraft(
                        kind: "offence", reference: "CRIS-\(family)", offence: offence,
                        occurredOn: r.clock.now().day.adding(days: -5).description),
                    linking: s.description, as: "suspect", basis: "fact", by: officer, for: purpose)
                let i = try await r.recordIntelligence(
                    IntelligenceDraft(
                        subjectID: s.description, text: "Partner report",
                        grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner",
                        sourceID: try await f.partnerSource().description),
                    by: f.hackneyColleague, for: purpose)
                return try await r.proposeInclusion(
                    InclusionDraft(
                        subjectID: s.description, intelligenceIDs: [i.description], matterIDs: [m.description],
                        rationale: "Two sources"), by: officer, for: purpose)
            }
            let scored = try await subject("Scored", offence: "robbery")
            let zero = try await subject("Zero", offence: "other")
            let rejected = try await subject("Rejected", offence: "robbery")
            let removed = try await subject("Removed", offence: "robbery")
            for p in [scored, zero, removed] {
                _ = try await r.decideInclusion(p.id, approve: true, reason: "Threshold met at panel", by: spoc, for: purpose)
            }
            _ = try await r.decideInclusion(rejected.id, approve: false, reason: "Partner report is second-hand", by: spoc, for: purpose)
            _ = try await r.review(
                removed.id, outcome: .remove, rationale: "Moved out of London; removal proposed", by: officer, for: purpose)
            try await r.decideRemoval(removed.id, approve: true, reason: "Agreed at review (recorded at panel)", by: spoc, for: purpose)
            clock.advance(seconds: 88 * 86_400)

            let today = clock.clock.now().day
            let board = try await r.dashboard(
                from: today.adding(days: -100), until: today, by: f.governance,
                for: StatedPurpose(purpose: .registerReview, justification: "Quarterly board figures"))
            let hackney = try #require(board.boroughs.first { $0.unit == .borough(.hackney) })
            #expect(hackney.included == 2 && hackney.zeroScore == 1 && hackney.zeroScoreShare == 0.5)
            #expect(hackney.reviewsDue == 2 && hackney.reviewsOverdue == 0 && hackney.suspended == 0)
            #expect(hackney.rejected == 1 && hackney.rejectionReasons == ["Partner report is second-hand"])
            #expect(hackney.removals == 1)
            #expect(board.london.included == 2 && board.london.removals == 1 && board.boroughs.count == Borough.allCases.count)
            // Equality monitoring counted each stage, the removal too although the person is erased.
            let equality = try await r.equalityReport(from: today.adding(days: -100), until: today, by: f.governance)
            let counted = try #require(equality.areas.first { $0.borough == .hackney })
            func total(_ stage: EqualityReportStage) -> Int? { counted.stages.first { $0.stage == stage }?.total }
            #expect(total(.recorded) == 4 && total(.proposed) == 4 && total(.included) == 3 && total(.removed) == 1)
            #expect(EqualityReportStage.bands.compactMap(total).reduce(0, +) == 3 && total(.shared) == 0)
            let white = counted.stages.first { $0.stage == .recorded }?.breakdowns.first { $0.characteristic == .officerDefinedEthnicity }?
                .rows.first { $0.group == "white" }
            #expect(white?.count == 4 && equality.suppressed == false)
            // A SPOC sees their borough beside London; an officer is refused.
            let own = try await r.dashboard(from: today.adding(days: -100), until: today, by: spoc, for: purpose)
            #expect(own.boroughs.map(\.unit) == [.borough(.hackney)] && own.london.included == 2)

            // The zero score is counted from its row's kind, kept in clear, with no key unwrapped;
            // rows written before migration 0022 said "green" for any low score and are opened.
            func kinds() async throws -> [String] {
                try await f.store.driver.read { db in
                    try await db.select().column("kind").from("harm_assessments").all().map {
                        try $0.decode(column: "kind", as: String.self)
                    }
                }
            }
            #expect(try await kinds().filter { $0 == HarmRowKind.zero }.count == 1)
            try await f.store.tamper("UPDATE harm_assessments SET kind = 'green' WHERE kind = 'zero'")
            try await f.store.tamper("DELETE FROM schema_migrations WHERE id = '0022-harm-zero-kind'")
            #expect(try await Migrations.run(on: f.store.driver) == ["0022-harm-zero-kind"])
            let migrated = try await kinds()
            #expect(migrated.contains(HarmRowKind.unopenedGreen) && !migrated.contains(HarmRowKind.zero) && !migrated.contains("green"))
            let reopened = try await r.dashboard(
                from: today.adding(days: -100), until: today, by: f.governance,
                for: StatedPurpose(purpose: .registerReview, justification: "Quarterly board figures"))
            #expect(reopened.boroughs.first { $0.unit == .borough(.hackney) }?.zeroScore == 1)

            // Past the grace period the sweep suspends both and forces the zero score's removal
            // review; the dashboard counts these from the columns kept in clear beside each sealed
            // inclusion, without opening it.
            _ = try await r.sweep()  // the zero score's low spell starts here
            clock.advance(seconds: 95 * 86_400)
            _ = try await r.sweep()
            let later = clock.clock.now().day
            let swept = try await r.dashboard(
                from: later.adding(days: -100), until: later, by: f.governance,
                for: StatedPurpose(purpose: .registerReview, justification: "Quarterly board figures"))
            let hackneyLater = try #require(swept.boroughs.first { $0.unit == .borough(.hackney) })
            #expect(hackneyLater.included == 2 && hackneyLater.suspended == 2 && hackneyLater.removalReviewsForced == 1)
            #expect(hackneyLater.reviewsDue == 0 && hackneyLater.reviewsOverdue == 0)
            #expect(hackneyLater.rejected == 0, "the rejection fell outside the period asked about")
            await #expect(throws: RegisterError.self) { _ = try await r.dashboard(from: today, until: today, by: officer, for: purpose) }
        }
    }
}
