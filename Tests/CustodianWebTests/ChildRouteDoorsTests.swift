import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The child route attaches to the flag itself (`Monitor.flag`), not to the flag's own use case.
/// Doors that can place a flag, each tried here with a child of 15, someone of unknown age and a
/// child of 9, and an adult as the control:
/// - a feed through the API (`POST /api/imports`)
/// - a feed uploaded on the import page
/// - a batch as the command line and the demo loader send it (`Register.recordBatch`)
/// (`POST /api/flags` and a child action's second step: `ChildRouteAPITests`.)
@Suite struct ChildRouteDoorsTests {
    static let databases = TestDatabase.available

    /// A feed of one person suspected of carrying a blade, with a knife-carrier flag on that matter.
    static func feed(_ family: String, dob: String, today: LocalDate) -> String {
        func row(_ values: [String: String]) -> String {
            ImportFile.columns.map { values[$0] ?? "" }.joined(separator: ",")
        }
        return [
            ImportFile.columns.joined(separator: ","),
            row(["kind": "subject", "ref": "p", "given_name": "Feed", "family_name": family, "date_of_birth": dob, "sex": "male"]),
            row([
                "kind": "matter", "ref": "m", "subject": "p", "matter_kind": "offence", "reference": "CRIS-\(family)",
                "offence": "bladed-article-possession", "occurred_on": today.adding(days: -5).description, "category": "suspect",
            ]),
            row(["kind": "flag", "ref": "f", "subject": "p", "flag": "knife-carrier", "evidence": "m"]),
        ].joined(separator: "\n")
    }

    static func born(yearsAgo years: Int, _ today: LocalDate) -> String { today.adding(days: -(years * 366 + 10)).description }

    static func refusals(_ f: RegisterFixture, _ action: String) async throws -> [AuditEntry] {
        try await f.register.auditPage(
            AuditFilter(operation: "refusal"), by: f.auditor, for: RegisterFixture.auditPurpose
        ).entries.map(\.entry).filter { $0.action == action }
    }

    static func subjects(_ f: RegisterFixture) async throws -> Int {
        try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose).subjects.count
    }

    @Test(arguments: databases) func aFeedThroughTheAPICannotFlagAChildOrSomeoneOfUnknownAge(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let today = f.register.clock.now().day
            for (family, dob, rule) in [
                ("Fifteen", Self.born(yearsAgo: 15, today), "child.route"), ("Unknownage", "", "child.route"),
                ("Nine", Self.born(yearsAgo: 9, today), "child.minimum-age"),
            ] {
                let refused = try await api.send(
                    .post, "/api/imports", as: f.hackneyOfficer, json: ["csv": Self.feed(family, dob: dob, today: today)])
                #expect(refused.status == 422 && refused.violatedRules == [rule], "\(family): \(refused)")
                #expect(refused.violatedFields == ["row 4, subject"], "\(family): the flag's row is named")
                #expect(try await Self.subjects(f) == 0, "\(family): a refused feed wrote something")
            }
            let logged = try await Self.refusals(f, "import.records")
            #expect(logged.count == 3 && logged.allSatisfy { $0.actor == f.hackneyOfficer.id }, "\(logged)")
            #expect(logged.filter { $0.outcome?.hasPrefix("child.route: ") == true }.count == 2, "\(logged.map(\.outcome))")

            // The control: an adult in the same feed is flagged.
            let adult = try await api.send(
                .post, "/api/imports", as: f.hackneyOfficer,
                json: ["csv": Self.feed("Adult", dob: Self.born(yearsAgo: 30, today), today: today)])
            #expect(adult.status == 200 && adult.object["flags"] as? Int == 1, "\(adult)")
        }
    }

    @Test(arguments: databases) func aBatchAsTheCommandLineSendsItCannotFlagAChild(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let today = f.register.clock.now().day
            func batch(dob: String?) -> RecordBatch {
                var b = RecordBatch()
                b.subjects = [
                    .init(ref: "p", draft: SubjectDraft(names: [.init(given: "Batch", family: "Child")], dateOfBirth: dob, sex: "male"))
                ]
                b.matters = [
                    .init(
                        ref: "m",
                        draft: MatterDraft(
                            kind: "offence", reference: "CRIS-BATCH", offence: "bladed-article-possession",
                            occurredOn: today.adding(days: -3).description))
                ]
                b.links = [.init(subject: "p", matter: "m", category: "suspect", basis: "fact")]
                b.flags = [.init(subject: "p", kind: "knife-carrier", intelligence: [], matters: ["m"])]
                return b
            }
            for dob in [Self.born(yearsAgo: 16, today), nil] {
                do {
                    _ = try await f.register.recordBatch(batch(dob: dob), by: f.hackneyOfficer, for: RegisterFixture.purpose)
                    Issue.record("a child was flagged in a batch (\(dob ?? "no date of birth"))")
                } catch RegisterError.invalid(let violations) {
                    #expect(violations.map(\.rule) == ["child.route"] && violations.map(\.field) == ["flags[0].subject"], "\(violations)")
                }
            }
            #expect(try await Self.subjects(f) == 0)
            #expect(try await Self.refusals(f, "batch.record").count == 2)
            let adult = try await f.register.recordBatch(
                batch(dob: Self.born(yearsAgo: 25, today)), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            #expect(adult.records == 4, "the control: an adult's subject, matter, link and flag")
        }
    }

    @Test(arguments: databases) func aFeedUploadedOnThePageCannotFlagAChild(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.hackneyOfficer)
            let officer = pages.browser()
            try await officer.signIn(f.hackneyOfficer.username)
            _ = try await officer.state(StatedPurpose(purpose: .dataQuality, justification: "Test: loading the borough's feed"))
            let form = try await officer.get("/import")
            let today = f.register.clock.now().day
            let refused = try await officer.finished(
                officer.upload(
                    "/import", [], file: ("file", "feed.csv", Self.feed("Pagechild", dob: Self.born(yearsAgo: 14, today), today: today)),
                    csrfFrom: form))
            #expect(refused.status == 422 && refused.html.contains("child.route") && refused.html.contains("row 4, subject"), "\(refused)")
            #expect(try await Self.subjects(f) == 0)
            #expect(try await Self.refusals(f, "import.records").count == 1)
        }
    }
}
