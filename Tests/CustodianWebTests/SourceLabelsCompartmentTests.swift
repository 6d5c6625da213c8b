import CustodianAPI
import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
import Testing

/// Labels typed before the source register ("CHIS-0001" on an item) leave the record tables that
/// disclosures, answers and exports read, for a compartment of their own; nothing is lost, and
/// erasing the person takes their labels too.
@Suite struct SourceLabelsCompartmentTests {
    static let databases = TestDatabase.available

    static func count(_ f: RegisterFixture, _ sql: String) async throws -> Int {
        try await f.store.driver.transaction { db in
            try await db.raw(SQLQueryString(sql)).first().map { try $0.decode(column: "n", as: Int.self) } ?? -1
        }
    }

    @Test(arguments: databases) func oldLabelsMoveToTheirCompartmentAndGoWithThePerson(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let r = f.register
            let subject = try await r.recordSubject(
                RegisterFixture.draft(given: "Lena", family: "Labelled", dob: "1990-01-01"), by: f.hackneyOfficer,
                for: RegisterFixture.purpose)
            let item = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: subject.description, text: "Seen at the market with two others",
                    grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "police"),
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            // As a register made before the source register held them.
            try await f.store.tamper("UPDATE intelligence SET source_reference = 'CHIS-0001' WHERE id = '\(item)'")
            try await f.store.tamper("UPDATE subjects SET source_reference = 'Op Harrow informant' WHERE id = '\(subject)'")
            try await f.store.tamper("DROP TABLE legacy_source_labels")
            try await f.store.tamper("DELETE FROM schema_migrations WHERE id = '0027-source-labels-compartment'")
            #expect(try await Migrations.run(on: f.store.driver) == ["0027-source-labels-compartment"])

            for table in ["subjects", "matters", "intelligence", "subject_matter_links"] {
                #expect(try await Self.count(f, "SELECT COUNT(*) AS n FROM \(table) WHERE source_reference IS NOT NULL") == 0, "\(table)")
            }
            #expect(
                try await Self.count(
                    f,
                    "SELECT COUNT(*) AS n FROM legacy_source_labels WHERE subject_id = '\(subject)' AND label IN ('CHIS-0001', 'Op Harrow informant')"
                ) == 2)

            let rights = try api.client(as: f.governance)
            let request = try await RightsAPITests.ready(rights, .erasure, [subject], today: r.clock.now().day)
            try await ErasureCompletenessTests.erase(api, request)
            #expect(try await Self.count(f, "SELECT COUNT(*) AS n FROM legacy_source_labels WHERE subject_id = '\(subject)'") == 0)
        }
    }
}
