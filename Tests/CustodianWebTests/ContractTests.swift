import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import OpenAPIRuntime
import Testing

/// The contract is typed: its enums are the domain's, its errors are specific, and a test can
/// speak it through the generated client.
@Suite struct ContractTests {
    static let databases = TestDatabase.available

    func same<D: RawRepresentable & CaseIterable, W: RawRepresentable & CaseIterable>(
        _ domain: D.Type, _ wire: W.Type,
        sourceLocation: SourceLocation = #_sourceLocation
    )
    where D.RawValue == String, W.RawValue == String {
        #expect(
            Set(D.allCases.map(\.rawValue)) == Set(W.allCases.map(\.rawValue)), "\(D.self) and \(W.self) differ",
            sourceLocation: sourceLocation)
    }

    /// Every enum the contract publishes holds exactly the domain's values, so a wire value always
    /// has a domain meaning and a domain value always a wire form (no `ContractDrift` at run time).
    @Test func everyEnumInTheContractIsTheDomains() {
        typealias S = Components.Schemas
        same(Role.self, S.Role.self)
        same(Permission.self, S.Permission.self)
        same(VettingLevel.self, S.VettingLevel.self)
        #expect(Set(Scope.all.map(\.code)) == Set(S.Unit.allCases.map(\.rawValue)))
        same(Purpose.self, S.Purpose.self)
        same(Category.self, S.Category.self)
        same(Basis.self, S.Basis.self)
        same(Sex.self, S.Sex.self)
        same(SourceType.self, S.SourceType.self)
        same(Matter.Kind.self, S.MatterKind.self)
        same(OffenceType.self, S.OffenceType.self)
        same(Flag.Kind.self, S.FlagKind.self)
        same(HarmBand.self, S.HarmBand.self)
        same(AuditEntry.Operation.self, S.AuditOperation.self)
        same(Inclusion.Status.self, S.InclusionStatus.self)
        same(InclusionDecision.Step.self, S.DecisionStep.self)
        same(ShareRequest.Status.self, S.ShareStatus.self)
        same(SharingAgreement.Status.self, S.AgreementStatus.self)
        same(SharingAgreement.Standing.self, S.AgreementStanding.self)
        same(RulebookVersion.Status.self, S.RulebookStatus.self)
        same(Partner.Kind.self, S.PartnerKind.self)
        same(SharedField.self, S.SharedField.self)
        same(Recall.Reason.self, S.RecallReason.self)
        same(OfficerDefinedEthnicity.self, S.OfficerDefinedEthnicity.self)
        same(SelfDefinedEthnicity.self, S.SelfDefinedEthnicity.self)
        same(Review.Outcome.self, S.ReviewOutcome.self)
        same(Review.RemovalRejected.self, S.ReviewInput.RemovalRejectedPayload.self)
        same(ReviewStanding.self, S.ReviewStanding.self)
        same(ChildAction.Kind.self, S.ChildActionInput.KindPayload.self)
        same(ChildAction.Kind.self, S.ChildAction.KindPayload.self)
        same(ChildAction.Status.self, S.ChildAction.StatusPayload.self)
        same(RightsRequest.Kind.self, S.RightsRequestKind.self)
        same(RightsRequest.Status.self, S.RightsRequestStatus.self)
        same(RestrictionGround.self, S.RestrictionGround.self)
        same(ErasureDecision.self, S.ErasureDecision.self)
        same(Rectification.Kind.self, S.RectificationKind.self)
        same(RetentionGroup.self, S.RetentionGroup.self)
        same(DPIA.Status.self, S.DPIAStatus.self)
        same(DataDictionary.Kind.self, S.DataDictionaryKind.self)
        same(PolicyDocument.Status.self, S.PolicyDocumentStatus.self)
        same(Breach.Status.self, S.BreachStatus.self)
        same(DuplicateEvidence.self, S.DuplicateEvidenceCode.self)
        same(DuplicateDecision.Verdict.self, S.DuplicateVerdict.self)
        same(EqualityCharacteristic.self, S.EqualityCharacteristic.self)
        same(EqualityReportStage.self, S.EqualityReportStage.self)
        same(EqualitySimulation.Measure.self, S.EqualitySimulationMeasure.self)
    }

    /// The generated client, typed end to end: record, link and read back; an unknown id is the
    /// contract's 404, another borough's record the same 404; a missing purpose the contract's 422.
    @Test(arguments: databases) func theGeneratedClientSpeaksTheContract(_ kind: TestDatabase) async throws {
        try await withLiveAPI(kind) { api in
            let officer = try api.client(as: api.fixture.hackneyOfficer)
            let reason = "Contract test: recording a synthetic person"
            let created = try await officer.createSubject(
                headers: .init(custodianPurpose: .violencePrevention, custodianJustification: reason),
                body: .json(.init(names: [.init(given: "Perpetua", family: "Quillfeather")], dateOfBirth: "2001-02-03", sex: .female)))
            let subjectID = try created.created.body.json.id
            let matter = try await officer.createMatter(
                headers: .init(custodianPurpose: .investigation, custodianJustification: reason),
                body: .json(.init(kind: .offence, reference: "CRIS-CT-1", offence: .robbery, occurredOn: "2025-06-01")))
            let link = try await officer.createLink(
                headers: .init(custodianPurpose: .investigation, custodianJustification: reason),
                body: .json(.init(subjectId: subjectID, matterId: try matter.created.body.json.id, category: .suspect)))
            #expect(try link.created.body.json.category == .suspect)

            let read = try await officer.getSubject(
                path: .init(subjectId: subjectID),
                headers: .init(custodianPurpose: .violencePrevention, custodianJustification: reason))
            let subject = try read.ok.body.json
            #expect(subject.unit == .hackney)
            #expect(subject.sex == .female)
            #expect(subject.categories.map(\.category) == [.suspect])

            let unknown = try await officer.getSubject(
                path: .init(subjectId: UUID().uuidString),
                headers: .init(custodianPurpose: .violencePrevention, custodianJustification: reason))
            let unknownProblem = try unknown.notFound.body.applicationProblemJson
            let elsewhere = try await api.client(as: api.fixture.newhamOfficer)
                .getSubject(
                    path: .init(subjectId: subjectID), headers: .init(custodianPurpose: .violencePrevention, custodianJustification: reason)
                )
            let elsewhereProblem = try elsewhere.notFound.body.applicationProblemJson
            #expect(unknownProblem.title == elsewhereProblem.title)
            #expect(elsewhereProblem.detail?.contains("hackney") != true)

            let noPurpose = try await officer.getSubject(path: .init(subjectId: subjectID))
            #expect(
                try noPurpose.unprocessableContent.body.applicationProblemJson.violations?.map(\.rule).contains("purpose.required") == true)

            let signedOut = try await api.client(as: nil).getMe()
            #expect(try signedOut.unauthorized.body.applicationProblemJson.status == 401)
        }
    }

    /// A value outside a published enum is refused before any use case runs, naming the field.
    @Test(arguments: databases) func aValueOutsideAnEnumNamesTheField(_ kind: TestDatabase) async throws {
        try await withLiveAPI(kind) { api in
            let response = try await api.send(
                .post, "/api/subjects", as: api.fixture.hackneyOfficer,
                json: ["names": [["given": "Ada", "family": "Example"]], "sex": "gang-member"])
            #expect(response.status == 400, "\(response)")
            #expect(response.violatedFields == ["sex"], "\(response)")
            #expect(response.violatedRules == ["json.shape"])
            let header = try await api.send(
                .get, "/api/subjects/\(UUID())", as: api.fixture.hackneyOfficer,
                purpose: nil, json: nil)
            #expect(header.status == 422)
            // Null is never a value: the decoder would read it as absent ("extendTo": null would
            // terminate an agreement). It is refused, naming the field, and nothing is issued.
            let officer = api.fixture.hackneyOfficer
            let null = try await api.send(
                .post, "/api/users/\(officer.id)/tokens", as: officer, purpose: nil,
                json: ["label": "laptop", "validForDays": NSNull()])
            #expect(null.status == 400 && null.violatedFields == ["validForDays"], "\(null)")
            let nested = try await api.send(
                .post, "/api/subjects", as: officer,
                json: ["names": [["given": "Ann", "family": NSNull()]], "sex": "female"])
            #expect(nested.status == 400 && nested.violatedFields == ["names.0.family"], "\(nested)")
            let omitted = try await api.send(.post, "/api/users/\(officer.id)/tokens", as: officer, purpose: nil, json: ["label": "laptop"])
            #expect(omitted.status == 201, "\(omitted)")
        }
    }
}
