import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The pages seen from outside: real HTTP to a running server, cookies and forms as a browser
/// sends them, a clock the test moves. The browser suite (Tests/browser) drives the same pages in
/// Chromium; these pin the session rules on both databases.
@Suite struct PageTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func signingInSetsAStrictHttpOnlyCookieAndEveryPageCarriesTheSecurityHeaders(_ db: TestDatabase)
        async throws
    {
        try await withLivePages(db) { pages in
            try await pages.enablePages(for: pages.fixture.hackneyOfficer)
            let browser = pages.browser()
            let form = try await browser.get("/signin")
            #expect(form.status == 200)
            for (name, expected) in [
                ("Content-Security-Policy", "frame-ancestors 'none'"), ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "no-referrer"),
            ] {
                #expect(form.headers[HTTPField.Name(name)!]?.contains(expected) == true, "\(name)")
            }
            #expect(form.headers[.contentSecurityPolicy]?.contains("unsafe-inline") == false)
            let signedIn = try await browser.post(
                "/signin", [("username", "hackney-officer"), ("password", LivePages.password)], csrfFrom: form)
            #expect(signedIn.status == 303, "\(signedIn)")
            let cookie = try #require(signedIn.setCookies.first { $0.hasPrefix("custodian_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "Secure is for TLS deployments (--secure-cookies)")
            // The cookie holds a random token; only its hash is stored.
            let token = try #require(browser.cookieJar["custodian_session"])
            #expect(!(try await pages.fixture.store.everyStoredText()).contains(token))
        }
    }

    @Test(arguments: databases) func theSignInFormRefusesARequestForgedFromAnotherSite(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            try await pages.enablePages(for: pages.fixture.hackneyOfficer)
            let forged = try await pages.browser().post("/signin", [("username", "hackney-officer"), ("password", LivePages.password)])
            #expect(forged.status == 403)
            #expect(forged.setCookies.allSatisfy { !$0.hasPrefix("custodian_session=") })
        }
    }

    @Test(arguments: databases) func repeatedFailuresLockTheUsernameWithBackOff(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            try await pages.enablePages(for: pages.fixture.hackneyOfficer)
            let browser = pages.browser()
            for attempt in 1...5 {
                let failed = try await browser.signIn("hackney-officer", password: "wrong guess number \(attempt)")
                #expect(failed.status == 401, "attempt \(attempt): \(failed.status)")
                #expect(failed.html.contains("the username or password is not right"))
            }
            let locked = try await browser.signIn("hackney-officer")
            #expect(locked.status == 429, "the right password was accepted while locked")
            #expect(locked.html.contains("too many failed sign-ins"))
            pages.clock.advance(seconds: 61)
            let sixth = try await browser.signIn("hackney-officer", password: "wrong again after the lock")
            #expect(sixth.status == 401)
            // The sixth failure doubles the lock: a minute later it still holds, two minutes later it is gone.
            pages.clock.advance(seconds: 61)
            #expect(try await browser.signIn("hackney-officer").status == 429)
            pages.clock.advance(seconds: 60)
            #expect(try await browser.signIn("hackney-officer").status == 303)
            // Failures against a real account are in the log for governance, as refusals.
            let log = try await pages.fixture.register.auditPage(
                AuditFilter(actor: "hackney-officer", operation: "refusal"),
                by: pages.fixture.auditor, for: RegisterFixture.auditPurpose)
            #expect(log.entries.count == 6)
        }
    }

    @Test(arguments: databases) func aSessionEndsAfterInactivityAndAPurposeAfterItsWorkingPeriod(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let fixture = pages.fixture
            try await pages.enablePages(for: fixture.hackneyOfficer)
            let id = try await fixture.register.recordSubject(
                RegisterFixture.draft(), by: fixture.hackneyOfficer, for: RegisterFixture.purpose)
            let browser = pages.browser()
            try await browser.signIn("hackney-officer")
            let before = try await browser.get("/subjects/\(id)")
            #expect(
                before.status == 303 && before.location?.hasPrefix("/purpose?next=") == true, "register content before a purpose: \(before)"
            )
            let stated = StatedPurpose(purpose: .investigation, justification: "Page test: CRIS 4401234/26 robbery follow-up")
            try await browser.state(stated)
            let shown = try await browser.get("/subjects/\(id)")
            #expect(shown.status == 200)
            #expect(shown.html.contains("Quennell") && shown.html.contains("class=\"watermark\"") && shown.html.contains("Hackney Officer"))
            // The consultation's entry carries the purpose and justification of the working period.
            let log = try await fixture.register.auditPage(
                AuditFilter(actor: "hackney-officer", subject: id.description, operation: "consultation"),
                by: fixture.auditor, for: RegisterFixture.auditPurpose)
            let entry = try #require(log.entries.first?.entry)
            #expect(entry.purpose == .investigation && entry.justification == stated.justification)
            // Past the working period: the purpose must be stated again; the session itself lives on.
            for _ in 0..<2 {
                pages.clock.advance(seconds: 14 * 60)
                #expect(try await browser.get("/subjects/\(id)").status == 200)
            }
            pages.clock.advance(seconds: 3 * 60)
            let lapsed = try await browser.get("/subjects/\(id)")
            #expect(lapsed.status == 303 && lapsed.location?.hasPrefix("/purpose") == true, "\(lapsed)")
            // Idle past the limit: signed out.
            pages.clock.advance(seconds: 16 * 60)
            let expired = try await browser.get("/subjects")
            #expect(expired.status == 303 && expired.location?.hasPrefix("/signin") == true, "\(expired)")
        }
    }

    @Test(arguments: databases) func everyFormNeedsTheSessionsCSRFTokenAndARefusedFormKeepsWhatWasTyped(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let browser = try await Self.officerAtWork(pages)
            let fields = [
                ("names[0].given", "Perpetua"), ("names[0].family", "Ellingham"), ("sex", "female"), ("sourceType", "police"),
                ("dateOfBirth", "2004-02-30"),
            ]
            let forged = try await browser.post("/subjects/new", fields)
            #expect(forged.status == 403 && forged.html.contains("csrf.token"))
            let form = try await browser.get("/subjects/new")
            let refused = try await browser.post("/subjects/new", fields, csrfFrom: form)
            #expect(refused.status == 422)
            #expect(refused.html.contains("value=\"Ellingham\""), "typed text not re-shown")
            #expect(refused.html.contains("id=\"f-dateOfBirth-error\"") && refused.html.contains("date.format"))
            let page = try await pages.fixture.register.listSubjects(
                before: nil, by: pages.fixture.hackneyOfficer, for: RegisterFixture.purpose)
            #expect(page.subjects.isEmpty, "a refused or forged form wrote something")
            let recorded = try await browser.post("/subjects/new", fields.dropLast() + [("dateOfBirth", "2004-02-28")], csrfFrom: form)
            #expect(recorded.status == 303 && recorded.location?.hasPrefix("/subjects/") == true, "\(recorded)")
        }
    }

    /// Errors in people's words: the field's label and what to do; the rule's code only in a
    /// `data-rule` attribute, never in the text. A refused search says what to fix and nothing else.
    @Test(arguments: databases) func aRefusedFormSpeaksThePersonsWordsNotTheRegisters(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let browser = try await Self.officerAtWork(pages)
            let form = try await browser.get("/subjects/new")
            let refused = try await browser.post(
                "/subjects/new",
                [
                    ("names[0].family", "Ellingham"), ("dateOfBirth-day", "30"), ("dateOfBirth-month", "2"),
                    ("dateOfBirth-year", "2004"), ("sourceType", "police"),
                ],
                csrfFrom: form)
            #expect(refused.status == 422)
            let shown = refused.html.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
            for words in ["Enter given name", "Date of birth must be a real date", "Select sex"] {
                #expect(shown.contains(words), "\(words) missing")
            }
            for code in ["date.format", "sex.known", "names[0].given is required", "must be a date as"] {
                #expect(!shown.contains(code), "\(code) shown to the reader")
            }
            #expect(refused.html.contains(#"data-rule="date.format""#) && refused.html.contains(#"data-rule="required""#))
            #expect(
                refused.html.contains(#"name="dateOfBirth-day" value="30""#)
                    && refused.html.contains(#"name="dateOfBirth-month" value="2""#)
                    && refused.html.contains(#"name="dateOfBirth-year" value="2004""#), "the typed date was lost")
            #expect(
                refused.html.contains("(optional)") && !refused.html.contains("(required)"), "optional fields are marked, not required ones"
            )
            let search = try await browser.get("/subjects?name=Ellingham&dateOfBirth-day=1&dateOfBirth-month=13&dateOfBirth-year=2004")
            #expect(search.html.contains(#"data-rule="date.format""#) && search.html.contains("must be a real date"))
            #expect(
                !search.html.contains("No subjects") && !search.html.contains("Recently recorded"),
                "a refused search also said it found nothing")
            #expect(search.html.contains(#"name="dateOfBirth-month" value="13""#) && !search.html.contains("(optional)"))
        }
    }

    /// A completed action says so on the page it returns to, and who decides next; the address
    /// names the confirmation by key only, so it cannot put anyone's words on the page.
    @Test(arguments: databases) func aCompletedActionIsConfirmedAndSaysWhoActsNext(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let browser = try await Self.officerAtWork(pages)
            let form = try await browser.get("/subjects/new")
            let recorded = try await browser.post(
                "/subjects/new",
                [("names[0].given", "Perpetua"), ("names[0].family", "Ellingham"), ("sex", "female"), ("sourceType", "police")],
                csrfFrom: form)
            let location = try #require(recorded.location)
            #expect(recorded.status == 303 && location.hasSuffix("?done=subject-recorded"), "\(location)")
            let shown = try await browser.get(location)
            #expect(shown.html.contains("notification-banner") && shown.html.contains("Subject recorded"))
            let plain = try await browser.get(String(location.prefix { $0 != "?" }))
            #expect(!plain.html.contains("notification-banner"), "the banner outlived its action")
            let forged = try await browser.get(String(location.prefix { $0 != "?" }) + "?done=%3Cb%3Eyou+are+sacked%3C%2Fb%3E")
            #expect(!forged.html.contains("notification-banner") && !forged.html.contains("sacked"))
        }
    }

    /// A form sent after the idle sign-out is not lost: what was typed is carried through signing
    /// in and stating the purpose, shown to be checked, and written only when sent again. The old
    /// session's CSRF token is never carried.
    @Test(arguments: databases) func aFormSentAfterTheIdleSignOutIsKeptToSendAgain(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let officer = pages.fixture.hackneyOfficer
            let browser = try await Self.officerAtWork(pages)
            let form = try await browser.get("/subjects/new")
            pages.clock.advance(seconds: 16 * 60)
            let typed = [("names[0].given", "Perpetua"), ("names[0].family", "Keptwell"), ("sex", "female"), ("sourceType", "police")]
            let late = try await browser.post("/subjects/new", typed, csrfFrom: form)
            #expect(late.status == 401 && late.html.contains("signed out after 15 minutes"), "\(late)")
            #expect(late.html.contains(#"name="kept:names[0].family" value="Keptwell""#))
            #expect(late.html.contains(#"name="kept-action" value="/subjects/new""#) && !late.html.contains("kept:_csrf"))
            let carried = Self.hiddenFields(late.html).filter { $0.0.hasPrefix("kept") }
            let signedIn = try await browser.post(
                "/signin", [("username", "hackney-officer"), ("password", LivePages.password)] + carried, csrfFrom: late)
            #expect(signedIn.status == 200 && signedIn.html.contains("State your purpose"), "\(signedIn)")
            #expect(signedIn.html.contains(#"name="kept:names[0].family" value="Keptwell""#), "lost at the purpose step")
            let purpose = RegisterFixture.purpose
            let stated = try await browser.post(
                "/purpose", [("purpose", purpose.purpose.rawValue), ("justification", purpose.justification)] + carried,
                csrfFrom: signedIn)
            #expect(stated.status == 200 && stated.html.contains("Send your form again") && stated.html.contains("Keptwell"), "\(stated)")
            let before = try await pages.fixture.register.searchSubjects(name: "Keptwell", dateOfBirth: nil, by: officer, for: purpose)
            #expect(before.isEmpty, "written before it was sent again")
            let again = Self.hiddenFields(stated.html).filter { $0.0 != "_csrf" }
            #expect(Set(again.map(\.0)) == Set(typed.map(\.0)), "\(again)")
            let sent = try await browser.post("/subjects/new", again, csrfFrom: stated)
            #expect(sent.status == 303, "\(sent)")
            let after = try await pages.fixture.register.searchSubjects(name: "Keptwell", dateOfBirth: nil, by: officer, for: purpose)
            #expect(after.count == 1)
            // A kept form may only go back to a page of this site: one naming another site, or
            // the sign-in itself, is dropped and the sign-in goes on as usual.
            for action in ["//elsewhere.example/steal", "https://elsewhere.example/", "/signin"] {
                let other = pages.browser()
                let form = try await other.get("/signin")
                let signedIn = try await other.post(
                    "/signin",
                    [
                        ("username", "hackney-officer"), ("password", LivePages.password), ("kept-action", action),
                        ("kept:names[0].family", "Elsewhere"),
                    ], csrfFrom: form)
                #expect(signedIn.status == 303 && !signedIn.html.contains("Elsewhere"), "\(action): \(signedIn)")
            }
        }
    }

    /// The Hackney officer signed in on the pages, with the fixture's purpose stated.
    static func officerAtWork(_ pages: LivePages) async throws -> LivePages.Browser {
        try await pages.enablePages(for: pages.fixture.hackneyOfficer)
        let browser = pages.browser()
        try await browser.signIn("hackney-officer")
        try await browser.state(RegisterFixture.purpose)
        return browser
    }

    /// The hidden inputs a page's forms carry, in order.
    static func hiddenFields(_ html: String) -> [(String, String)] {
        html.matches(of: /<input type="hidden" name="([^"]+)" value="([^"]*)">/).map { (String($0.output.1), String($0.output.2)) }
    }

    @Test(arguments: databases) func theRefusalPageNamesTheRuleAndTheAttemptIsLogged(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let fixture = pages.fixture
            try await pages.enablePages(for: fixture.hackneyOfficer)
            try await pages.enablePages(for: fixture.administrator)
            let newham = try await fixture.register.recordSubject(
                RegisterFixture.draft(family: "Ashcombe", ethnicity: false), by: fixture.newhamOfficer, for: RegisterFixture.purpose)
            let officer = pages.browser()
            try await officer.signIn("hackney-officer")
            try await officer.state(RegisterFixture.purpose)
            let refused = try await officer.get("/subjects/\(newham)")
            #expect(
                refused.status == 404 && !refused.html.contains("Ashcombe") && !refused.html.contains("Newham"), "as if it did not exist")
            let log = try await fixture.register.auditPage(
                AuditFilter(actor: "hackney-officer", subject: newham.description, operation: "refusal"),
                by: fixture.auditor, for: RegisterFixture.auditPurpose)
            #expect(log.entries.count == 1)
            let admin = pages.browser()
            try await admin.signIn("administrator")
            let adminRefused = try await admin.get("/subjects/\(newham)")
            #expect(
                adminRefused.status == 403 && adminRefused.html.contains("role.no-register-content")
                    && !adminRefused.html.contains("Ashcombe"))
            #expect(try await admin.get("/admin/users").status == 200)
        }
    }

    @Test(arguments: databases) func whateverWasTypedIsShownAsTextNeverAsMarkup(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let fixture = pages.fixture
            try await pages.enablePages(for: fixture.hackneyOfficer)
            let hostile = "<script>alert('x')</script>\"onmouseover=\"x"
            let id = try await fixture.register.recordSubject(
                RegisterFixture.draft(given: hostile), by: fixture.hackneyOfficer,
                for: RegisterFixture.purpose)
            let browser = pages.browser()
            try await browser.signIn("hackney-officer")
            try await browser.state(StatedPurpose(purpose: .investigation, justification: "<b>bold</b> justification text"))
            for path in ["/subjects/\(id)", "/subjects"] {
                let page = try await browser.get(path)
                #expect(page.status == 200)
                #expect(
                    !page.html.contains("<script>alert") && page.html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;"),
                    "\(path)")
                #expect(!page.html.contains("<b>bold</b>") && page.html.contains("&lt;b&gt;bold&lt;/b&gt;"), "\(path)")
            }
        }
    }

    @Test(arguments: databases) func signingOutEndsTheSession(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            try await pages.enablePages(for: pages.fixture.hackneyOfficer)
            let browser = pages.browser()
            try await browser.signIn("hackney-officer")
            let cookie = try #require(browser.cookieJar["custodian_session"])
            let home = try await browser.get("/account")
            #expect(try await browser.post("/signout", [], csrfFrom: home).status == 200)
            #expect(browser.cookieJar["custodian_session"] == nil)
            // The old cookie value no longer opens anything, even if a copy was kept.
            let copy = pages.browser()
            copy.setCookie("custodian_session", cookie)
            let stale = try await copy.get("/account")
            #expect(stale.status == 303 && stale.location?.hasPrefix("/signin") == true)
        }
    }
}
