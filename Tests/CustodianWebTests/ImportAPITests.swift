import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The import over the API: the same all-or-nothing rules and row names as the command line.
@Suite struct ImportAPITests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func aFeedIsRefusedWholeOrImportedWhole(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let header = ImportFile.columns.joined(separator: ",")
            func subject(_ ref: String, dob: String) -> String {
                var fields = Array(repeating: "", count: ImportFile.columns.count)
                for (column, value) in [
                    ("kind", "subject"), ("ref", ref), ("given_name", "Api"), ("family_name", "Feed\(ref)"), ("date_of_birth", dob),
                    ("sex", "female"),
                ] {
                    fields[ImportFile.columns.firstIndex(of: column) ?? 0] = value
                }
                return fields.joined(separator: ",")
            }
            let bad = [header, subject("a", dob: "2002-02-02"), subject("b", dob: "not a date")].joined(separator: "\n")
            let refused = try await api.send(.post, "/api/imports", as: f.hackneyOfficer, json: ["csv": bad])
            #expect(refused.status == 422 && refused.violatedFields == ["row 3, date_of_birth"], "\(refused)")
            let good = [header, subject("a", dob: "2002-02-02"), subject("b", dob: "2004-04-04")].joined(separator: "\n")
            let dry = try await api.send(.post, "/api/imports", as: f.hackneyOfficer, json: ["csv": good, "dryRun": true])
            #expect(dry.status == 200 && dry.object["dryRun"] as? Bool == true && dry.object["subjects"] as? Int == 2)
            let done = try await api.send(.post, "/api/imports", as: f.hackneyOfficer, json: ["csv": good])
            #expect(done.status == 200 && done.object["subjects"] as? Int == 2 && done.object["rows"] as? Int == 2, "\(done)")
            // Not a borough's to give to another: an analyst records nothing.
            let analyst = try await api.send(.post, "/api/imports", as: f.analyst, json: ["csv": good])
            #expect(analyst.status == 403)
        }
    }
}

/// The same import as an upload on a page: a bad file writes nothing and the page lists every bad
/// row; a good one imports; a check-only run writes nothing; an analyst records nothing.
@Suite struct ImportPageTests {
    static let databases = TestDatabase.available

    static func subject(_ ref: String, dob: String) -> String {
        var fields = Array(repeating: "", count: ImportFile.columns.count)
        for (column, value) in [
            ("kind", "subject"), ("ref", ref), ("given_name", "Page"), ("family_name", "Upload\(ref)"), ("date_of_birth", dob),
            ("sex", "male"),
        ] {
            fields[ImportFile.columns.firstIndex(of: column) ?? 0] = value
        }
        return fields.joined(separator: ",")
    }

    @Test(arguments: databases) func anUploadIsRefusedWholeWithEveryBadRowOrImportedWhole(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            for user in [f.hackneyOfficer, f.analyst] { try await pages.enablePages(for: user) }
            let officer = pages.browser()
            try await officer.signIn("hackney-officer")
            _ = try await officer.state(StatedPurpose(purpose: .dataQuality, justification: "Test: loading the borough's feed"))
            let form = try await officer.get("/import")
            #expect(form.status == 200 && form.html.contains("enctype=\"multipart/form-data\""), "\(form)")
            let header = ImportFile.columns.joined(separator: ",")
            let bad = [header, Self.subject("a", dob: "2002-02-02"), Self.subject("b", dob: "31/12/2001"), Self.subject("c", dob: "soon")]
                .joined(separator: "\r\n")
            let refused = try await officer.finished(officer.upload("/import", [], file: ("file", "feed.csv", bad), csrfFrom: form))
            #expect(refused.status == 422 && refused.html.contains("Nothing was imported: 2 problem(s)"), "\(refused)")
            #expect(refused.html.contains("row 3, date_of_birth") && refused.html.contains("row 4, date_of_birth"))
            let before = try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose).subjects.count
            #expect(before == 0, "a refused file wrote something")

            let good = [header, Self.subject("a", dob: "2002-02-02"), Self.subject("b", dob: "2001-12-31")].joined(separator: "\r\n")
            let checked = try await officer.finished(
                officer.upload("/import", [("dryRun", "yes")], file: ("file", "feed.csv", good), csrfFrom: form))
            #expect(checked.status == 200 && checked.html.contains("nothing was written"), "\(checked)")
            #expect(try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose).subjects.isEmpty)
            let imported = try await officer.finished(officer.upload("/import", [], file: ("file", "feed.csv", good), csrfFrom: form))
            #expect(imported.status == 200 && imported.html.contains("Imported 2 rows: 2 subjects"), "\(imported)")
            #expect(try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose).subjects.count == 2)

            // A forged upload (no session token) and an analyst's upload are refused.
            let forged = try await officer.upload("/import", [], file: ("file", "feed.csv", good), csrfFrom: nil)
            #expect(forged.status == 403, "\(forged)")
            let analyst = pages.browser()
            try await analyst.signIn("central-analyst")
            _ = try await analyst.state(StatedPurpose(purpose: .dataQuality, justification: "Test: trying to import for a borough"))
            let analystForm = try await analyst.get("/import")
            let notTheirs = try await analyst.finished(
                analyst.upload("/import", [], file: ("file", "feed.csv", good), csrfFrom: analystForm))
            #expect(notTheirs.status == 403, "\(notTheirs)")
        }
    }
}
