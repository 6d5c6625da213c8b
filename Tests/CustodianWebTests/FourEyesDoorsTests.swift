import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Two people for every irreversible or privilege-widening step, by every route. The steps the
/// audit got through with one person, each tried through the doors that carry its effect:
/// - erasure on a rights request: API and page (`RightsAPITests`), where the proposer can neither
///   confirm nor see a way to;
/// - erasure at a retention review: API (`RetentionAPITests`) and page (`RightsAPITests`);
/// - an agreement's extension at review: API (here); termination stays one person's, at once.
/// Each refusal is logged under its use case with the rule.
@Suite struct FourEyesDoorsTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func anAgreementIsExtendedOnlyWhenASecondGovernanceUserConfirmsTheSameDate(_ db: TestDatabase) async throws
    {
        try await withLiveAPI(db) { api in
            let scene = try await DisclosureControlsAPITests.scene(api)
            let f = api.fixture
            let today = f.register.clock.now().day
            let path = "/api/agreements/\(scene.agreement)/review"
            let to = today.adding(days: 700).description
            func review(_ user: User, extendTo: String?, _ with: LiveAPI = api) async throws -> APIResponse {
                var body: [String: Any] = ["contactsChecked": true, "fitForPurpose": true, "emergingIssues": "None this year"]
                if let extendTo { body["extendTo"] = extendTo }
                return try await with.send(.post, path, as: user, purpose: nil, json: body)
            }

            let proposed = try await review(f.governance, extendTo: to)
            #expect(proposed.status == 200, "\(proposed)")
            #expect(proposed.object["expiresOn"] as? String == today.adding(days: 300).description, "extended by one person")
            let proposal = try #require(proposed.object["proposedExtension"] as? [String: Any], "\(proposed)")
            #expect(proposal["to"] as? String == to)

            let alone = try await review(f.governance, extendTo: to)
            #expect(alone.status == 403 && alone.object["rule"] as? String == "four-eyes.extension", "\(alone)")
            let logged = try await f.refusals(of: f.governance).last
            #expect(logged?.action == UseCase.agreementReview.rawValue && logged?.outcome?.hasPrefix("four-eyes.extension") == true)

            let board = try await f.boardMember()
            let second = try await api.adding(board)
            let otherDate = try await review(board, extendTo: today.adding(days: 900).description, second)
            #expect(otherDate.status == 409, "a second person confirmed a date no one proposed: \(otherDate)")
            let confirmed = try await review(board, extendTo: to, second)
            #expect(confirmed.status == 200, "\(confirmed)")
            #expect(confirmed.object["expiresOn"] as? String == to)
            #expect(confirmed.object["proposedExtension"] == nil)

            // Ending an agreement narrows what flows: one person, at once.
            let ended = try await review(f.governance, extendTo: nil)
            #expect(ended.object["status"] as? String == "terminated", "\(ended)")
        }
    }
}
