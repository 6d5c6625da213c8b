import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// A withholding names an item a confirmed person actually holds. Tried through the API with
/// another person's item, an item that does not exist, and a label instead of a ref; each refused
/// with `rights.item-held`, logged, and the answer left whole. The person's own item is withheld.
@Suite struct WithholdingTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func onlyAnItemThePersonHoldsIsWithheld(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let r = f.register
            let today = r.clock.now().day
            let (person, item) = try await RightsAPITests.sharedPerson(f)
            let stranger = try await r.recordSubject(
                RegisterFixture.draft(given: "Other", family: "Personne"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let theirs = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: stranger.description, text: "Seen near the market",
                    grade: GradeDraft(source: "1", assessment: "B", handling: "P"),
                    sourceType: "police"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let rights = try api.client(as: f.governance)
            let request = try await RightsAPITests.ready(rights, .access, [person], today: today)
            func withhold(_ ref: String) async throws -> Operations.WithholdRightsItem.Output {
                try await rights.withholdRightsItem(
                    path: .init(rightsRequestId: request),
                    headers: .init(custodianPurpose: .subjectRights, custodianJustification: RightsAPITests.reason),
                    body: .json(
                        .init(
                            item: ref, ground: .prejudiceOffences, necessity: "Disclosing it now would reveal a live partner referral",
                            reviewOn: today.adding(days: 90).description)))
            }
            for ref in ["intelligence/\(theirs)", "intelligence/\(UUID().uuidString.lowercased())", "the partner report"] {
                let refused = try await withhold(ref)
                #expect(
                    try refused.unprocessableContent.body.applicationProblemJson.violations?.map(\.rule) == ["rights.item-held"], "\(ref)")
            }
            let logged = try await f.refusals(of: f.governance).filter { $0.action == "rights.withhold" }
            #expect(logged.count == 3 && logged.allSatisfy { $0.outcome?.hasPrefix("rights.item-held") == true }, "\(logged)")
            func listed() async throws -> Components.Schemas.RightsRequest? {
                try await rights.listRightsRequests(
                    headers: .init(custodianPurpose: .subjectRights, custodianJustification: RightsAPITests.reason)
                ).ok.body.json.first { $0.id == request }
            }
            #expect(try await listed()?.withheld.isEmpty == true, "a refused withholding was kept")

            // The control: the person's own item is withheld.
            _ = try await withhold("intelligence/\(item)").ok
            #expect(try await listed()?.withheld.map(\.item) == ["intelligence/\(item)"])
        }
    }
}
