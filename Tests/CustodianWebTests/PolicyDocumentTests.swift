import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// Sensitive processing (s.42): with no approved appropriate policy document, ethnicity is
/// neither recorded nor read, through the API, each attempt refused and logged; a version drafted
/// by one governance user and approved by another lets it go ahead; versions are superseded, never
/// deleted.
@Suite struct PolicyDocumentTests {
    static let databases = TestDatabase.available
    static let reason = "Equality monitoring of the register"

    @Test(arguments: databases) func ethnicityWaitsForAnApprovedPolicyDocument(_ db: TestDatabase) async throws {
        try await withLiveAPI(db, baselines: false) { api in
            let f = api.fixture
            try await f.adoptDPIA()
            let officer = try api.client(as: f.hackneyOfficer)
            let asOfficer = Operations.CreateSubject.Input.Headers(custodianPurpose: .investigation, custodianJustification: Self.reason)
            let withEthnicity = Components.Schemas.SubjectInput(
                names: [.init(given: "Philomena", family: "Sensitiveworth")], sex: .female, officerDefinedEthnicity: .ic1,
                selfDefinedEthnicity: .whiteBritish)
            let refused = try await officer.createSubject(headers: asOfficer, body: .json(withEthnicity))
            #expect(try refused.forbidden.body.applicationProblemJson.rule == "policy-document.none")
            // The rest of the record is not sensitive processing, and goes ahead.
            var plain = withEthnicity
            (plain.officerDefinedEthnicity, plain.selfDefinedEthnicity) = (nil, nil)
            let id = try await officer.createSubject(headers: asOfficer, body: .json(plain)).created.body.json.id
            let read = try await officer.getSubjectEthnicity(
                path: .init(subjectId: id), headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            #expect(try read.forbidden.body.applicationProblemJson.rule == "policy-document.none")
            #expect(try await f.refusals(of: f.hackneyOfficer).filter { $0.outcome?.hasPrefix("policy-document.none") == true }.count == 2)

            let governance = try api.client(as: f.governance)
            let asGovernance = Operations.DraftPolicyDocument.Input.Headers(
                custodianPurpose: .registerReview, custodianJustification: Self.reason)
            let baseline = PolicyDocumentDraft.custodianBaseline(reviewOn: f.register.clock.now().day.adding(days: 365))
            let input = Components.Schemas.PolicyDocumentInput(
                conditions: baseline.conditions, procedures: baseline.procedures, retention: baseline.retention, reviewOn: baseline.reviewOn
            )
            let draft = try await governance.draftPolicyDocument(headers: asGovernance, body: .json(input)).created.body.json
            let own = try await governance.approvePolicyDocument(
                path: .init(policyDocumentId: draft.id),
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason))
            #expect(try own.forbidden.body.applicationProblemJson.rule == "four-eyes.proposer")
            let board = try api.client(as: try await f.boardMember())
            _ = try await board.approvePolicyDocument(
                path: .init(policyDocumentId: draft.id),
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok
            _ = try await officer.createSubject(headers: asOfficer, body: .json(withEthnicity)).created
            _ = try await officer.getSubjectEthnicity(
                path: .init(subjectId: id), headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason)
            ).ok

            let second = try await governance.draftPolicyDocument(headers: asGovernance, body: .json(input)).created.body.json
            _ = try await board.approvePolicyDocument(
                path: .init(policyDocumentId: second.id),
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok
            let versions = try await governance.listPolicyDocuments(
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(versions.map(\.status) == [.approved, .superseded], "a version was lost: \(versions.map(\.version))")
            let record = try await governance.getRecordOfProcessing(
                headers: .init(custodianPurpose: .registerReview, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(record.sensitiveProcessing.contains("version 2"))
        }
    }
}
