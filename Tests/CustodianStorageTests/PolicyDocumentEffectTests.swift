@_spi(Storage) import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Testing

/// Ethnicity is processed only under an appropriate policy document in force (s.42), and the rule
/// attaches to the equality event itself (`Monitor.equality`), whichever decision writes it.
/// Doors that write an event, each tried after the document is withdrawn: a proposal, an
/// inclusion's second step, a removal; beside them the impact assessment's simulation, which reads
/// ethnicity through the same helper, and the equality report and its alerts, which count people
/// by it. Before the withdrawal, the same steps carry it (the control).
@Suite struct PolicyDocumentEffectTests {
    static let databases = TestDatabase.available
    let purpose = RegisterFixture.purpose

    /// A Hackney person with ethnicity recorded, a suspect on a robbery, with a partner's 2B report.
    func person(_ f: RegisterFixture, _ family: String) async throws -> (SubjectID, InclusionDraft) {
        let r = f.register
        let subject = try await r.recordSubject(RegisterFixture.draft(family: family), by: f.hackneyOfficer, for: purpose)
        let matter = try await r.recordMatter(
            MatterDraft(
                kind: "offence", reference: "CRIS-\(family)", offence: "robbery", occurredOn: r.clock.now().day.adding(days: -9).description
            ),
            linking: subject.description, as: "suspect", basis: "fact", by: f.hackneyOfficer, for: purpose)
        let item = try await r.recordIntelligence(
            IntelligenceDraft(
                subjectID: subject.description, text: "Partner report of robberies near the station",
                grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner",
                sourceID: try await f.partnerSource().description),
            by: f.hackneyColleague, for: purpose)
        return (
            subject,
            InclusionDraft(
                subjectID: subject.description, intelligenceIDs: [item.description], matterIDs: [matter.description],
                rationale: "Robbery and a partner's report")
        )
    }

    /// Events of one stage by officer-defined ethnic group, as storage sums them.
    func groups(_ f: RegisterFixture, _ stage: EqualityStage) async throws -> [String: Int] {
        let today = f.register.clock.now().day
        let counts = try await f.register.store.lookup { tx in
            try await tx.equalityCounts(from: today.adding(days: -1), until: today.adding(days: 1))
        }
        return counts.filter { $0.stage == stage && $0.characteristic == .officerDefinedEthnicity }
            .reduce(into: [:]) { $0[$1.group, default: 0] += $1.count }
    }

    @Test(arguments: databases) func noEqualityEventCarriesEthnicityOnceThePolicyDocumentIsWithdrawn(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            let (before, beforeDraft) = try await person(f, "Beforedoc")
            let (_, afterDraft) = try await person(f, "Afterdoc")
            let known = EthnicGroup(OfficerDefinedEthnicity.ic1).rawValue
            let unrecorded = EthnicGroup(OfficerDefinedEthnicity?.none).rawValue
            #expect(known != unrecorded)

            // The control: with the document in force, a proposal carries the person's group.
            let first = try await r.proposeInclusion(beforeDraft, by: f.hackneyOfficer, for: purpose)
            #expect(try await groups(f, .proposed) == [known: 1])

            let today = r.clock.now().day
            func ethnicBreakdowns() async throws -> Int {
                let report = try await r.equalityReport(from: today.adding(days: -1), until: today, by: f.governance)
                return report.areas.flatMap(\.stages).flatMap(\.breakdowns).filter(\.characteristic.isEthnicity).count
            }
            #expect(try await ethnicBreakdowns() > 0, "the control: the report counts by ethnicity under a document")

            // Withdrawn: every document superseded, as governance would when it lapses.
            try await r.store.transaction { tx in
                for document in try await tx.approvedPolicyDocuments() { try await tx.upsertPolicyDocument(document.superseded()) }
            }
            let second = try await r.proposeInclusion(afterDraft, by: f.hackneyOfficer, for: purpose)
            #expect(try await groups(f, .proposed) == [known: 1, unrecorded: 1], "a proposal wrote ethnicity with no document")
            for inclusion in [first, second] {
                _ = try await r.decideInclusion(
                    inclusion.id, approve: true, reason: "Threshold met, two sources", by: f.hackneySPOC, for: purpose)
            }
            #expect(try await groups(f, .included) == [unrecorded: 2], "an inclusion wrote ethnicity with no document")
            _ = try await r.review(
                second.id, outcome: .remove, rationale: "No longer meets the threshold after the quarterly review", by: f.hackneyOfficer,
                for: purpose)
            try await r.decideRemoval(second.id, approve: true, reason: "Agreed at the borough panel", by: f.hackneySPOC, for: purpose)
            #expect(try await groups(f, .removed) == [unrecorded: 1], "a removal wrote ethnicity with no document")

            // Reading it by hand is refused as before, and logged.
            await #expect(throws: RegisterError.self) { _ = try await r.ethnicity(of: before, by: f.hackneyOfficer, for: purpose) }
            #expect(try await f.refusals(of: f.hackneyOfficer).contains { $0.outcome?.hasPrefix("policy-document.none") == true })
            #expect(try await r.subject(before, by: f.hackneyOfficer, for: purpose).id == before, "reading goes on")

            // The report counts no one by ethnicity, though events recorded under the document
            // carry it, and says so; age band and sex go on. The alerts compare no ethnic rates.
            let report = try await r.equalityReport(from: today.adding(days: -1), until: today, by: f.governance)
            #expect(report.ethnicityWithheld)
            #expect(try await ethnicBreakdowns() == 0, "the report counted people by ethnicity with no document")
            #expect(report.areas[0].stages[0].breakdowns.contains { $0.characteristic == .sex })
            #expect(try await r.raiseEqualityAlerts().allSatisfy { !$0.finding.characteristic.isEthnicity })
        }
    }
}
