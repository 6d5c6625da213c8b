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
            // Nor opened by id: the record's page, under enforcement, says to state safeguarding.
            let opened = try await browser.get("/subjects/\(victim)")
            #expect(opened.status == 403 && opened.html.contains("purpose.protected-only"), "\(opened.status)")
            _ = try await browser.state(Self.safeguarding)
            #expect(try await browser.get("/subjects").html.contains("Victimsley"))
            #expect(try await browser.get("/subjects/\(victim)").status == 200)
        }
    }

    /// By id, through every door that reads a person: their record, their history, their
    /// ethnicity, an item about them. Under an enforcement purpose each is refused and logged;
    /// under safeguarding each answers; a suspect, and a person on no matter yet, read as before.
    @Test(arguments: databases) func aVictimIsOpenedByIDForSafeguardingOnly(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let (r, officer) = (f.register, f.hackneyOfficer)
            let victim = try await r.recordSubject(
                RegisterFixture.draft(given: "Ottilie", family: "Byidley", dob: "1994-03-03"), by: officer, for: Self.enforcement)
            _ = try await r.recordMatter(
                MatterDraft(kind: "offence", reference: "CRIS-BYID", offence: "robbery", occurredOn: r.clock.now().day.description),
                linking: victim.description, as: "victim", basis: "fact", by: officer, for: Self.enforcement)
            // Recording about them stays open under the investigation: the victim's account.
            let item = try await r.recordIntelligence(
                IntelligenceDraft(
                    subjectID: victim.description, text: "Victim's account of the robbery",
                    grade: GradeDraft(source: "1", assessment: "A", handling: "P"),
                    basis: "fact", sourceType: "police"),
                by: officer, for: Self.enforcement)
            let doors = [
                "/api/subjects/\(victim)", "/api/subjects/\(victim)/history", "/api/subjects/\(victim)/ethnicity",
                "/api/intelligence/\(item)",
            ]
            for door in doors {
                for purpose in [Self.enforcement, StatedPurpose(purpose: .violencePrevention, justification: "Planning a weapons sweep")] {
                    let refused = try await api.send(.get, door, as: officer, purpose: purpose)
                    #expect(refused.status == 403 && refused.object["rule"] as? String == "purpose.protected-only", "\(door): \(refused)")
                }
                let safeguarded = try await api.send(.get, door, as: officer, purpose: Self.safeguarding)
                #expect(safeguarded.status == 200, "\(door): \(safeguarded)")
            }
            let refusals = try await f.refusals(of: officer).filter { $0.refusedUnder == "purpose.protected-only" }
            #expect(refusals.count == 2 * doors.count && refusals.allSatisfy { $0.subjects == [victim] })
            // The analyst reading across London is held to the same.
            let analyst = try await api.send(.get, "/api/subjects/\(victim)", as: f.analyst, purpose: Self.enforcement)
            #expect(analyst.status == 403 && analyst.object["rule"] as? String == "purpose.protected-only")
            let unlinked = try await r.recordSubject(
                RegisterFixture.draft(given: "Ottilie", family: "Newley", dob: "1994-03-03", ethnicity: false), by: officer,
                for: Self.enforcement)
            #expect(try await api.send(.get, "/api/subjects/\(unlinked)", as: officer, purpose: Self.enforcement).status == 200)
        }
    }
}
