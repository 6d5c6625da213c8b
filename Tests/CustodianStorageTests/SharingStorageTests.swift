import Crypto
import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
import Testing

/// Sharing through the register's use cases on real storage, with a clock the test moves.
@Suite struct SharingStorageTests {
    static let databases = TestDatabase.available
    let purpose = RegisterFixture.purpose
    let partnerPurpose = RegisterFixture.partnerPurpose

    struct World {
        let f: RegisterFixture
        let partner: Partner
        let agreement: SharingAgreement
        let secondGovernance: User
    }

    /// A partner whose recipient is the fixture's partner user, and a draft agreement for Hackney's YOT.
    func world(
        _ f: RegisterFixture, fields: Set<SharedField> = [.name, .dateOfBirth, .matters], safeguarding: Bool = false,
        categories: Set<Category> = [.suspect, .convicted]
    ) async throws -> World {
        let r = f.register
        let key = AgeRecipient(publicKey: Curve25519.KeyAgreement.PrivateKey().publicKey)
        let partner = try await r.registerPartner(
            PartnerDraft(
                name: "Hackney Youth Offending Team", kind: "youth-offending-team", statutory: true,
                recipientIDs: [f.partner.id.description], ageRecipient: key.description), by: f.governance)
        let today = r.clock.now().day
        let agreement = try await r.draftAgreement(
            SharingAgreement(
                id: AgreementID(UUID()), title: "Hackney YOT diversion", partners: [partner.id],
                purpose: "Diverting young people from violence",
                legalPower: "Crime and Disorder Act 1998 s.115", fields: fields, categories: categories, bands: [.red, .amber],
                safeguarding: safeguarding,
                handlingConditions: nil, onwardSharing: false, retentionDays: 60, securityTerms: "Held on the YOT case system only",
                signatories: ["Borough Commander", "YOT Manager"], startsOn: today.adding(days: -1), reviewOn: today.adding(days: 100),
                expiresOn: today.adding(days: 180), status: .draft, approvals: [], reviews: [], draftedBy: f.governance.id),
            by: f.governance)
        let second = try await f.boardMember()
        return World(f: f, partner: partner, agreement: agreement, secondGovernance: second)
    }

    /// The world with its agreement approved by two different members of governance: in force.
    func approvedWorld(_ f: RegisterFixture) async throws -> World {
        let w = try await world(f)
        _ = try await f.register.approveAgreement(w.agreement.id, by: f.governance)
        _ = try await f.register.approveAgreement(w.agreement.id, by: w.secondGovernance)
        return w
    }

    /// A Hackney subject included on a police robbery and a partner's 2B report (or, with `category`
    /// victim, held only as a victim).
    func person(_ f: RegisterFixture, _ family: String, offence: String = "robbery", category: String = "suspect", include: Bool = true)
        async throws -> SubjectID
    {
        let r = f.register
        let officer = f.hackneyOfficer
        let s = try await r.recordSubject(RegisterFixture.draft(family: family), by: officer, for: purpose)
        let m = try await r.recordMatter(
            MatterDraft(
                kind: "offence", reference: "CRIS-\(family.prefix(3))", offence: offence,
                occurredOn: r.clock.now().day.adding(days: -10).description),
            linking: s.description, as: category, basis: "fact", by: officer, for: purpose)
        let i = try await r.recordIntelligence(
            IntelligenceDraft(
                subjectID: s.description, text: "Partner report", grade: GradeDraft(source: "2", assessment: "B", handling: "P"),
                sourceType: "partner", sourceID: try await f.partnerSource().description), by: f.hackneyColleague, for: purpose)
        if include {
            let p = try await r.proposeInclusion(
                InclusionDraft(
                    subjectID: s.description, intelligenceIDs: [i.description], matterIDs: [m.description],
                    rationale: "Two sources"), by: officer, for: purpose)
            _ = try await r.decideInclusion(
                p.id, approve: true, reason: "Threshold met (recorded at panel)", by: f.hackneySPOC, for: purpose)
        }
        return s
    }

    /// Review proposes the person's removal; the borough's SPOC approves it (erasure, recalls).
    func remove(_ subject: SubjectID, _ f: RegisterFixture) async throws {
        let inclusion = try #require(try await f.register.subject(subject, by: f.hackneyOfficer, for: purpose).inclusion)
        _ = try await f.register.review(
            inclusion.id, outcome: .remove, rationale: "Moved away and no offending; removal proposed", by: f.hackneyOfficer, for: purpose)
        try await f.register.decideRemoval(
            inclusion.id, approve: true, reason: "Agreed at the quarterly review", by: f.hackneySPOC, for: purpose)
    }

