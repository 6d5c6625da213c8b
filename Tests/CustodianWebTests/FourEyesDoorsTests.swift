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
/// - an agreement's extension at review: API (here); termination stays one person's, at once;
/// - re-enabling a disabled account: API and page (here), and the command line's token for a
///   disabled account (`RegisterStorageTests`).
/// Each refusal is logged under its use case with the rule.
@Suite struct FourEyesDoorsTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func anAgreementIsExtendedOnlyWhenASecondGovernanceUserConfirmsTheSameDate(_ db: TestDatabase) async throws
    {
        // The agreement's dates and the expected ones are from one frozen day, whenever midnight falls.
        try await withLiveAPI(db, clock: TestClock()) { api in
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

    /// An account disabled by anyone stays disabled until governance enables it again, whether the
    /// administrator asks through the API or the admin page; its old tokens never work again.
    @Test(arguments: databases) func aDisabledAccountComesBackOnlyWhenGovernanceApprovesThroughTheAPI(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let officer = f.hackneyOfficer
            let before = try await api.send(.get, "/api/subjects?name=Quennell", as: officer)
            #expect(before.status == 200, "\(before)")
            let off = try await api.send(.patch, "/api/users/\(officer.id)", as: f.administrator, purpose: nil, json: ["active": false])
            #expect(off.object["active"] as? Bool == false, "\(off)")
            #expect(try await api.send(.get, "/api/subjects?name=Quennell", as: officer).status == 401, "a token outlived its account")

            let back = try await api.send(.patch, "/api/users/\(officer.id)", as: f.administrator, purpose: nil, json: ["active": true])
            #expect(back.object["awaitingGrant"] as? Bool == true, "re-enabled without governance: \(back)")
            let fresh = try await api.adding(officer)
            let waiting = try await fresh.send(.get, "/api/subjects?name=Quennell", as: officer)
            #expect(waiting.status == 403 && waiting.object["rule"] as? String == "grant.pending", "\(waiting)")
            let alone = try await api.send(
                .post, "/api/grants/\(officer.id)/decision", as: f.administrator, purpose: nil,
                json: [
                    "approve": true, "reason": "Approving my own request to re-enable", "version": try await f.grantVersion(of: officer.id),
                ])
            #expect(alone.status == 403, "the administrator who asked approved it: \(alone)")

            let approved = try await api.send(
                .post, "/api/grants/\(officer.id)/decision", as: f.governance, purpose: nil,
                json: [
                    "approve": true, "reason": "Back from suspension; professional standards cleared",
                    "version": try await f.grantVersion(of: officer.id),
                ])
            #expect(approved.status == 200, "\(approved)")
            #expect(try await fresh.send(.get, "/api/subjects?name=Quennell", as: officer).status == 200)
            #expect(try await api.send(.get, "/api/subjects?name=Quennell", as: officer).status == 401, "the revoked token came back")
        }
    }

    @Test(arguments: databases) func aDisabledAccountComesBackOnlyWhenGovernanceApprovesThroughThePage(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let person = f.newhamOfficer
            try await pages.enablePages(for: f.administrator)
            let admin = pages.browser()
            try await admin.signIn(f.administrator.username)
            let fields = [
                ("displayName", person.displayName), ("role", person.role.rawValue), ("unit", person.unit.code),
                ("trainingCompletedOn", person.trainingCompletedOn?.description ?? ""),
            ]
            let path = "/admin/users/\(person.id)"
            let off = try await admin.post(path, fields, csrfFrom: try await admin.get(path))
            #expect(off.status == 303, "\(off)")
            #expect(try await f.directory.user(person.id, by: f.administrator).isActive == false)
            let on = try await admin.post(path, fields + [("active", "on")], csrfFrom: try await admin.get(path))
            #expect(on.status == 303, "\(on)")
            let after = try await f.directory.user(person.id, by: f.administrator)
            #expect(after.isActive && after.awaitingGrant, "the page re-enabled an account at once")
            #expect(try await f.directory.pendingGrants(by: f.governance).map(\.grant.userID) == [person.id])
            // Governance decides from a view that says who asked, for what, and what is held now.
            try await pages.enablePages(for: f.governance)
            let board = pages.browser()
            try await board.signIn(f.governance.username)
            let waiting = try await board.get("/grants")
            #expect(waiting.html.contains("Asked by</dt><dd>\(f.administrator.displayName)"), "\(waiting.html)")
            #expect(waiting.html.contains("Record decision") && waiting.html.contains(person.displayName))
        }
    }

    /// Staff names are shown to those who take up a decision; a partner or the source unit is
    /// refused by rule, and the refusal is logged, whichever door asks.
    @Test(arguments: databases) func staffNamesAreForStaffWhoDecide(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let names = try await f.directory.staffNames([f.hackneyOfficer.id, UserID(UUID())], by: f.hackneySPOC)
            #expect(names == [f.hackneyOfficer.id: f.hackneyOfficer.displayName])
            for outsider in [f.partner, f.sourceUnit] {
                do {
                    _ = try await f.directory.staffNames([f.hackneyOfficer.id], by: outsider)
                    Issue.record("\(outsider.role) read staff names")
                } catch RegisterError.denied(let denial) {
                    #expect(denial.rule == "staff.names")
                }
                #expect(try await f.refusals(of: outsider).last?.action == "staff.names")
            }
        }
    }
}
