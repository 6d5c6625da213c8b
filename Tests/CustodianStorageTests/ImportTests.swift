@_spi(Storage) import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Synchronization
import Testing

/// A borough feed imported all or nothing through the register's own rules, on both databases:
/// one bad row and nothing is written, every bad row named by row, column and rule; a legacy
/// Matrix row refused with the rule it fails, never guessed; a dry run writes nothing; the import
/// and every record it wrote are on the log.
@Suite struct ImportTests {
    static let databases = TestDatabase.available
    static let purpose = RegisterFixture.purpose

    static let header = ImportFile.columns.joined(separator: ",")

    /// One row in the layout, from the columns it fills.
    static func row(_ values: [String: String]) -> String {
        ImportFile.columns.map { column in
            let v = values[column] ?? ""
            return v.contains(",") || v.contains("\"") ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        }.joined(separator: ",")
    }

    static func person(_ ref: String, _ family: String, dob: String = "2003-05-14") -> String {
        row(["kind": "subject", "ref": ref, "given_name": "Imported", "family_name": family, "date_of_birth": dob, "sex": "male"])
    }

    static var good: [String] {
        [
            header,
            person("s1", "Feedwell"),
            person("s2", "Rowntree", dob: "1999-12-01"),
            row([
                "kind": "matter", "ref": "m1", "subject": "s1", "matter_kind": "offence", "reference": "CRIS-IMP-1",
                "offence": "robbery", "occurred_on": "2026-03-02", "category": "suspect",
            ]),
            row(["kind": "matter", "ref": "m1", "subject": "s2", "category": "victim"]),
            row([
                "kind": "intelligence", "ref": "i1", "subject": "s1", "text": "Seen with a bladed article, by a partner, near the estate",
                "grade_source": "2", "grade_assessment": "B", "grade_handling": "P", "source_type": "partner",
            ]),
            row(["kind": "flag", "subject": "s1", "flag": "knife-carrier", "evidence": "i1"]),
        ]
    }

    static func csv(_ lines: [String]) -> String { lines.joined(separator: "\r\n") + "\r\n" }

    func held(_ f: RegisterFixture) async throws -> Int {
        try await f.register.store.lookup { tx in try await tx.subjects(units: nil, before: nil, limit: 10_000).count }
    }

    func violations(_ body: () async throws -> Void) async -> [String] {
        do {
            try await body()
            Issue.record("accepted")
        } catch RegisterError.invalid(let found) {
            return found.map { "\($0.field) \($0.rule)" }
        } catch {
            Issue.record("refused otherwise: \(error)")
        }
        return []
    }

