import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Foundation
import Testing

/// What an access answer may say when the law restricts the right as a whole (neither confirm nor
/// deny), and corrections that reach beyond the person's own record: a matter others are linked
/// to, and the category a person holds on it.
@Suite struct RightsAnswerLimitsTests {
    static let databases = TestDatabase.available
    static let reason = RightsAPITests.reason

    @Test(arguments: databases) func neitherConfirmNorDenyTellsThePersonNothingElse(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let today = f.register.clock.now().day
            let (subject, _) = try await RightsAPITests.sharedPerson(f)
            let rights = try api.client(as: f.governance)
            let asRights = Operations.OpenRightsRequest.Input.Headers(custodianPurpose: .subjectRights, custodianJustification: Self.reason)

            // An ordinary answer says that data is held.
            let ordinary = try await RightsAPITests.ready(rights, .access, [subject], today: today)
            let held = try await rights.getAccessAnswer(
                path: .init(rightsRequestId: ordinary),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(held.confirmation == AccessAnswer.held && held.people.count == 1)

            // Identity confirmed, no one confirmed yet: nothing can be compiled...
            let id = try await rights.openRightsRequest(headers: asRights, body: .json(.init(kind: .access, receivedOn: today.description)))
                .created.body.json.id
            _ = try await rights.confirmRightsIdentity(
                path: .init(rightsRequestId: id), headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(.init(evidence: "Passport seen at the front counter", confirmedOn: today.description))
            ).ok
            let early = try await rights.getAccessAnswer(
                path: .init(rightsRequestId: id), headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason))
            _ = try early.conflict
            // ...until governance restricts the right as a whole, with its ground and a review date.
            let restricted = try await rights.withholdRightsItem(
                path: .init(rightsRequestId: id), headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(
                    .init(
                        item: ItemRestriction.wholeAnswer, ground: .prejudiceOffences,
                        necessity: "Confirming would tell a suspect in a live firearms investigation that police hold intelligence",
                        reviewOn: today.adding(days: 90).description))
            ).ok.body.json
            #expect(restricted.neitherConfirmNorDeny)
            let answer = try await rights.getAccessAnswer(
                path: .init(rightsRequestId: id), headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(answer.confirmation == AccessAnswer.neitherConfirmNorDeny)
            #expect(answer.people.isEmpty && answer.withheld.isEmpty, "the answer leaks what it withholds: \(answer.withheld)")
            #expect(answer.rights.contains { $0.contains("s.51") }, "the person is not told they can ask the ICO to check")

            // Only an access request can be answered that way.
            let erasure = try await RightsAPITests.ready(rights, .erasure, [subject], today: today)
            let wrong = try await rights.withholdRightsItem(
                path: .init(rightsRequestId: erasure),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(
                    .init(
                        item: ItemRestriction.wholeAnswer, ground: .prejudiceOffences,
                        necessity: "Trying to neither confirm nor deny an erasure request", reviewOn: today.adding(days: 30).description)))
            #expect(try wrong.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "rights.ncnd-access")
        }
    }

    /// A robbery recorded against the wrong date and a victim recorded as a suspect: the matter is
    /// corrected for everyone linked to it (each recipient recalled), the category is corrected,
    /// and an included person left with no enforcement category is forced into a removal review.
    @Test(arguments: databases) func aMatterAndAPersonsCategoryOnItAreRectified(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let r = f.register
            let today = r.clock.now().day
            let (subject, _) = try await RightsAPITests.sharedPerson(f)
            let officer = try api.client(as: f.hackneyOfficer)
            let read = Operations.GetSubject.Input.Headers(custodianPurpose: .investigation, custodianJustification: Self.reason)
            let linked = try #require(
                try await officer.getSubject(path: .init(subjectId: subject.description), headers: read).ok.body.json.matters.first)
            let other = try await r.recordSubject(
                RegisterFixture.draft(given: "Cuthbert", family: "Alongside", dob: "2001-01-01"), by: f.hackneyOfficer,
                for: RegisterFixture.purpose)
            _ = try await r.link(
                LinkDraft(subjectID: other.description, matterID: linked.matter.id, category: "witness", basis: "fact"),
                by: f.hackneyOfficer,
                for: RegisterFixture.purpose)

