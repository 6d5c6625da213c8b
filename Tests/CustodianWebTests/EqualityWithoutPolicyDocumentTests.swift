@_spi(Storage) import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Without an appropriate policy document in force, no door counts people by ethnicity: the
/// equality report through the API, its page and its CSV leave the ethnicity breakdowns out and
/// say why; age band and sex go on.
@Suite struct EqualityWithoutPolicyDocumentTests {
    static let databases = TestDatabase.available

    static func withdraw(_ f: RegisterFixture) async throws {
        try await f.register.store.transaction { tx in
            for document in try await tx.approvedPolicyDocuments() { try await tx.upsertPolicyDocument(document.superseded()) }
        }
    }

    @Test(arguments: databases) func theAPICountsNoOneByEthnicityWithoutAPolicyDocument(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let before = try await api.send(.get, "/api/equality", as: f.governance, purpose: nil)
            #expect(before.text.contains("officer-defined-ethnicity"), "the control: \(before)")
            try await Self.withdraw(f)
            let after = try await api.send(.get, "/api/equality", as: f.governance, purpose: nil)
            #expect(after.status == 200 && after.object["ethnicityWithheld"] as? Bool == true, "\(after)")
            #expect(!after.text.contains("-ethnicity\""), "\(after)")
            #expect(after.text.contains("age-band"))
        }
    }

    @Test(arguments: databases) func thePageAndItsCSVCountNoOneByEthnicityWithoutAPolicyDocument(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.governance)
            let browser = pages.browser()
            try await browser.signIn(f.governance.username)
            #expect(try await browser.get("/equality").html.contains("Ethnicity (officer-defined)"), "the control")
            try await Self.withdraw(f)
            for path in ["/equality", "/equality?characteristic=officer-defined-ethnicity", "/equality.csv"] {
                let page = try await browser.get(path)
                #expect(page.status == 200, "\(path): \(page)")
                #expect(!page.html.contains("Ethnicity (") && !page.html.contains("-ethnicity"), "\(path) counted by ethnicity: \(page)")
            }
            #expect(try await browser.get("/equality").html.contains("Ethnicity is left out"))
        }
    }
}
