import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The small things that cost trust, tried as a person would meet them.
@Suite struct SmallThingsPageTests {
    static let databases = TestDatabase.available

    static func signedIn(_ pages: LivePages, _ user: User) async throws -> LivePages.Browser {
        try await pages.enablePages(for: user)
        let browser = pages.browser()
        _ = try await browser.signIn(user.username)
        return browser
    }

    /// A mistyped address: a browser gets a page in its own navigation; the API keeps its problem+json.
    @Test(arguments: databases) func aMistypedAddressIsAPageForABrowser(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let officer = try await Self.signedIn(pages, f.hackneyOfficer)
            let missing = try await officer.get("/subjectz")
            #expect(missing.status == 404 && missing.html.contains("There is no page at this address"), "\(missing)")
            #expect(missing.html.contains("<nav"), "the page is not in the visitor's navigation")
            let signedOut = try await pages.browser().get("/no-such-page")
            #expect(signedOut.status == 404 && signedOut.html.contains("There is no page at this address"))
        }
        try await withLiveAPI(db) { api in
            let problem = try await api.send(.get, "/api/no-such-operation", as: api.fixture.hackneyOfficer)
            #expect(problem.status == 404 && problem.object["type"] as? String == "urn:custodian:problem:http", "\(problem)")
        }
    }

    /// Nothing overdue is not an alert: "0 request(s) overdue" is not shown at all.
    @Test(arguments: databases) func noCountIsShownAsAnAlert(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let board = try await Self.signedIn(pages, f.governance)
            _ = try await board.state(StatedPurpose(purpose: .registerReview, justification: "Weekly look at the dashboard"))
            let dashboard = try await board.get("/dashboard")
            #expect(dashboard.status == 200 && !dashboard.html.contains("past the statutory deadline"), "\(dashboard.html)")
            _ = try await board.state(StatedPurpose(purpose: .subjectRights, justification: "Weekly look at rights requests"))
            let rights = try await board.get("/rights")
            #expect(rights.status == 200 && !rights.html.contains("request(s) overdue"), "\(rights.html)")
        }
    }

    /// The dashboard as pictures: a bar chart per measure by borough, each with its text
    /// equivalent, beside the table of every figure.
    @Test(arguments: databases) func theDashboardDrawsEachMeasureByBorough(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            _ = try await RightsAPITests.sharedPerson(f)
            let board = try await Self.signedIn(pages, f.governance)
            _ = try await board.state(StatedPurpose(purpose: .registerReview, justification: "Weekly look at the dashboard"))
            let dashboard = try await board.get("/dashboard")
            #expect(dashboard.status == 200)
            for title in [
                "People included", "Included with a harm score of zero", "Reviews overdue", "Disclosures to partners in the period",
            ] {
                #expect(dashboard.html.contains("<figcaption>\(title)</figcaption>"), "no chart of \(title)")
            }
            #expect(dashboard.html.contains(#"<svg class="chart bar-chart" role="img""#))
            #expect(dashboard.html.contains("Disclosures to partners in the period: Hackney 1"), "the chart has no text equivalent")
            #expect(dashboard.html.contains(#"<table class="list figures">"#), "the table is gone")
            #expect(dashboard.html.contains(#"name="from-day""#), "the period is not asked for as a date")
        }
    }

    /// A share is decided on people: each is named, not "Subject" again and again.
    @Test(arguments: databases) func aShareNamesItsPeople(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let (subject, _) = try await RightsAPITests.sharedPerson(f)
            let officer = try await Self.signedIn(pages, f.hackneyOfficer)
            _ = try await officer.state(RegisterFixture.purpose)
            let shares = try await officer.get("/shares")
            #expect(shares.html.contains("<a href=\"/subjects/\(subject)\">Perpetua Ravensworth</a>"), "\(shares.html)")
            #expect(!shares.html.contains(">Subject</a>"))
        }
    }

    /// A partner's recipient is not labelled as the central team.
    @Test(arguments: databases) func aPartnerIsNotTheCentralTeam(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let partner = try await Self.signedIn(pages, f.partner)
            let purpose = try await partner.get("/purpose")
            #expect(purpose.html.contains("Partner agency") && !purpose.html.contains("Central team"), "\(purpose.html)")
        }
    }
}
