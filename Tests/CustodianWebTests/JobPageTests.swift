import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// Long work as a job, met through the pages: watched while it runs (a button to check, no
/// script needed), found again after leaving, its outcome shown once it ends; hidden from
/// everyone else, and from its owner working for another purpose.
@Suite struct JobPageTests {
    static let databases = TestDatabase.available
    static let quality = StatedPurpose(purpose: .dataQuality, justification: "Test: loading the borough's feed")

    static func signedIn(_ pages: LivePages, _ user: User, _ purpose: StatedPurpose = quality) async throws -> LivePages.Browser {
        try await pages.enablePages(for: user)
        let browser = pages.browser()
        _ = try await browser.signIn(user.username)
        _ = try await browser.state(purpose)
        return browser
    }

    @Test(arguments: databases) func aRunningJobShowsItsProgressToItsOwnerAlone(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let officer = try await Self.signedIn(pages, f.hackneyOfficer)
            let (opened, open) = AsyncStream<Void>.makeStream()
            let job = await pages.jobs.start(.import, by: f.hackneyOfficer, for: Self.quality) { report in
                report(WorkProgress(step: "Writing people", done: 7_500, total: 30_000))
                for await _ in opened { break }
                return .failed("the database went away")
            }
            var running = try await officer.get("/jobs/\(job.id)")
            for _ in 0..<200 where !running.html.contains("Writing people") {
                try await Task.sleep(for: .milliseconds(5))
                running = try await officer.get("/jobs/\(job.id)")
            }
            #expect(running.status == 200 && running.html.contains("data-job-state=\"running\""), "\(running)")
            #expect(running.html.contains("7,500 of 30,000") && running.html.contains("value=\"25\""), "\(running)")
            #expect(running.html.contains("href=\"/jobs/\(job.id)\" class=\"button secondary\""), "no way to check again without script")
            let part = try await officer.get("/jobs/\(job.id)/progress")
            #expect(part.status == 200 && part.html.contains("7,500 of 30,000"))
            let list = try await officer.get("/jobs")
            #expect(list.html.contains("/jobs/\(job.id)") && list.html.contains("Running: 25%"), "\(list)")

            // Another officer of the same borough, and the owner working for another purpose.
            let colleague = try await Self.signedIn(pages, f.hackneyColleague)
            for path in ["/jobs/\(job.id)", "/jobs/\(job.id)/progress"] {
                let hidden = try await colleague.get(path)
                #expect(hidden.status == 404 && !hidden.html.contains("Writing people"), "\(path): \(hidden)")
            }
            #expect(try await !colleague.get("/jobs").html.contains("/jobs/\(job.id)"))
            let elsewhere = try await Self.signedIn(
                pages, f.hackneyOfficer, StatedPurpose(purpose: .investigation, justification: "Test: a different piece of work"))
            let refused = try await elsewhere.get("/jobs/\(job.id)")
            #expect(refused.status == 403 && refused.html.contains("data-rule=\"job.purpose\""), "\(refused)")
            #expect(!refused.html.contains("Writing people"), "the progress is shown only for the job's purpose")

            open.finish()
            let stopped = try await officer.finishedJob("/jobs/\(job.id)")
            #expect(stopped.status == 500 && stopped.html.contains("The job stopped") && stopped.html.contains("Nothing was written"))
            #expect(try await officer.get("/jobs").html.contains("Stopped by a fault"))
        }
    }

    /// An import sent from the page is one job: its outcome is there on coming back, and coming
    /// back imports nothing again.
    @Test(arguments: databases) func anImportIsFoundAgainAfterLeavingAndIsDoneOnce(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let officer = try await Self.signedIn(pages, f.hackneyOfficer)
            let form = try await officer.get("/import")
            let feed = [
                ImportFile.columns.joined(separator: ","), ImportPageTests.subject("a", dob: "2002-02-02"),
                ImportPageTests.subject("b", dob: "2001-12-31"),
            ].joined(separator: "\r\n")
            let sent = try await officer.upload("/import", [], file: ("file", "feed.csv", feed), csrfFrom: form)
            #expect(sent.status == 303 && sent.place?.hasPrefix("/jobs/") == true, "\(sent)")
            let done = try await officer.finished(sent)
            #expect(done.status == 200 && done.html.contains("Imported 2 rows"), "\(done)")

            _ = try await officer.get("/subjects")
            let list = try await officer.get("/jobs")
            #expect(list.html.contains(sent.place ?? "-") && list.html.contains("Imported 2 rows"), "\(list)")
            let again = try await officer.get(sent.place ?? "-")
            #expect(again.html.contains("Imported 2 rows"))
            let imports = try await f.register.auditPage(
                AuditFilter(actor: f.hackneyOfficer.id.description, operation: "collection"), by: f.auditor,
                for: RegisterFixture.auditPurpose
            ).entries.filter { $0.entry.action == "import.records" && $0.entry.subjects.isEmpty }
            #expect(imports.count == 1, "coming back to a job does not run it again")
            #expect(try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose).subjects.count == 2)
        }
    }

    /// The whole log's verification and the duplicates scan, each sent from its page, end on
    /// that page with what they found; an officer's scan is refused and the refusal logged.
    @Test(arguments: databases) func verificationAndScanRunAsJobsAndARefusalIsLogged(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let auditor = try await Self.signedIn(pages, f.auditor, RegisterFixture.auditPurpose)
            let audit = try await auditor.get("/audit")
            let verified = try await auditor.finished(auditor.post("/audit/verify", [], csrfFrom: audit))
            #expect(verified.status == 200 && verified.html.contains("The log verifies"), "\(verified)")

            let analyst = try await Self.signedIn(pages, f.analyst)
            let queue = try await analyst.get("/duplicates")
            let scanned = try await analyst.finished(analyst.post("/duplicates/scan", [], csrfFrom: queue))
            #expect(scanned.status == 200 && scanned.html.contains("Scan finished"), "\(scanned)")

            let officer = try await Self.signedIn(pages, f.hackneyOfficer)
            let home = try await officer.get("/jobs")
            let refused = try await officer.finished(officer.post("/duplicates/scan", [], csrfFrom: home))
            #expect(refused.status == 403, "\(refused)")
            #expect(try await f.refusals(of: f.hackneyOfficer).contains { $0.action == "duplicates.scan" })
        }
    }
}
