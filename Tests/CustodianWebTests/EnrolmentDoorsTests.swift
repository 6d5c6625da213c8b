import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// No one knows another person's credential: an administrator never sets or learns a password.
/// The person sets their own through a single-use enrolment link that expires, and changes it
/// from their account page. Doors tried: the admin page and the API issue links (the command line
/// too, through the same use case); the enrolment page takes a password once; the account page
/// changes it. Each refusal answers as the contract says.
@Suite struct EnrolmentDoorsTests {
    static let databases = TestDatabase.available
    static let chosen = "a passphrase only I know"

    /// A new account, created on the admin page: no password field, and a link to hand on.
    @Test(arguments: databases) func aPersonSetsTheirOwnPasswordThroughALinkThatWorksOnce(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.administrator)
            let admin = pages.browser()
            try await admin.signIn(f.administrator.username)
            let blank = try await admin.get("/admin/users/new")
            #expect(!blank.html.contains("type=\"password\""), "the administrator was asked for a password")
            let created = try await admin.post(
                "/admin/users/new",
                [
                    ("username", "enrolling-officer"), ("displayName", "Enrolling Officer"), ("role", "borough-officer"),
                    ("unit", "hackney"), ("trainingCompletedOn", RegisterFixture.trainedOn),
                ], csrfFrom: blank)
            let userPath = try #require(created.place, "\(created)")
            let issued = try await admin.post(userPath + "/enrolment", [], csrfFrom: try await admin.get(userPath))
            #expect(issued.status == 200, "\(issued)")
            let link = try #require(issued.html.firstMatch(of: /\/enrol\/enr_[A-Za-z0-9_-]+/).map { String($0.output) }, "\(issued)")

            let person = pages.browser()
            let form = try await person.get(link)
            #expect(form.status == 200 && form.html.contains("enrolling-officer"), "\(form)")
            let short = try await person.post(link, [("password", "short"), ("confirm", "short")])
            #expect(short.status == 422, "\(short)")
            let mismatch = try await person.post(link, [("password", Self.chosen), ("confirm", Self.chosen + "!")])
            #expect(mismatch.status == 422 && mismatch.html.contains("not the same"), "\(mismatch)")
            let set = try await person.post(link, [("password", Self.chosen), ("confirm", Self.chosen)])
            #expect(set.status == 303, "\(set)")
            #expect(try await person.get(link).status == 404, "an enrolment link worked twice")
            let signedIn = try await person.signIn("enrolling-officer", password: Self.chosen)
            #expect(signedIn.status == 303, "\(signedIn)")

            // Logged as the person, with no secret in the entry.
            let entries = try await f.register.auditPage(
                AuditFilter(operation: "user-change"), by: f.auditor, for: RegisterFixture.auditPurpose
            ).entries.map(\.entry)
            let redeemed = try #require(entries.first { $0.action == UseCase.enrolmentRedeem.rawValue })
            #expect(!"\(redeemed)".contains("enr_") && !"\(redeemed)".contains(Self.chosen))
            let issuer = entries.first { $0.action == UseCase.enrolmentIssue.rawValue }?.actor
            #expect(issuer == f.administrator.id, "\(entries.map { ($0.action, $0.actor == f.administrator.id) })")
        }
    }

    @Test(arguments: databases) func aLinkExpiresAndIsRefusedToAnyoneButAnAdministrator(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let link = try await f.directory.issueEnrolment(for: f.newhamOfficer.id, by: f.administrator)
            pages.clock.advance(seconds: Enrolment.lifetime + 1)
            let person = pages.browser()
            #expect(try await person.get(link.path).status == 404, "an expired link still works")
            #expect(try await person.post(link.path, [("password", Self.chosen), ("confirm", Self.chosen)]).status == 404)
            for other in [f.governance, f.hackneySPOC] {
                await #expect(throws: RegisterError.self) { _ = try await f.directory.issueEnrolment(for: f.newhamOfficer.id, by: other) }
            }
            _ = try await f.directory.updateUser(f.newhamOfficer.id, { _ in }, disabled: true, by: f.administrator)
            await #expect(throws: RegisterError.self, "a link for a disabled account") {
                _ = try await f.directory.issueEnrolment(for: f.newhamOfficer.id, by: f.administrator)
            }
        }
    }

    @Test(arguments: databases) func theAPIIssuesALinkOnlyToAnAdministrator(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let issued = try await api.send(.post, "/api/users/\(f.newhamOfficer.id)/enrolment", as: f.administrator, purpose: nil)
            #expect(issued.status == 201 && (issued.object["path"] as? String)?.hasPrefix("/enrol/enr_") == true, "\(issued)")
            let byGovernance = try await api.send(.post, "/api/users/\(f.newhamOfficer.id)/enrolment", as: f.governance, purpose: nil)
            #expect(byGovernance.status == 403 && byGovernance.object["rule"] as? String == "role.administrator", "\(byGovernance)")
        }
    }

    @Test(arguments: databases) func aPersonChangesTheirOwnPasswordKnowingTheCurrentOne(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.hackneyOfficer)
            let officer = pages.browser()
            try await officer.signIn(f.hackneyOfficer.username)
            let account = try await officer.get("/account")
            let wrong = try await officer.post(
                "/account/password", [("current", "not my password"), ("password", Self.chosen), ("confirm", Self.chosen)],
                csrfFrom: account)
            #expect(wrong.status == 422 && wrong.html.contains("current password"), "\(wrong)")
            let changed = try await officer.post(
                "/account/password", [("current", LivePages.password), ("password", Self.chosen), ("confirm", Self.chosen)],
                csrfFrom: try await officer.get("/account"))
            #expect(changed.status == 200 && changed.html.contains("Your password is changed"), "\(changed)")
            let again = pages.browser()
            #expect(try await again.signIn(f.hackneyOfficer.username, password: Self.chosen).status == 303)

            // Guessing the current password from an open session meets the sign-in lock-out.
            for _ in 1...5 {
                _ = try await officer.post(
                    "/account/password",
                    [
                        ("current", "a wrong guess here"), ("password", "another long passphrase"),
                        ("confirm", "another long passphrase"),
                    ], csrfFrom: try await officer.get("/account"))
            }
            let locked = try await officer.post(
                "/account/password",
                [("current", Self.chosen), ("password", "another long passphrase"), ("confirm", "another long passphrase")],
                csrfFrom: try await officer.get("/account"))
            #expect(locked.status == 403 && locked.html.contains("signin.locked"), "\(locked)")
        }
    }
}
