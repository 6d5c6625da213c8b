import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Testing

extension GovernanceStorageTests {
    /// The simulation an equality impact assessment keeps is of everyone proposed or included,
    /// each judged on their own record: the people are read a page at a time, so a person judged
    /// on another's matters, items or flags would show here as a red band counted wrongly.
    @Test(arguments: databases) func theAssessmentSimulatesEachPersonOnTheirOwnRecord(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let r = f.register
            // One person with recent violence, corroborated, and a knife-carrier flag on the report.
            let (violent, vm, vi) = try await corroborated(f, family: "Ravenscroft")
            _ = try await r.recordFlag(
                FlagDraft(subjectID: violent.description, kind: "knife-carrier", intelligenceIDs: [vi.description]), by: f.hackneyOfficer,
                for: purpose)
            _ = try await r.decideInclusion(
                try await propose(f, violent, matters: [vm], items: [vi]).id, approve: true, reason: "Two independent sources",
                by: f.hackneySPOC, for: purpose)
            // One whose offence weighs nothing, included; one proposed and not yet decided.
            let (zero, zm, zi) = try await corroborated(f, family: "Zeroscore", offence: "other")
            _ = try await r.decideInclusion(
                try await propose(f, zero, matters: [zm], items: [zi]).id, approve: true, reason: "Included on association",
                by: f.hackneySPOC, for: purpose)
            let (waiting, wm, wi) = try await corroborated(f, family: "Tolhurst", offence: "robbery")
            _ = try await propose(f, waiting, matters: [wm], items: [wi])

            var reds = 0
            for person in [violent, zero, waiting] where try await r.assessHarm(of: person, by: f.hackneyOfficer, for: purpose).band == .red
            {
                reds += 1
            }
            #expect((1...2).contains(reds), "the test needs people in and out of the red band (\(reds) red)")

            var proposal = try await r.rulebookVersions().inForce
            proposal.review.cadenceDays = 60
            _ = try await r.proposeRulebook(proposal, rationale: "Shorter review cadence", by: f.governance)
            let assessment = try await r.recordEqualityImpactAssessment(
                version: 2, impact: "A shorter cadence brings reviews forward for everyone included; no group is selected differently.",
                mitigation: "The quarterly report is watched for any change in removal rates by group after the change.",
                justification: nil,
                by: f.governance)
            let simulation = assessment.simulation
            #expect(simulation.people == 3)
            let byAge = simulation.rows.filter { $0.characteristic == .ageBand }
            #expect(byAge.filter { $0.measure == .included }.compactMap(\.inForce.count).reduce(0, +) == 3)
            #expect(byAge.filter { $0.measure == .red }.compactMap(\.inForce.count).reduce(0, +) == reds)
            #expect(byAge.filter { $0.measure == .red }.compactMap(\.proposed.count).reduce(0, +) == reds)
        }
    }
}
