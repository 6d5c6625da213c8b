import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Victims and perpetrators are not one list (the ICO's first finding): under an enforcement
/// purpose (violence prevention, investigation) a person held only as a victim or witness is in
/// no list and no search, by the register, the API or the pages; under safeguarding they are.
/// The entry on the log names only whom the answer showed.
@Suite struct ProtectedPeopleListsTests {
    static let databases = TestDatabase.available
    static let enforcement = StatedPurpose(purpose: .investigation, justification: "Investigating the robbery at the market")
    static let safeguarding = StatedPurpose(purpose: .safeguarding, justification: "Safeguarding the people the robbery harmed")

    @Test(arguments: databases) func aVictimIsInNoEnforcementListOrSearch(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let (r, officer) = (f.register, f.hackneyOfficer)
            let today = r.clock.now().day
            func person(_ family: String, as category: String?) async throws -> SubjectID {
                let id = try await r.recordSubject(
                    RegisterFixture.draft(given: "Ottilie", family: family, dob: "1994-03-03", ethnicity: false), by: officer,
                    for: Self.enforcement)
                if let category {
                    _ = try await r.recordMatter(
                        MatterDraft(
                            kind: "offence", reference: "CRIS-\(family)", offence: "robbery", occurredOn: today.adding(days: -2).description
                        ),
                        linking: id.description, as: category, basis: "fact", by: officer, for: Self.enforcement)
                }
                return id
            }
            let victim = try await person("Victimsley", as: "victim")
            let witness = try await person("Witnessley", as: "witness")
            let suspect = try await person("Suspectley", as: "suspect")
            let unlinked = try await person("Unlinkedley", as: nil)

            let listed = Set(try await r.listSubjects(before: nil, by: officer, for: Self.enforcement).subjects.map(\.id))
            #expect(listed.isSuperset(of: [suspect, unlinked]) && listed.isDisjoint(with: [victim, witness]), "\(listed)")
            let safeguarded = Set(try await r.listSubjects(before: nil, by: officer, for: Self.safeguarding).subjects.map(\.id))
            #expect(safeguarded.isSuperset(of: [victim, witness, suspect, unlinked]))
            #expect(try await r.searchSubjects(name: "Ottilie Victimsley", dateOfBirth: nil, by: officer, for: Self.enforcement).isEmpty)
            #expect(
                try await r.searchSubjects(name: "Ottilie Victimsley", dateOfBirth: nil, by: officer, for: Self.safeguarding).map(\.id)
                    == [victim])

            // Pages are filled past the people hidden, and walk the whole list once.
            var walked: [SubjectID] = []
            var cursor: SubjectID?
            repeat {
                let page = try await r.listSubjects(before: cursor, limit: 1, by: officer, for: Self.enforcement)
                #expect(page.subjects.count == 1 || page.next == nil, "a page came back short with more to come")
                walked += page.subjects.map(\.id)
                cursor = page.next
            } while cursor != nil
            #expect(Set(walked) == listed && walked.count == listed.count, "\(walked) / \(listed)")

            // The log names only whom an answer showed.
            let logged = try await r.auditLog(
                AuditQuery(subject: victim, operation: .consultation), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(logged.allSatisfy { $0.entry.purpose == .safeguarding }, "\(logged.map(\.entry.purpose))")

            // The pages, over HTTP, as the officer states each purpose.
            try await pages.enablePages(for: officer)
            let browser = pages.browser()
            try await browser.signIn("hackney-officer")
            _ = try await browser.state(Self.enforcement)
            let list = try await browser.get("/subjects")
            #expect(list.status == 200 && list.html.contains("Suspectley") && !list.html.contains("Victimsley"), "\(list.status)")
            let search = try await browser.get("/subjects?name=Victimsley")
            #expect(!search.html.contains("/subjects/\(victim)"))
            _ = try await browser.state(Self.safeguarding)
            #expect(try await browser.get("/subjects").html.contains("Victimsley"))
        }
    }
}