    func rules(_ request: ShareRequest, _ subject: SubjectID) -> [String] {
        request.outcomes.first { $0.subjectID == subject }?.reasons.map(\.rule.rawValue) ?? ["(absent)"]
    }

    @Test(arguments: databases) func aShareChecksEachPersonNeedsAFourEyesApprovalAndLetsOnlyAllowedFieldsLeave(_ db: TestDatabase)
        async throws
    {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let r = f.register
            let w = try await world(f)
            let shared = try await person(f, "Sharedperson")
            let victim = try await person(f, "Victimonly", category: "victim", include: false)
            let zero = try await person(f, "Zeroscore", offence: "other")
            _ = try await r.assessHarm(of: zero, by: f.hackneyOfficer, for: purpose)
            let subjects = [shared, victim, zero].map(\.description)

            // No active agreement, no share.
            let early = try await r.requestShare(
                ShareDraft(
                    agreementID: w.agreement.id.description, partnerID: w.partner.id.description,
                    subjectIDs: subjects), by: f.hackneyOfficer, for: purpose)
            #expect(early.status == .rejected && early.outcomes.allSatisfy { $0.reasons.map(\.rule).contains("share.agreement-inactive") })
            _ = try await r.approveAgreement(w.agreement.id, by: f.governance)
            await #expect(throws: RegisterError.self, "the same person approving twice") {
                _ = try await r.approveAgreement(w.agreement.id, by: f.governance)
            }
            _ = try await r.approveAgreement(w.agreement.id, by: w.secondGovernance)

