import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The DPIA gate is derived from what each use case declares it does (`Declaration.requiresDPIA`),
/// so it holds at doors no name list covered. Doors tried here once the DPIA has lapsed, each with
/// its work already under way before the lapse:
/// - disclosure: the package download, the partner portal, a share decision's second step
/// - scoring: keeping a harm score
/// - the child route: a child action's request and its decision
/// - combination: a duplicate decision
/// - inclusion: a decision, refusing as well as approving
/// And what goes on meanwhile: reading a record, and recalling a disclosure (it only reduces).
@Suite struct DPIADoorsAPITests {
    static let databases = TestDatabase.available
    static let governancePurpose = StatedPurpose(purpose: .registerReview, justification: "Board: recalling a disclosure made in error")

    @Test(arguments: databases) func noDoorProcessesPeoplesDataWhileNoDPIAIsInForce(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let today = f.register.clock.now().day
            try await f.adoptDPIA(reviewOn: today.adding(days: 2))

            // Work under way while the DPIA is in force.
            let scene = try await DisclosureControlsAPITests.scene(api)
            let shared = try await scene.person("Lapsewood")
            let disclosure = try await scene.disclose([shared])
            let waiting = try await scene.person("Pendleford")
            let share = try #require(try await scene.request([waiting]).object["id"] as? String)
            let proposed = try await ChildRouteAPITests.person(api, "Proposedbury", age: 30)
            let corroboration = try await scene.intelligence(
                proposed.subject, "Partner report of a knife at the youth club", ["source": "2", "assessment": "B", "handling": "P"])
            let proposal = try await api.send(
                .post, "/api/inclusions", as: f.hackneyOfficer,
                json: ["subjectId": proposed.subject, "intelligenceIds": [proposed.item, corroboration], "rationale": "Two sources"])
            let inclusion = try #require(proposal.object["id"] as? String, "\(proposal)")
            let child = try await ChildRouteAPITests.person(api, "Fifteenlapse", age: 15)
            let asked = try await api.send(
                .post, "/api/child-actions", as: f.hackneyOfficer,
                json: [
                    "kind": "flag", "subjectId": child.subject, "flagKind": "knife-carrier", "intelligenceIds": [child.item],
                    "safeguardingRationale": "Carrying for older group members; the flag triggers the school safety plan",
                ])
            let childAction = try #require(asked.object["id"] as? String, "\(asked)")
            let people = try await DuplicateAPITests.record(f)

            clock.advance(seconds: 3 * 86_400)
            var attempts: [(action: String, response: APIResponse)] = []
            func attempt(_ action: String, _ response: APIResponse) { attempts.append((action, response)) }
            attempt("share.package", try await api.send(.get, "/api/disclosures/\(disclosure)/package", as: f.hackneySPOC))
            attempt("portal.list", try await scene.portal())
            attempt(
                "share.decide",
                try await api.send(
                    .post, "/api/shares/\(share)/decision", as: f.hackneySPOC, json: ["approve": true, "reason": "Proportionate, at panel"])
            )
            attempt("harm.assess", try await api.send(.post, "/api/subjects/\(shared)/harm", as: f.hackneyOfficer))
            attempt(
                "child-action.request",
                try await api.send(
                    .post, "/api/child-actions", as: f.hackneyOfficer,
                    json: [
                        "kind": "harm-assessment", "subjectId": child.subject,
                        "safeguardingRationale": "A score is needed for the multi-agency safeguarding panel this week",
                    ]))
            attempt(
                "child-action.decide",
                try await api.send(
                    .post, "/api/child-actions/\(childAction)/decision", as: f.hackneySPOC,
                    json: ["approve": true, "reason": "Safety plan agreed with the school"]))
            attempt(
                "duplicates.decide",
                try await api.send(
                    .post, "/api/duplicates/decisions", as: f.analyst, purpose: DuplicateAPITests.dataQuality,
                    json: [
                        "first": people.hackney.description, "second": people.newham.description, "verdict": "same",
                        "reason": "Same date of birth; family name differs by one vowel; Newham holds no PNC id",
                    ]))
            attempt(
                "inclusion.decide",
                try await api.send(
                    .post, "/api/inclusions/\(inclusion)/decision", as: f.hackneySPOC,
                    json: ["approve": false, "reason": "The panel found the two reports describe one incident"]))
            for (action, response) in attempts {
                #expect(response.status == 403 && response.object["rule"] as? String == "dpia.none", "\(action): \(response)")
            }

            // Each attempt is on the log once, under its own use case.
            let refused = try await f.register.auditPage(
                AuditFilter(operation: "refusal"), by: f.auditor, for: RegisterFixture.auditPurpose
            ).entries.map(\.entry).filter { $0.outcome?.hasPrefix("dpia.none") == true }
            #expect(refused.map(\.action).sorted() == attempts.map(\.action).sorted(), "\(refused.map(\.action))")

            // Reading goes on, and so does whatever only reduces processing.
            let read = try await api.send(.get, "/api/subjects/\(shared)", as: f.hackneyOfficer)
            #expect(read.status == 200, "\(read)")
            let recalled = try await api.send(
                .post, "/api/disclosures/\(disclosure)/recall", as: f.governance, purpose: Self.governancePurpose)
            #expect((200..<300).contains(recalled.status), "\(recalled)")

            // A new version approved, the same doors open again.
            try await f.adoptDPIA()
            let portal = try await scene.portal()
            #expect(portal.status == 200, "\(portal)")
            let scored = try await api.send(.post, "/api/subjects/\(shared)/harm", as: f.hackneyOfficer)
            #expect(scored.status == 200, "\(scored)")
        }
    }
}
