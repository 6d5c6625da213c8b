import CustodianAPI
@_spi(Storage) import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// Erasure finishes the job, by every route: a person on the register who is erased on request
/// is counted as leaving it for equality monitoring, exactly as a removal is; and a request
/// reaches every borough's record of the person, or none, so one borough's copy is never erased
/// while another's stays behind with its link to the first silently gone.
@Suite struct ErasureCompletenessTests {
    static let databases = TestDatabase.available

    static func removals(_ f: RegisterFixture) async throws -> Int {
        let today = f.register.clock.now().day
        return try await f.register.store.lookup { tx in
            try await tx.equalityCounts(from: today.adding(days: -1), until: today.adding(days: 1))
        }
        .filter { $0.stage == .removed && $0.characteristic == .sex }.map(\.count).reduce(0, +)
    }

    @Test(arguments: databases) func anErasureOnRequestCountsThePersonLeavingTheRegister(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let today = f.register.clock.now().day
            let (included, _) = try await RightsAPITests.sharedPerson(f)
            let notIncluded = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Neverincluded", ethnicity: false), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let rights = try api.client(as: f.governance)
            let request = try await RightsAPITests.ready(rights, .erasure, [included, notIncluded], today: today)
            let before = try await Self.removals(f)
            try await Self.erase(api, request)
            #expect(try await Self.removals(f) == before + 1, "one person left the register; the other was never on it")
        }
    }

    @Test(arguments: databases) func aRequestReachesEveryBoroughsRecordOfThePersonOrNone(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let r = f.register
            let today = r.clock.now().day
            let people = try await DuplicateAPITests.record(f)
            _ = try await r.scanForDuplicates(by: f.analyst, for: DuplicateAPITests.dataQuality)
            _ = try await r.decideDuplicate(
                people.hackney, people.newham, verdict: "same", reason: "Same date of birth and a name one vowel apart",
                by: f.analyst, for: DuplicateAPITests.dataQuality)
            let rights = try api.client(as: f.governance)
            let headers = Operations.ConfirmRightsSubjects.Input.Headers(
                custodianPurpose: .subjectRights, custodianJustification: RightsAPITests.reason)

            // Hackney's record alone: refused, naming Newham's, and logged.
            let request = try await rights.openRightsRequest(
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: RightsAPITests.reason),
                body: .json(.init(kind: .erasure, receivedOn: today.description))
            ).created.body.json.id
            _ = try await rights.confirmRightsIdentity(
                path: .init(rightsRequestId: request),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: RightsAPITests.reason),
                body: .json(.init(evidence: "Passport seen at the front counter", confirmedOn: today.description))
            ).ok
            let partial = try await rights.confirmRightsSubjects(
                path: .init(rightsRequestId: request), headers: headers, body: .json(.init(subjectIds: [people.hackney.description])))
            let problem = try partial.unprocessableContent.body.applicationProblemJson
            #expect(problem.violations?.map(\.rule) == ["rights.same-person"])
            #expect(problem.violations?.first?.message.contains(people.newham.description) == true)
            #expect(try await f.refusals(of: f.governance).last?.refusedUnder == "rights.same-person")

            // Both: confirmed, proposed, confirmed by a second person, and both gone.
            _ = try await rights.confirmRightsSubjects(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(.init(subjectIds: [people.hackney.description, people.newham.description]))
            ).ok
            try await Self.erase(api, request)
            let gone = try await r.store.lookup { tx in
                (try await tx.subject(people.hackney), try await tx.subject(people.newham))
            }
            #expect(gone.0 == nil && gone.1 == nil, "a borough's copy of the person survived the erasure")

            // Decided the same person after the people were confirmed: the decision waits for them.
            let (first, lambeth) = people.slips[1]
            let second = try await RightsAPITests.ready(rights, .restriction, [first], today: today)
            _ = try await r.scanForDuplicates(by: f.analyst, for: DuplicateAPITests.dataQuality)
            _ = try await r.decideDuplicate(
                first, lambeth, verdict: "same", reason: "Same PNC number; the Lambeth record uses an alias",
                by: f.analyst, for: DuplicateAPITests.dataQuality)
            let decided = try await rights.decideErasureRequest(
                path: .init(rightsRequestId: second),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: RightsAPITests.reason),
                body: .json(.init(decision: .restrict, outcome: "Restricted while the person contests the account")))
            #expect(try decided.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "rights.same-person")
        }
    }

    /// Proposes erasure as governance and confirms it as the board member.
    static func erase(_ api: LiveAPI, _ request: String) async throws {
        let f = api.fixture
        let headers = Operations.DecideErasureRequest.Input.Headers(
            custodianPurpose: .subjectRights, custodianJustification: RightsAPITests.reason)
        _ = try await api.client(as: f.governance).decideErasureRequest(
            path: .init(rightsRequestId: request), headers: headers,
            body: .json(.init(decision: .erase, outcome: "Erased: no lawful need to keep the records (s.47(1))"))
        ).ok
        let board = try await f.boardMember()
        _ = try await api.adding(board).client(as: board).decideErasureRequest(
            path: .init(rightsRequestId: request), headers: headers,
            body: .json(.init(decision: .erase, outcome: "Confirming my colleague's decision"))
        ).ok
    }
}