            let rights = try api.client(as: f.governance)
            let headers = Operations.Rectify.Input.Headers(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            let request = try await RightsAPITests.ready(rights, .rectification, [subject], today: today)
            let redated = today.adding(days: -12).description
            let matter = try await rights.rectify(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(
                    .init(
                        subjectId: subject.description, kind: .matter, matterId: linked.matter.id,
                        matter: .init(kind: .offence, reference: "CRIS-RAV", offence: .commonAssault, occurredOn: redated))))
            let made = try matter.created.body.json
            #expect(made.before?.contains("robbery") == true && made.after?.contains("common-assault") == true)
            let detail = try await officer.getMatter(
                path: .init(matterId: linked.matter.id),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(detail.matter.offence == .commonAssault && detail.matter.occurredOn == redated)
            #expect(detail.matter.provenance.sourceType == linked.matter.provenance.sourceType, "who recorded it changed")
            // Everyone linked to the matter is named on the alteration.
            let altered = try await r.auditLog(
                AuditQuery(subject: other, operation: .alteration), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(altered.contains { $0.entry.action == "rights.rectify" && $0.entry.subjects.contains(subject) })
            #expect(try await r.recalls(by: f.governance).contains { $0.reason == .correction && $0.isOutstanding })

            // A matter the person is not linked to is not theirs to correct.
            let elsewhere = try await r.recordMatter(
                MatterDraft(kind: "incident", reference: "CAD-ELSEWHERE", offence: nil, occurredOn: today.description),
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let notTheirs = try await rights.rectify(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(
                    .init(
                        subjectId: subject.description, kind: .matter, matterId: elsewhere.description,
                        matter: .init(kind: .incident, reference: "CAD-ELSEWHERE", occurredOn: today.description))))
            _ = try notTheirs.notFound

            let missing = try await rights.rectify(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(.init(subjectId: subject.description, kind: .linkCategory, linkId: linked.link.id)))
            #expect(try missing.unprocessableContent.body.applicationProblemJson.violations?.first?.field == "category")
            let category = try await rights.rectify(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(.init(subjectId: subject.description, kind: .linkCategory, linkId: linked.link.id, category: .victim)))
            let recategorised = try category.created.body.json
            #expect(recategorised.before == "suspect" && recategorised.after == "victim")
            // Now a victim only: opened by id for safeguarding, no longer for enforcement.
            _ = try await officer.getSubject(path: .init(subjectId: subject.description), headers: read).forbidden
            let safeguarding = Operations.GetSubject.Input.Headers(custodianPurpose: .safeguarding, custodianJustification: Self.reason)
            let now = try await officer.getSubject(path: .init(subjectId: subject.description), headers: safeguarding).ok.body.json
            #expect(now.categories.map(\.category) == [.victim] && now.protectedOnly)
            let queue = try await r.reviewQueue(by: f.hackneySPOC, for: RegisterFixture.purpose)
            #expect(
                queue.contains { $0.inclusion.subjectID == subject && $0.inclusion.removalReviewRequired },
                "an included victim was not forced into a removal review")
        }
    }
}

extension RightsAnswerLimitsTests {
    /// The rights team finds a requester by PNC id however their name was spelt, across London;
    /// an officer's PNC search stays within their borough; every search is logged with who it found.
    @Test(arguments: databases) func aPersonIsFoundByPNCIdWhateverTheirNameIsSpelt(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            var draft = RegisterFixture.draft(given: "Wilhelmina", family: "Throckmorton", dob: "1999-09-09")
            draft.pncID = "99/0000042Z"
            let subject = try await f.register.recordSubject(draft, by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let rights = try api.client(as: f.governance)
            let headers = Operations.SearchSubjects.Input.Headers(custodianPurpose: .subjectRights, custodianJustification: Self.reason)

            // The person says their name is "Mina Frogmorton": no name match, but the PNC id finds them.
            #expect(try await rights.searchSubjects(query: .init(name: "Mina Frogmorton"), headers: headers).ok.body.json.isEmpty)
            let found = try await rights.searchSubjects(query: .init(name: "Mina Frogmorton", pncId: "99/0000042z"), headers: headers)
                .ok.body.json
            #expect(found.map(\.id) == [subject.description])
            #expect(try await rights.searchSubjects(query: .init(pncId: "99/ 0000042Z"), headers: headers).ok.body.json.count == 1)
            let blank = try await rights.searchSubjects(query: .init(pncId: "   "), headers: headers)
            #expect(try blank.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "search.pnc")
            // What the contract refuses, the domain refuses too (schemathesis found a long one accepted).
            for hostile in [String(repeating: "9", count: 21), "99/00<script>", "99;DROP"] {
                let refused = try await rights.searchSubjects(query: .init(pncId: hostile), headers: headers)
                #expect(try refused.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "search.pnc", "\(hostile)")
            }

            let newham = try await api.client(as: f.newhamOfficer).searchSubjects(
                query: .init(pncId: "99/0000042Z"),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(newham.isEmpty, "a Newham officer found a Hackney person by PNC id")
            let logged = try await f.register.auditLog(
                AuditQuery(subject: subject, operation: .consultation), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(logged.filter { $0.entry.action == "subject.search" }.count == 2)
        }
    }
}
