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
