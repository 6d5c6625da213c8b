import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Privileges need two people: an administrator alone grants nothing and never holds another
/// user's credentials. Each abuse is tried through the API on both databases.
@Suite struct PrivilegeAPITests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func anAdministratorAloneCannotMintAReader(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { base in
            let f = base.fixture
            let created = try await base.send(
                .post, "/api/users", as: f.administrator,
                json: [
                    "username": "minted-reader", "displayName": "Minted Reader", "role": "central-analyst", "unit": "central",
                    "trainingCompletedOn": RegisterFixture.trainedOn, "permissions": ["sensitive-data"],
                ])
            #expect(created.status == 201 && created.object["awaitingGrant"] as? Bool == true, "\(created)")
            let minted = try #require(
                try await f.directory.users(limit: 500, offset: 0, by: f.administrator).first { $0.username == "minted-reader" })
            let api = try await base.adding(minted)

            // The administrator cannot hand themself or anyone else the new user's token.
            let token = try await api.send(.post, "/api/users/\(minted.id)/tokens", as: f.administrator, json: ["label": "for the analyst"])
            #expect(token.status == 403 && token.object["rule"] as? String == "token.own", "\(token)")

            // Until governance approves, the account reads nothing, and the attempt is logged.
            let early = try await api.send(.get, "/api/subjects?name=smith", as: minted)
            #expect(early.status == 403 && early.object["rule"] as? String == "grant.pending", "\(early)")
            let refusals = try await f.register.auditPage(
                AuditFilter(actor: minted.id.description, operation: "refusal"), by: f.auditor,
                for: RegisterFixture.auditPurpose)
            #expect(!refusals.entries.isEmpty)

            // Both see the pending grant; only governance decides, never the administrator.
            let pending = try await api.send(.get, "/api/grants", as: f.administrator)
            #expect(pending.array.count == 1 && pending.array.first?["username"] as? String == "minted-reader", "\(pending)")
            #expect(try await api.send(.get, "/api/grants", as: f.governance).array.count == 1)
            let version = try #require(pending.array.first?["version"] as? String)
            let byAdmin = try await api.send(
                .post, "/api/grants/\(minted.id)/decision", as: f.administrator,
                json: ["approve": true, "reason": "I created it so I approve it", "version": version])
            #expect(byAdmin.status == 403 && byAdmin.object["rule"] as? String == "grant.governance", "\(byAdmin)")
            let bySelf = try await api.send(
                .post, "/api/grants/\(minted.id)/decision", as: minted,
                json: ["approve": true, "reason": "Approving my own account here", "version": version])
            #expect(bySelf.status == 403, "\(bySelf)")
            let approved = try await api.send(
                .post, "/api/grants/\(minted.id)/decision", as: f.governance,
                json: ["approve": true, "reason": "Vetted NPPV3; analyst post confirmed by the board", "version": version])
            #expect(approved.status == 200 && approved.object["awaitingGrant"] as? Bool == false, "\(approved)")
            #expect(try await api.send(.get, "/api/subjects?name=smith", as: minted).status == 200)

            // The user issues their own token; disabling the account revokes it for good.
            let own = try await api.send(.post, "/api/users/\(minted.id)/tokens", as: minted, json: ["label": "analyst workstation"])
            let issued = try #require(own.object["token"] as? String, "\(own)")
            #expect(try await f.directory.authenticate(token: issued).id == minted.id)
            let disabled = try await api.send(.patch, "/api/users/\(minted.id)", as: f.administrator, json: ["active": false])
            #expect(disabled.status == 200 && disabled.object["active"] as? Bool == false, "\(disabled)")
            _ = try await api.send(.patch, "/api/users/\(minted.id)", as: f.administrator, json: ["active": true])
            await #expect(throws: RegisterError.unauthenticated("the bearer token is unknown, expired or revoked")) {
                _ = try await f.directory.authenticate(token: issued)
            }
        }
    }

    @Test(arguments: databases) func raisingARoleWaitsAndVettingIsRecorded(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let raised = try await api.send(
                .patch, "/api/users/\(f.hackneyOfficer.id)", as: f.administrator,
                json: ["role": "borough-spoc", "vettingLevel": "NPPV3", "vettingExpiresOn": "2030-01-31"])
            #expect(raised.status == 200 && raised.object["role"] as? String == "borough-officer", "the raise is not in force: \(raised)")
            #expect(raised.object["vettingLevel"] as? String == "NPPV3" && raised.object["vettingExpiresOn"] as? String == "2030-01-31")
            let badVetting = try await api.send(
                .patch, "/api/users/\(f.hackneyOfficer.id)", as: f.administrator, json: ["vettingLevel": "TOP"])
            #expect(badVetting.status == 400 && badVetting.violatedFields == ["vettingLevel"], "\(badVetting)")
            // Governance is shown the raise to SPOC; the administrator then asks for something else
            // (a move to Newham, as an officer). The approval names what was shown, so it can
            // carry neither the earlier ask nor the later one.
            let shown = try #require(try await api.send(.get, "/api/grants", as: f.governance).array.first?["version"] as? String)
            let widened = try await api.send(
                .patch, "/api/users/\(f.hackneyOfficer.id)", as: f.administrator, json: ["unit": "newham"])
            #expect(widened.status == 200, "\(widened)")
            let stale = try await api.send(
                .post, "/api/grants/\(f.hackneyOfficer.id)/decision", as: f.governance,
                json: ["approve": true, "reason": "Promoted to supervisor at the borough board", "version": shown])
            #expect(stale.status == 403 && stale.object["rule"] as? String == "four-eyes.version", "\(stale)")
            let logged = try await f.refusals(of: f.governance).last
            #expect(
                logged?.action == "grant.decide" && logged?.outcome?.hasPrefix("four-eyes.version") == true, "\(String(describing: logged))"
            )
            let unchanged = try await f.directory.user(f.hackneyOfficer.id, by: f.administrator)
            #expect(unchanged.role == .boroughOfficer && unchanged.unit == .borough(.hackney), "the stale approval took effect")

            let current = try #require(try await api.send(.get, "/api/grants", as: f.governance).array.first?["version"] as? String)
            #expect(current != shown)
            let decided = try await api.send(
                .post, "/api/grants/\(f.hackneyOfficer.id)/decision", as: f.governance,
                json: ["approve": true, "reason": "Moved to Newham as an officer by the borough board", "version": current])
            #expect(decided.object["role"] as? String == "borough-officer", "\(decided)")
            #expect(decided.object["unit"] as? String == "newham", "\(decided)")
        }
    }
}
