import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// What a black-box probe tried at the edge: redirects off the site, bodies with no limit, text
/// that is two lines or not text at all. Each refused at every door that carries it.
@Suite struct EdgeTests {
    static let databases = TestDatabase.available

    /// A browser drops tabs and line breaks from an address and reads `\` as `/`: each of these
    /// would lead off the site after signing in or stating a purpose.
    static let offSite = [
        "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example", "//evil.example",
        "https://evil.example", "/ /evil.example",
    ]

    @Test(arguments: databases) func afterSigningInOrStatingAPurposeOnlyThisSitesPagesAreReached(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.hackneyOfficer)
            for next in Self.offSite {
                let browser = pages.browser()
                let form = try await browser.get("/signin")
                let signedIn = try await browser.post(
                    "/signin", [("username", f.hackneyOfficer.username), ("password", LivePages.password), ("next", next)],
                    csrfFrom: form)
                #expect(signedIn.status == 303 && signedIn.location?.hasPrefix("/") == true, "\(signedIn)")
                #expect(signedIn.location?.contains("evil") == false, "after signing in, \(next.debugDescription) led off the site")
                let purpose = try await browser.get("/purpose")
                let stated = try await browser.post(
                    "/purpose", [("purpose", "investigation"), ("justification", "Test: a working period"), ("next", next)],
                    csrfFrom: purpose)
                #expect(stated.location?.contains("evil") == false, "after a purpose, \(next.debugDescription) led off the site")
            }
            let browser = pages.browser()
            let form = try await browser.get("/signin")
            let home = try await browser.post(
                "/signin", [("username", f.hackneyOfficer.username), ("password", LivePages.password), ("next", "/subjects?name=Ann")],
                csrfFrom: form)
            #expect(home.location == "/subjects?name=Ann", "a page of this site is still reached: \(home)")
        }
    }

    @Test(arguments: databases) func everyBodyIsLimitedWhateverItsContentType(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let officer = api.fixture.hackneyOfficer
            let big = Data(repeating: UInt8(ascii: "a"), count: (4 << 20) + 1)
            for type in ["application/json", "text/plain", "application/octet-stream", nil] {
                let refused = try await api.send(.post, "/api/subjects", as: officer, contentType: type, body: big)
                #expect(refused.status == 413, "\(type ?? "no content type"): \(refused.status)")
            }
            let small = try await api.send(.post, "/api/subjects", as: officer, contentType: "text/plain", body: Data("x".utf8))
            #expect(small.status != 413 && small.status < 500, "a small body of the wrong type is refused for its type: \(small)")
            // As the contract says: a problem, on every operation that takes a body.
            let refused = try await api.send(.post, "/api/subjects", as: officer, contentType: "application/json", body: big)
            #expect(refused.headers[.contentType] == "application/problem+json" && refused.object["status"] as? Int == 413, "\(refused)")
            let contract = try await api.send(.get, "/openapi.yaml", as: nil, purpose: nil).text
            let bodies = contract.components(separatedBy: "requestBody:").count - 1
            #expect(
                bodies > 40
                    && contract.components(separatedBy: "'413': {$ref: '#/components/responses/PayloadTooLarge'}").count - 1 == bodies)
        }
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let officer = try await JobPageTests.signedIn(pages, f.hackneyOfficer)
            let form = try await officer.get("/import")
            let huge = String(repeating: "x", count: (64 << 20) + 1)
            let refused = try await officer.upload("/import", [], file: ("file", "feed.csv", huge), csrfFrom: form)
            #expect(refused.status == 413 && refused.html.contains("<main"), "a page answers a page: \(refused.status)")
            let signIn = try await pages.browser().post("/signin", encoded: String(repeating: "a=b&", count: 1_100_000))
            #expect(signIn.status == 413, "\(signIn.status)")
        }
    }

    /// CR, LF, TAB and the no-break space make one name two spellings, and what looks like one
    /// line into two: refused in every single-line field, by the API, the page and the import.
    @Test(arguments: databases) func aNameIsOneLineWithOrdinarySpacesAtEveryDoor(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            for family in ["Ann\nSmith", "Ann\rSmith", "Ann\tSmith", "Ann\u{00A0}Smith", "Ann\u{2003}Smith"] {
                let refused = try await api.send(
                    .post, "/api/subjects", as: api.fixture.hackneyOfficer,
                    json: ["names": [["given": "Test", "family": family]], "sex": "female", "dateOfBirth": "2001-01-01"])
                #expect(refused.status == 422 && refused.violatedRules == ["text.single-line"], "\(family.debugDescription): \(refused)")
                #expect(refused.violatedFields == ["names[0].family"])
            }
            let kept = try await api.send(
                .post, "/api/subjects", as: api.fixture.hackneyOfficer,
                json: [
                    "names": [["given": "Test", "family": "O'Brien-Smith"]], "sex": "female", "dateOfBirth": "2001-01-01",
                    "addresses": ["Flat 2, 4 Imaginary Mews, London E8 0ZZ"],
                ])
            #expect(kept.status == 201, "ordinary spaces, hyphens and apostrophes are a name: \(kept)")
            let alias = try await api.send(
                .post, "/api/subjects", as: api.fixture.hackneyOfficer,
                json: ["names": [["given": "Test", "family": "Smith"]], "sex": "female", "aliases": ["Tee\tSmith"]])
            #expect(alias.violatedRules == ["text.single-line"] && alias.violatedFields == ["aliases[0]"])
        }
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let officer = try await JobPageTests.signedIn(pages, f.hackneyOfficer)
            let form = try await officer.get("/subjects/new")
            let refused = try await officer.post(
                "/subjects/new",
                [("names[0].given", "Perpetua"), ("names[0].family", "Elling\tham"), ("sex", "female"), ("sourceType", "police")],
                csrfFrom: form)
            #expect(refused.status == 422 && refused.html.contains("data-rule=\"text.single-line\""), "\(refused)")
            let feed = "kind,ref,given_name,family_name,date_of_birth,sex\r\nsubject,s1,Page,\"Up\nload\",2002-02-02,male\r\n"
            let upload = try await officer.upload(
                "/import", [], file: ("file", "feed.csv", feed), csrfFrom: try await officer.get("/import"))
            let imported = try await officer.finished(upload)
            #expect(imported.status == 422 && imported.html.contains("data-rule=\"text.single-line\""), "\(imported)")
            #expect(imported.html.contains("row 2, family_name"))
            #expect(try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose).subjects.isEmpty)
        }
    }

    /// Bytes that are not UTF-8 are refused with the field named, never read as U+FFFD.
    @Test(arguments: databases) func aFormThatIsNotUTF8IsRefusedNotGuessed(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let officer = try await PageTests.officerAtWork(pages)
            let form = try await officer.get("/subjects/new")
            let token = try #require(form.hidden("_csrf"))
            let refused = try await officer.post(
                "/subjects/new", encoded: "_csrf=\(token)&names%5B0%5D.given=Ann&names%5B0%5D.family=Sm%FFith&sex=female&sourceType=police")
            #expect(refused.status == 422 && refused.html.contains("data-rule=\"text.utf8\""), "\(refused)")
            let search = try await officer.get("/subjects?name=%C3%28")
            #expect(search.status == 422 && search.html.contains("text.utf8"), "\(search.status)")
            #expect(try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose).subjects.isEmpty)
        }
    }
}
