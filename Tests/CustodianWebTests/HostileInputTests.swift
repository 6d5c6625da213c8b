import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Requests that used to end the whole server process (issue 11, items 1 and 2): each is sent to a
/// running server, and the server must answer it and the next request.
@Suite struct HostileInputTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func aPersonLinkedTwiceToOneMatterOpensOnThePage(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.hackneyOfficer)
            let subject = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Twicelinked"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let matter = try await f.register.recordMatter(
                MatterDraft(
                    kind: "incident", reference: "CAD-TWICE", offence: nil,
                    occurredOn: f.register.clock.now().day.adding(days: -3).description),
                linking: subject.description, as: "victim", basis: "fact", by: f.hackneyOfficer, for: RegisterFixture.purpose)
            _ = try await f.register.link(
                subjectID: subject.description, matterReference: "CAD-TWICE", category: "suspect", basis: "assessment",
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            _ = matter
            let browser = pages.browser()
            _ = try await browser.signIn("hackney-officer")
            _ = try await browser.state(RegisterFixture.purpose)
            let page = try await browser.get("/subjects/\(subject)")
            #expect(page.status == 200 && page.html.contains("CAD-TWICE"), "\(page.status)")
            #expect(try await browser.get("/subjects").status == 200, "the server is still up")
        }
    }

    @Test(arguments: databases) func anEntryRangeAtTheTopOfInt64IsAnsweredNotATrap(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let top = try await api.send(
                .get, "/api/audit/entries?start=9223372036854775807&count=10", as: f.auditor, purpose: RegisterFixture.auditPurpose)
            #expect(top.status == 200 && (top.object["entries"] as? [Any])?.isEmpty == true, "no entry lies up there: \(top)")
            let first = try await api.send(.get, "/api/audit/entries?start=0&count=1", as: f.auditor, purpose: RegisterFixture.auditPurpose)
            #expect((first.object["entries"] as? [Any])?.count == 1, "and the server answers the next request: \(first)")
        }
    }

    @Test(arguments: databases) func aServerErrorLogsNeitherTheTokenNorTheRequest(_ db: TestDatabase) async throws {
        let capture = LogCapture()
        try await withLiveAPI(db, logger: capture.logger) { api in
            let f = api.fixture
            let subject = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Corruptedrow"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            // Damage the stored row behind the register's back, so reading it fails inside the handler.
            try await f.store.tamper("UPDATE subjects SET personal = 'not base64 at all' WHERE id = '\(subject)'")
            let failed = try await api.send(.get, "/api/subjects/\(subject)?name=Corruptedrow", as: f.hackneyOfficer)
            #expect(failed.status == 500 && !failed.text.contains("base64"), "\(failed)")
            let logged = capture.lines.joined(separator: "\n")
            #expect(logged.contains("request failed"), "\(logged)")
            let token = try #require(api.token(for: f.hackneyOfficer))
            for secret in [token, String(token.dropFirst(4).prefix(16)), RegisterFixture.purpose.justification, "Corruptedrow"] {
                #expect(!logged.contains(secret), "the log holds '\(secret)'")
            }
        }
    }

    /// Every request is one line under its id, which the response carries back; the line names
    /// the route's pattern, never the address with its ids and names.
    @Test(arguments: databases) func eachRequestIsLoggedOnceUnderTheIdItsResponseCarries(_ db: TestDatabase) async throws {
        let capture = LogCapture()
        try await withLiveAPI(db, logger: capture.logger) { api in
            let f = api.fixture
            let subject = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Loggedname"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let read = try await api.send(.get, "/api/subjects/\(subject)?name=Loggedname", as: f.hackneyOfficer)
            let id = try #require(read.headers[HTTPField.Name("X-Request-Id")!], "no request id came back")
            let lines = capture.lines.filter { $0.contains(id) }
            #expect(lines.count == 1 && lines[0].contains("request") && lines[0].contains("/api/subjects/{subjectId}"), "\(lines)")
            #expect(lines[0].contains("status: 200") || lines[0].contains("\"status\": 200"), "\(lines)")
            let logged = capture.lines.joined(separator: "\n")
            for secret in [subject.description, "Loggedname", try #require(api.token(for: f.hackneyOfficer))] {
                #expect(!logged.contains(secret), "the log holds '\(secret)'")
            }
            let missing = try await api.send(.get, "/api/no-such-operation", as: f.hackneyOfficer)
            #expect(missing.headers[HTTPField.Name("X-Request-Id")!] != id, "each request has its own id")
        }
    }

    @Test(arguments: databases) func hostileNamesSizesAndDatesAreRefusedByName(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let officer = api.fixture.hackneyOfficer
            let many = try await api.send(
                .post, "/api/subjects", as: officer,
                json: ["names": Array(repeating: ["given": "Ada", "family": "Quill"], count: 10_000), "sex": "female"])
            #expect(many.status == 422 && many.violatedRules == ["max-items"] && many.violatedFields == ["names"], "\(many.status)")
            for hidden in ["Ada\u{0}", "Ad\u{202E}a", "A\u{200B}da"] {
                let refused = try await api.send(
                    .post, "/api/subjects", as: officer, json: ["names": [["given": hidden, "family": "Quill"]], "sex": "female"])
                #expect(
                    refused.status == 422 && refused.violatedRules == ["text.characters"] && refused.violatedFields == ["names[0].given"],
                    "\(refused)")
            }
            let ancient = try await api.send(
                .post, "/api/matters", as: officer, json: ["kind": "incident", "reference": "CAD-OLD", "occurredOn": "0001-01-01"])
            #expect(ancient.status == 422 && ancient.violatedRules == ["date.plausible"], "\(ancient)")
        }
    }
}