            let request = try await r.requestShare(
                ShareDraft(
                    agreementID: w.agreement.id.description, partnerID: w.partner.id.description,
                    subjectIDs: subjects), by: f.hackneyOfficer, for: purpose)
            #expect(request.status == .pending)
            #expect(rules(request, shared) == [])
            #expect(rules(request, victim) == ["share.protected-only", "share.category"])
            #expect(rules(request, zero) == ["share.zero-score", "share.band"])
            await #expect(throws: RegisterError.self, "the requester approving") {
                _ = try await r.decideShare(
                    request.id, approve: true, reason: "approving my own request here", by: f.hackneyOfficer, for: purpose)
            }
            let approved = try await r.decideShare(
                request.id, approve: true, reason: "Proportionate: one person", by: f.hackneySPOC, for: purpose)
            let disclosure = try #require(approved.disclosureID)

            // The disclosure is logged naming the recipient organisation and its users.
            let log = try await r.auditPage(
                AuditFilter(subject: shared.description, operation: "disclosure"), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(log.entries.first?.entry.recipient?.contains("Hackney Youth Offending Team") == true)
            #expect(log.entries.first?.entry.recipient?.contains("partner-recipient") == true)

            // The portal shows the partner only the allowed fields, with grading metadata and the watermark.
            let seen = try await r.sharedWithMe(by: f.partner, for: partnerPurpose)
            let records = try #require(seen.first?.records)
            #expect(records.count == 1 && seen.first?.header.id == disclosure)
            let json = String(decoding: try JSONEncoder().encode(records), as: UTF8.self)
            #expect(
                json.contains("Sharedperson") && json.contains("2001-04-17") && json.contains("suspect")
                    && json.contains(seen.first!.header.watermark))
            for withheld in ["Invented Row", "01/1234567A", "Quill", "Partner report", "Victimonly", "Zeroscore"] {
                #expect(!json.contains(withheld), "\(withheld) left under an agreement that does not allow it")
            }
            await #expect(throws: RegisterError.self, "only named recipients use the portal") {
                _ = try await r.sharedWithMe(by: f.hackneyOfficer, for: purpose)
            }
            await #expect(throws: RegisterError.self, "a recipient does not read the partner list") {
                _ = try await r.partners(by: f.partner)
            }
            await #expect(throws: RegisterError.self, "nor the agreements") { _ = try await r.agreements(by: f.partner) }
            #expect(try await r.agreements(by: f.hackneyOfficer).count == 1)

            // Past the agreement's expiry the portal shows nothing and no package is built.
            clock.advance(seconds: 181 * 86_400)
            #expect(try await r.sharedWithMe(by: f.partner, for: partnerPurpose).isEmpty)
            await #expect(throws: RegisterError.self) { _ = try await r.package(disclosure, by: f.hackneySPOC, for: purpose) }
        }
    }

    /// A request's people are read together (a query a kind, in pieces of 500), so each must come
    /// out exactly as they would alone, in the order named: 520 people recorded in one batch around
    /// an included suspect, a victim and a person whose harm score is nought.
    @Test(arguments: databases) func aShareOfManyPeopleJudgesEachAsIfNamedAlone(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let w = try await approvedWorld(f)
            let shared = try await person(f, "Sharedperson")
            let victim = try await person(f, "Victimonly", category: "victim", include: false)
            let zero = try await person(f, "Zeroscore", offence: "other")
            _ = try await r.assessHarm(of: zero, by: f.hackneyOfficer, for: purpose)
            var batch = RecordBatch()
            for n in 0..<520 {
                batch.subjects.append(.init(ref: "s\(n)", draft: RegisterFixture.draft(family: "Batchperson", ethnicity: false)))
                batch.intelligence.append(
                    .init(
                        ref: "i\(n)", subject: "s\(n)",
                        draft: IntelligenceDraft(
                            subjectID: "", text: "Seen at the estate", grade: GradeDraft(source: "2", assessment: "B", handling: "P"),
                            sourceType: "partner")))
            }
            let many = try await r.recordBatch(batch, by: f.hackneyOfficer, for: purpose).subjects.map(\.value)
            let named = Array(many.prefix(260)) + [shared, victim] + Array(many.suffix(260)) + [zero, shared]
            func request(_ people: [SubjectID]) async throws -> ShareRequest {
                try await r.requestShare(
                    ShareDraft(
                        agreementID: w.agreement.id.description, partnerID: w.partner.id.description,
                        subjectIDs: people.map(\.description)), by: f.hackneyOfficer, for: purpose)
            }
            let together = try await request(named)
            #expect(together.outcomes.map(\.subjectID) == named)
            for (i, person) in [0, 259, 260, 261, 262, 521, 522, 523].map({ named[$0] }).enumerated() {
                let alone = try await request([person])
                let outcome = try #require(together.outcomes.first { $0.subjectID == person })
                #expect(outcome.reasons.map(\.rule) == alone.outcomes[0].reasons.map(\.rule), "person \(i)")
                #expect(outcome.harmShown == alone.outcomes[0].harmShown, "person \(i)")
            }
            #expect(rules(together, shared) == [])
            #expect(rules(together, victim) == ["share.protected-only", "share.category"])
            #expect(rules(together, zero) == ["share.zero-score", "share.band"])
            #expect(!rules(together, many[0]).isEmpty)

            // One person of another borough among them refuses the whole request, logged; one not on
            // the register is not found.
            let newham = try await r.recordSubject(
                RegisterFixture.draft(family: "Elsewhere", ethnicity: false), by: f.newhamOfficer, for: purpose)
            await #expect(throws: RegisterError.self) { _ = try await request(named + [newham]) }
            #expect(try await f.refusals(of: f.hackneyOfficer).contains { $0.subjects.contains(newham) && $0.action == "share.request" })
            let stranger = SubjectID(UUID())
            await #expect(throws: RegisterError.notFound(kind: "subject", id: stranger.description)) {
                _ = try await request(named + [stranger])
            }
        }
    }

    /// A borough's requests and a person's requests are found by index (a national register holds
    /// millions of requests), and the migration that adds the index indexes the requests already held.
    @Test(arguments: databases) func shareRequestsAreFoundByBoroughAndByPersonIncludingThoseMadeBeforeTheIndex(_ db: TestDatabase)
        async throws
    {
        try await withRegister(db) { f in
            let r = f.register
            let w = try await world(f)
            let shared = try await person(f, "Indexedperson")
            _ = try await r.approveAgreement(w.agreement.id, by: f.governance)
            _ = try await r.approveAgreement(w.agreement.id, by: w.secondGovernance)
            let request = try await r.requestShare(
                ShareDraft(agreementID: w.agreement.id.description, partnerID: w.partner.id.description, subjectIDs: [shared.description]),
                by: f.hackneyOfficer, for: purpose)
            func indexed() async throws -> Int {
                try await f.store.driver.transaction { db in
                    try await db.select().column("request_id").from("share_request_subjects").where(
                        "subject_id", .equal, shared.description
                    )
                    .all().count
                }
            }
            #expect(try await r.shareRequests(by: f.hackneyOfficer, for: purpose).map(\.id) == [request.id])
            #expect(try await r.shareRequests(by: f.newhamOfficer, for: purpose).isEmpty, "another borough's list")
            #expect(try await indexed() == 1)

            // A database from before the index: the borough not in `lookup`, no people indexed.
            try await f.store.tamper("UPDATE share_requests SET lookup = '\(w.partner.id)'")
            try await f.store.tamper("DROP TABLE share_request_subjects")
            try await f.store.tamper("DELETE FROM schema_migrations WHERE id = '0020-share-request-index'")
            #expect(try await Migrations.run(on: f.store.driver) == ["0020-share-request-index"])
            #expect(try await r.shareRequests(by: f.hackneyOfficer, for: purpose).map(\.id) == [request.id])
            #expect(try await indexed() == 1)

            // Erasing the person takes them out of every request, and out of the index.
            try await remove(shared, f)
            #expect(try await indexed() == 0)
            #expect(try await r.shareRequests(by: f.hackneyOfficer, for: purpose).first?.outcomes.isEmpty == true)
        }
    }

    @Test(arguments: databases) func anOverdueReviewKeepsAPersonOutAndRemovalRecallsUntilThePartnerConfirms(_ db: TestDatabase) async throws
    {
        let clock = TestClock()
        try await withRegister(db, clock: clock.clock) { f in
            let r = f.register
            let w = try await approvedWorld(f)
            let shared = try await person(f, "Sharedperson")
            let request = try await r.requestShare(
                ShareDraft(
                    agreementID: w.agreement.id.description, partnerID: w.partner.id.description,
                    subjectIDs: [shared.description]), by: f.hackneyOfficer, for: purpose)
            _ = try await r.decideShare(
                request.id, approve: true, reason: "Proportionate: red band, review up to date", by: f.hackneySPOC, for: purpose)

            clock.advance(seconds: 95 * 86_400)
            let late = try await r.requestShare(
                ShareDraft(
                    agreementID: w.agreement.id.description, partnerID: w.partner.id.description,
                    subjectIDs: [shared.description]), by: f.hackneyOfficer, for: purpose)
            #expect(rules(late, shared) == ["share.review-overdue"])

            // Removal of a shared person recalls their record from every recipient.
            try await remove(shared, f)
            let recall = try #require(try await r.recalls(by: f.partner).first)
            #expect(recall.reason == .removal && recall.recordRefs.count == 1 && recall.isOutstanding)
            #expect(!String(describing: recall).contains(shared.description), "a recall names the record, not the person")
            let today = clock.clock.now().day
            let board = {
                try await r.dashboard(
                    from: today.adding(days: -200), until: today, by: f.governance,
                    for: StatedPurpose(purpose: .registerReview, justification: "Quarterly board figures"))
            }
            #expect(try await board().london.removalsAwaitingConfirmation == 1)
            let acknowledged = try await r.answerRecall(recall.id, confirmDeletion: false, by: f.partner)
            #expect(acknowledged.acknowledgedAt != nil && acknowledged.isOutstanding)
            #expect(try await board().london.removalsAwaitingConfirmation == 1)
            let confirmed = try await r.answerRecall(recall.id, confirmDeletion: true, by: f.partner)
            #expect(!confirmed.isOutstanding)
            #expect(try await board().london.removalsAwaitingConfirmation == 0)
            #expect(
                try await r.sharedWithMe(by: f.partner, for: partnerPurpose).first?.records.isEmpty ?? true,
                "the erased person's record is gone from the portal")
        }
    }

    @Test(arguments: databases) func aCorrectedRecordIsRecalledFromEveryRecipientAndGovernanceSeesWhatIsOutstanding(_ db: TestDatabase)
        async throws
    {
        try await withRegister(db) { f in
            let r = f.register
            let w = try await approvedWorld(f)
            let shared = try await person(f, "Sharedperson")
            for _ in 0..<2 {
                let request = try await r.requestShare(
                    ShareDraft(
                        agreementID: w.agreement.id.description, partnerID: w.partner.id.description,
                        subjectIDs: [shared.description]), by: f.hackneyOfficer, for: purpose)
                _ = try await r.decideShare(
                    request.id, approve: true, reason: "Proportionate: red band, review up to date", by: f.hackneySPOC, for: purpose)
            }
            await #expect(throws: RegisterError.self, "an officer does not recall") {
                _ = try await r.recallCorrected(shared, by: f.hackneyOfficer, for: purpose)
            }
            #expect(
                try await r.recallCorrected(shared, by: f.hackneySPOC, for: purpose) == 2,
                "one recall per disclosure that carried the person")
            let outstanding = try await r.recalls(by: f.governance).filter(\.isOutstanding)
            #expect(
                outstanding.count == 2 && Set(outstanding.map(\.partnerID)) == [w.partner.id]
                    && outstanding.allSatisfy { $0.reason == .correction })
            await #expect(throws: RegisterError.self, "another borough's officer cannot answer a partner's recall") {
                _ = try await r.answerRecall(outstanding[0].id, confirmDeletion: true, by: f.newhamOfficer)
            }
        }
    }
}
