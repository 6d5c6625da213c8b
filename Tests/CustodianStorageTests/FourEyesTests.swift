import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// Four-eyes is one rule set (`AccessPolicy.separation`) and every refusal it makes is logged the
/// same way, naming the record: on inclusions, the rulebook and agreements as on shares.
extension GovernanceStorageTests {
    @Test(arguments: databases) func aProposerDecidingTheirOwnInclusionIsRefusedAndLogged(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let (subject, matter, item) = try await corroborated(f)
            let spoc = f.hackneySPOC
            let proposed = try await f.register.proposeInclusion(
                InclusionDraft(
                    subjectID: subject.description, intelligenceIDs: [item.description], matterIDs: [matter.description],
                    rationale: "Repeat violence, corroborated by the YOT"), by: spoc, for: purpose)
            #expect(
                await rules {
                    _ = try await f.register.decideInclusion(
                        proposed.id, approve: true, reason: "Approving the proposal I made myself", by: spoc, for: purpose)
                } == ["four-eyes.proposer"])
            let logged = try #require(try await f.refusals(of: spoc).last)
            #expect(logged.action == "inclusion.decide" && logged.subjects == [subject])
            #expect(logged.touched.map(\.description) == ["inclusion/\(proposed.id)"])
            #expect(logged.outcome?.hasPrefix("four-eyes.proposer") == true)
        }
    }

    @Test(arguments: databases) func aProposerApprovingTheirOwnRulebookIsRefusedAndLogged(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            var proposal = Rulebook.first
            proposal.review.cadenceDays = 60
            _ = try await f.register.proposeRulebook(proposal, rationale: "Annual review: shorter cadence", by: f.governance)
            #expect(
                await rules { _ = try await f.register.decideRulebook(version: 2, approve: true, by: f.governance) } == [
                    "four-eyes.proposer"
                ])
            let logged = try #require(try await f.refusals(of: f.governance).last)
            #expect(logged.action == "rulebook.decide" && logged.touched.map(\.description) == ["rulebook/2"])
            #expect(logged.outcome?.hasPrefix("four-eyes.proposer") == true)
            #expect(try await f.register.rulebookVersions().inForce.version == 1)
        }
    }
}

extension SharingStorageTests {
    @Test(arguments: databases) func oneGovernanceUserApprovingAnAgreementTwiceIsRefusedAndLogged(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let w = try await world(f)
            _ = try await f.register.approveAgreement(w.agreement.id, by: f.governance)
            await #expect(
                throws: RegisterError.denied(
                    AccessDenial(
                        rule: "four-eyes.second-approver", reason: "an agreement needs two different governance users to approve it"))
            ) {
                _ = try await f.register.approveAgreement(w.agreement.id, by: f.governance)
            }
            let logged = try #require(try await f.refusals(of: f.governance).last)
            #expect(logged.action == "agreement.approve" && logged.touched.map(\.description) == ["agreement/\(w.agreement.id)"])
            #expect(logged.outcome?.hasPrefix("four-eyes.second-approver") == true)
        }
    }
}