    @Test(arguments: databases) func oneBadRowWritesNothingAndEveryBadRowIsNamed(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            var lines = Self.good
            lines[2] = Self.person("s2", "Rowntree", dob: "2031-02-30")
            lines.append(Self.row(["kind": "subjekt", "ref": "x"]))
            let named = await violations {
                _ = try await f.register.importRecords(csv: Self.csv(lines), dryRun: false, by: f.hackneyOfficer, for: Self.purpose)
            }
            #expect(named == ["row 8, kind import.kind", "row 3, date_of_birth date.format"], "every problem, at once: \(named)")
            lines.removeLast()
            let rules = await violations {
                _ = try await f.register.importRecords(csv: Self.csv(lines), dryRun: false, by: f.hackneyOfficer, for: Self.purpose)
            }
            #expect(rules.count == 1 && rules[0].hasPrefix("row 3, date_of_birth "), "\(rules)")
            let held0 = try await held(f)
            #expect(held0 == 0, "nothing written")
        }
    }

    /// Two rows the file's shape refuses and four fields the register's rules refuse: all six are
    /// named in one attempt, each once, and nothing is written.
    @Test(arguments: databases) func everyProblemInTheFileIsNamedInOneAttempt(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            var lines = Self.good
            lines[1] = Self.row([
                "kind": "subject", "ref": "s1", "given_name": "", "family_name": "Feedwell", "date_of_birth": "2003-13-01", "sex": "other",
            ])
            lines[2] = Self.person("s2", "", dob: "1999-02-30")
            lines.append(Self.row(["kind": "subjekt", "ref": "x"]))
            lines.append(Self.row(["kind": "flag", "subject": "nobody", "flag": "knife-carrier", "evidence": "i1"]))
            let named = await violations {
                _ = try await f.register.importRecords(csv: Self.csv(lines), dryRun: false, by: f.hackneyOfficer, for: Self.purpose)
            }
            let shape = ["row 8, kind import.kind", "row 9, subject import.ref"]
            #expect(Array(named.prefix(2)) == shape, "\(named)")
            let fields = Set(named.dropFirst(2).map { $0.split(separator: " ").prefix(3).joined(separator: " ") })
            #expect(
                fields.isSuperset(of: [
                    "row 2, given_name", "row 2, date_of_birth", "row 2, sex", "row 3, family_name", "row 3, date_of_birth",
                ]),
                "\(named)")
            #expect(Set(named).count == named.count, "a problem named twice: \(named)")
            let written = try await held(f)
            #expect(written == 0, "nothing written")
        }
    }

    /// The template the import page offers imports as it stands, so it shows what is accepted.
    @Test(arguments: databases) func theTemplateImportsAsItStands(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            #expect(ImportFile.template.hasPrefix(Self.header + "\r\n"), "the template shows every column")
            let checked = try await f.register.importRecords(
                csv: ImportFile.template, dryRun: true, by: f.hackneyOfficer, for: Self.purpose)
            #expect((checked.subjects, checked.matters, checked.links, checked.intelligence) == (2, 1, 2, 1))
            let written = try await held(f)
            #expect(written == 0, "nothing written")
        }
    }

    /// A feed as people write one: only the columns it uses, in its own order, headers in any
    /// case; a column the layout has not, or one used twice, is named before anything is read.
    @Test(arguments: databases) func aFeedNamesItsColumnsInAnyOrder(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let lines = [
                "Sex,Family_Name,ref,kind,date_of_birth,given_name",
                "female,Orderly,s1,subject,2001-06-02,Ada",
                "male,Shuffle,s2,subject,1998-11-30,Ben",
            ]
            let done = try await f.register.importRecords(csv: Self.csv(lines), dryRun: false, by: f.hackneyOfficer, for: Self.purpose)
            #expect(done.subjects == 2)
            let found = try await f.register.searchSubjects(name: "Orderly", dateOfBirth: nil, by: f.hackneyOfficer, for: Self.purpose)
            #expect(found.map(\.dateOfBirth?.description) == ["2001-06-02"], "the reordered columns were read into the wrong fields")

            let unknown = await violations {
                _ = try await f.register.importRecords(
                    csv: Self.csv(["kind,ref,given_name,colour,given_name", "subject,s9,Cy,red,Cy"]), dryRun: true, by: f.hackneyOfficer,
                    for: Self.purpose)
            }
            #expect(unknown == ["file row 1 csv.column-unknown", "file row 1 csv.column-repeated"], "\(unknown)")
            let missing = await violations {
                _ = try await f.register.importRecords(
                    csv: Self.csv(["kind,given_name", "subject,Di"]), dryRun: true, by: f.hackneyOfficer, for: Self.purpose)
            }
            #expect(missing == ["file row 1 csv.column-missing"], "\(missing)")
        }
    }

    @Test(arguments: databases) func legacyMatrixRowsAreRefusedWithTheRuleTheyFailNeverGuessed(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            // The Matrix held people with no category on a matter and intelligence with no grade.
            let lines = [
                Self.header, Self.person("s1", "Oldlist"),
                Self.row([
                    "kind": "matter", "ref": "m1", "subject": "s1", "matter_kind": "offence", "reference": "CRIS-OLD-1",
                    "offence": "robbery", "occurred_on": "2017-06-01",
                ]),
                Self.row([
                    "kind": "intelligence", "ref": "i1", "subject": "s1", "text": "Gang nominal (legacy list)", "source_type": "police",
                ]),
            ]
            let named = await violations {
                _ = try await f.register.importRecords(csv: Self.csv(lines), dryRun: false, by: f.hackneyOfficer, for: Self.purpose)
            }
            #expect(named.contains { $0.hasPrefix("row 3, category ") }, "\(named)")
            #expect(named.contains { $0.hasPrefix("row 4, grade_") }, "\(named)")
            let held0 = try await held(f)
            #expect(held0 == 0)
        }
    }

    @Test(arguments: databases) func aGoodFileIsImportedAndLoggedAndADryRunWritesNothing(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let text = Self.csv(Self.good)
            let dry = try await f.register.importRecords(csv: text, dryRun: true, by: f.hackneyOfficer, for: Self.purpose)
            #expect(dry.dryRun && dry.rows == 6 && dry.subjects == 2 && dry.links == 2 && dry.flags == 1)
            let held0 = try await held(f)
            #expect(held0 == 0, "a dry run writes nothing")
            let steps = Mutex<[BatchProgress]>([])
            let done = try await f.register.importRecords(
                csv: text, dryRun: false, progress: { step in steps.withLock { $0.append(step) } }, by: f.hackneyOfficer, for: Self.purpose)
            #expect(!done.dryRun && done.subjects == 2 && done.matters == 1 && done.intelligence == 1 && done.flags == 1)
            // The command line's progress: every kind validated, then written, each reaching its total.
            let seen = steps.withLock { $0 }
            for kind in ["subjects", "matters", "links", "intelligence"] {
                #expect(
                    seen.contains(
                        BatchProgress(
                            phase: .validated, kind: kind, done: kind == "subjects" || kind == "links" ? 2 : 1,
                            total: kind == "subjects" || kind == "links" ? 2 : 1)), "\(kind)")
                #expect(seen.last { $0.phase == .written && $0.kind == kind }.map { $0.done == $0.total } == true, "\(kind) \(seen)")
            }
            #expect(
                seen.firstIndex { $0.phase == .written } ?? 0 > seen.lastIndex { $0.phase == .validated } ?? 0, "written before validated")
            let held2 = try await held(f)
            #expect(held2 == 2)
            let log = try await f.register.auditPage(
                AuditFilter(actor: f.hackneyOfficer.id.description, operation: "collection"), by: f.auditor,
                for: RegisterFixture.auditPurpose
            ).entries.map(\.entry).filter { $0.action == "import.records" }
            #expect(log.contains { $0.touched.map(\.description) == ["import/\(done.digest)"] && $0.outcome == "6 rows imported" })
            // The import, two subjects, a matter, two links, an item and a flag.
            #expect(log.count == 8, "\(log.map(\.touched.description))")
        }
    }

    @Test(arguments: databases) func ethnicityInAFeedNeedsTheSensitiveDataPermission(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let lines = [
                Self.header,
                Self.row([
                    "kind": "subject", "ref": "s1", "given_name": "Coded", "family_name": "Person", "date_of_birth": "2001-01-01",
                    "sex": "male", "officer_ethnicity": "IC3",
                ]),
            ]
            do {
                _ = try await f.register.importRecords(csv: Self.csv(lines), dryRun: false, by: f.newhamOfficer, for: Self.purpose)
                Issue.record("recorded ethnicity without the permission")
            } catch RegisterError.denied(let denial) {
                #expect(denial.rule == "permission.sensitive-data")
            }
            #expect(try await f.refusals(of: f.newhamOfficer).last?.action == "import.records")
        }
    }

    /// The import door for the corroboration rule: a feed row citing a label, or a source the
    /// register never issued, is named by row and column, nothing is written, and the attempt is
    /// logged; a row citing a registered source is imported with it.
    @Test(arguments: databases) func aFeedCitesRegisteredSourcesOnly(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            func item(_ source: String) -> [String] {
                [
                    Self.header, Self.person("s1", "Sourcewell"),
                    Self.row([
                        "kind": "intelligence", "ref": "i1", "subject": "s1", "text": "Partner report of a blade at the estate",
                        "grade_source": "2", "grade_assessment": "B", "grade_handling": "P", "source_type": "partner", "source_id": source,
                    ]),
                ]
            }
            for label in ["CHIS-0001", UUID().uuidString] {
                let named = await violations {
                    _ = try await f.register.importRecords(
                        csv: Self.csv(item(label)), dryRun: false, by: f.hackneyOfficer, for: Self.purpose)
                }
                #expect(named == ["row 3, source_id source.registered"], "\(label): \(named)")
            }
            let written = try await held(f)
            #expect(written == 0, "nothing written")
            let refused = try await f.refusals(of: f.hackneyOfficer)
            #expect(refused.filter { $0.action == "import.records" && $0.refusedUnder == "source.registered" }.count == 2)
            let source = try await f.partnerSource()
            _ = try await f.register.importRecords(
                csv: Self.csv(item(source.description)), dryRun: false, by: f.hackneyOfficer, for: Self.purpose)
            let stored = try await f.register.store.lookup { tx in
                try await tx.intelligence(subjects: try await tx.subjects(units: nil, before: nil, limit: 10).map(\.id))
            }
            #expect(stored.map(\.provenance.source) == [source])
        }
    }
}
