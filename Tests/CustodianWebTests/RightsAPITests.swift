import CustodianAPI
import CustodianCore
import CustodianTestSupport
import Crypto
import Foundation
import HTTPTypes
import Testing

/// A person's access request answered through the API (the generated client), on both databases:
/// found, confirmed by a person, answered with the data and its origin, and with a receipt for
/// every disclosure that an outside RFC 6962 verifier accepts.
@Suite struct RightsAPITests {
    static let databases = TestDatabase.available
    static let reason = "Subject access request SAR-2026-001"

    /// A Hackney person with a robbery (suspect) and a partner's graded report, included and shared
    /// with a youth offending team under an approved agreement. Returns the person and the report.
    static func sharedPerson(_ f: RegisterFixture) async throws -> (SubjectID, IntelligenceID) {
        let r = f.register
        let officer = f.hackneyOfficer
        let purpose = RegisterFixture.purpose
        let today = r.clock.now().day
        let partner = try await r.registerPartner(
            PartnerDraft(
                name: "Hackney Youth Offending Team", kind: "youth-offending-team", statutory: true,
                recipientIDs: [f.partner.id.description],
                ageRecipient: AgeRecipient(publicKey: Curve25519.KeyAgreement.PrivateKey().publicKey).description), by: f.governance)
        let agreement = try await r.draftAgreement(
            SharingAgreement(
                id: AgreementID(UUID()), title: "Hackney YOT diversion", partners: [partner.id],
                purpose: "Diverting young people from violence",
                legalPower: "Crime and Disorder Act 1998 s.115", fields: [.name, .dateOfBirth, .matters],
                categories: [.suspect, .convicted],
                bands: [.red, .amber], safeguarding: false, handlingConditions: nil, onwardSharing: false, retentionDays: 60,
                securityTerms: "YOT case system only", signatories: ["Borough Commander", "YOT Manager"], startsOn: today.adding(days: -1),
                reviewOn: today.adding(days: 90), expiresOn: today.adding(days: 180), status: .draft, approvals: [], reviews: [],
                draftedBy: f.governance.id), by: f.governance)
        let board = try await f.boardMember()
        _ = try await r.approveAgreement(agreement.id, by: f.governance)
        _ = try await r.approveAgreement(agreement.id, by: board)
        let subject = try await r.recordSubject(
            RegisterFixture.draft(given: "Perpetua", family: "Ravensworth", dob: "2003-03-03"), by: officer, for: purpose)
        let matter = try await r.recordMatter(
            MatterDraft(kind: "offence", reference: "CRIS-RAV", offence: "robbery", occurredOn: today.adding(days: -10).description),
            linking: subject.description, as: "suspect", basis: "fact", by: officer, for: purpose)
        let item = try await r.recordIntelligence(
            IntelligenceDraft(
                subjectID: subject.description, text: "Partner report of robberies near the market",
                grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner",
                sourceID: try await f.partnerSource().description),
            by: f.hackneyColleague, for: purpose)
        let inclusion = try await r.proposeInclusion(
            InclusionDraft(
                subjectID: subject.description, intelligenceIDs: [item.description], matterIDs: [matter.description],
                rationale: "Robbery and a partner's report: two independent sources"), by: officer, for: purpose)
        _ = try await r.decideInclusion(
            inclusion.id, approve: true, reason: "Threshold met at the borough panel", by: f.hackneySPOC, for: purpose)
        _ = try await r.assessHarm(of: subject, by: officer, for: purpose)
        let share = try await r.requestShare(
            ShareDraft(agreementID: agreement.id.description, partnerID: partner.id.description, subjectIDs: [subject.description]),
            by: officer, for: purpose)
        let decided = try await r.decideShare(
            share.id, approve: true, reason: "Proportionate, recorded at panel", by: f.hackneySPOC, for: purpose)
        try #require(decided.disclosureID != nil, "the share did not go: \(decided.outcomes)")
        return (subject, item)
    }

    @Test(arguments: databases) func anAccessRequestIsAnsweredWithVerifiableReceipts(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let (subject, item) = try await Self.sharedPerson(f)
            let rights = try api.client(as: f.governance)
            let asRights = Operations.OpenRightsRequest.Input.Headers(custodianPurpose: .subjectRights, custodianJustification: Self.reason)

            // Only the rights team: an officer is refused, and the refusal is logged.
            let officer = try await api.client(as: f.hackneyOfficer).listRightsRequests(
                headers: .init(custodianPurpose: .violencePrevention, custodianJustification: Self.reason))
            #expect(try officer.forbidden.body.applicationProblemJson.rule == "rights.governance")
            #expect(try await f.refusals(of: f.hackneyOfficer).last?.action == "rights.list")

            let today = f.register.clock.now().day
            let opened = try await rights.openRightsRequest(
                headers: asRights,
                body: .json(
                    .init(
                        kind: .access, receivedOn: today.description,
                        requester: .init(name: "Perpetua Ravensworth", reference: "PR-1", contact: "14 Ashgrove Road, London E8 1AA"))))
            var request = try opened.created.body.json
            #expect(request.status == .awaitingIdentity && request.dueOn == nil)
            let requestID = request.id
            let early = try await rights.getAccessAnswer(
                path: .init(rightsRequestId: requestID),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason))
            _ = try early.conflict

            request = try await rights.confirmRightsIdentity(
                path: .init(rightsRequestId: requestID),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(.init(evidence: "Passport and a utility bill seen at the front counter", confirmedOn: today.description))
            ).ok.body.json
            #expect(request.status == .open && request.dueOn == StatutoryPeriod.deadline(startingOn: today).description)

            // Found across London by name, then confirmed by a person (logged as combination).
            let found = try await rights.searchSubjects(
                query: .init(name: "Ravensworth"), headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(found.map(\.id) == [subject.description])
            request = try await rights.confirmRightsSubjects(
                path: .init(rightsRequestId: requestID),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(.init(subjectIds: [subject.description]))
            ).ok.body.json
            let combined = try await f.register.auditLog(
                AuditQuery(subject: subject, operation: .combination), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(combined.first?.entry.action == "rights.subjects")

            let answer = try await rights.getAccessAnswer(
                path: .init(rightsRequestId: requestID),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            let person = try #require(answer.people.first)
            #expect(person.names == ["Perpetua Ravensworth"] && person.dateOfBirth == "2003-03-03" && person.borough == "Hackney")
            let robbery = try #require(person.items.first { $0.kind == .matter })
            #expect(robbery.category == "Suspect" && robbery.basis == .fact && robbery.description.contains("CRIS-RAV"))
            let report = try #require(person.items.first { $0.ref == "intelligence/\(item)" })
            #expect(report.basis == .assessment && report.grade == "2B P" && report.origin.sourceType == .partner)
            let printed = String(decoding: try JSONEncoder().encode(answer), as: UTF8.self)
            #expect(!printed.contains("YOT case 4471"), "a source reference was disclosed to the person")
            #expect(answer.rights.contains { $0.contains("Information Commissioner") } && answer.withheld.isEmpty)
            // The whole record: what was derived (the score, marked an assessment, with its working),
            // what was decided (with reasons, not deciders), ethnicity as recorded, and who asked.
            let score = try #require(person.assessments.first, "the harm score is missing from the answer")
            #expect(score.marker == AccessAnswer.assessmentMarker && !score.lines.isEmpty && score.rulebookVersion == 1)
            #expect(person.decisions.map(\.what).prefix(2) == ["Proposed for inclusion", "Approved by the borough's supervisor"])
            #expect(!printed.contains(f.hackneySPOC.id.description) && !printed.contains(f.hackneyOfficer.id.description))
            #expect(person.ethnicity.contains { $0.hasPrefix("Officer-defined ethnicity") }, "\(person.ethnicity)")
            #expect(answer.requester?.name == "Perpetua Ravensworth" && answer.requester?.reference == "PR-1")
            #expect(person.registerStatus.hasSuffix(AccessAnswer.inclusionMarker), "\(person.registerStatus)")

            // Every disclosure carries a receipt an outside verifier accepts.
            let sent = try #require(person.recipients.first { $0.action == "share.decide" })
            #expect(sent.agreement == "Hackney YOT diversion" && sent.fields == ["date-of-birth", "matters", "name"])
            let receipt = sent.receipt
            let canonical = try #require(receipt.canonicalEntry.flatMap { Data(base64Encoded: $0) }, "a receipt with no entry")
            #expect(receipt.leafHash == Data(RFC6962.leaf([UInt8](canonical))).base64EncodedString())
            // The entry names the person by a digest they recompute from their own id and salt...
            let digests = try #require(ReceiptReader.subjectDigests([UInt8](canonical)), "not a version 3 leaf")
            let salt = try #require(receipt.subjectSalt.flatMap { Data(base64Encoded: $0) })
            let position = try #require(receipt.subjectPosition)
            #expect(receipt.subjectId == subject.description && digests.indices.contains(position))
            #expect(digests[position] == ReceiptReader.digest(of: subject.uuid, salt: [UInt8](salt)))
            // ...and shows no staff id and no staff free text: those are digests too.
            for staff in [f.hackneySPOC.id.uuid, f.hackneyOfficer.id.uuid] {
                #expect(canonical.range(of: withUnsafeBytes(of: staff.uuid) { Data($0) }) == nil, "the receipt shows a staff id")
            }
            #expect(canonical.range(of: Data("Proportionate, recorded at panel".utf8)) == nil, "the receipt shows the justification")
            // The auditor still reads the whole entry from the log.
            let logged = try #require(
                try await f.register.auditLog(
                    AuditQuery(subject: subject, operation: .disclosure), by: f.auditor, for: RegisterFixture.auditPurpose
                )
                .first { $0.sequence == receipt.leafIndex })
            #expect(logged.entry.subjects.contains(subject) && logged.entry.actor == f.hackneySPOC.id)
            // The key as an outsider gets it: published without sign-in.
            let published = try await api.send(.get, "/.well-known/custodian/keys", as: nil, purpose: nil)
            let encodedKey = try #require(published.object["publicKey"] as? String, "\(published)")
            let key = [UInt8](try #require(Data(base64Encoded: encodedKey)))
            let (_, size, root) = try #require(RFC6962.openCheckpoint(receipt.checkpoint, publicKey: key), "the checkpoint's signature")
            #expect(size == Int(receipt.treeSize))
            let path = try receipt.proof.map { try #require(Data(base64Encoded: $0)).map { $0 } }
            #expect(
                RFC6962.verifyInclusion(
                    leafHash: RFC6962.leaf([UInt8](canonical)), index: Int(receipt.leafIndex), size: size, path: path, root: root))
            var forged = [UInt8](canonical)
            forged[forged.count - 1] ^= 1
            #expect(
                !RFC6962.verifyInclusion(leafHash: RFC6962.leaf(forged), index: Int(receipt.leafIndex), size: size, path: path, root: root))

            // The person's disclosure history, for the rights team (an officer is refused).
            let history = try await rights.getDisclosureHistory(
                path: .init(subjectId: subject.description),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(history.map(\.action).contains("share.decide") && history.allSatisfy { $0.agreement == "Hackney YOT diversion" })
            let notOfficers = try await api.client(as: f.hackneyOfficer).getDisclosureHistory(
                path: .init(subjectId: subject.description),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            #expect(try notOfficers.forbidden.body.applicationProblemJson.rule == "rights.governance")

            // An item withheld on a s.45(4) ground leaves the answer, which says so.
            _ = try await rights.withholdRightsItem(
                path: .init(rightsRequestId: requestID),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(
                    .init(
                        item: "intelligence/\(item)", ground: .prejudiceOffences,
                        necessity: "Disclosing it now would reveal a live partner referral", reviewOn: today.adding(days: 90).description))
            ).ok
            let withheld = try await rights.getAccessAnswer(
                path: .init(rightsRequestId: requestID),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(withheld.people.first?.items.contains { $0.ref == "intelligence/\(item)" } == false)
            #expect(withheld.withheld.first == "1 item(s) withheld" && withheld.withheld.contains { $0.hasPrefix("s.45(4)(b)") })

            let closed = try await rights.closeRightsRequest(
                path: .init(rightsRequestId: requestID),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(.init(refused: false, outcome: "Answered in writing by recorded post, one item withheld"))
            ).ok.body.json
            #expect(closed.status == .answered && closed.closedOn == today.description && !closed.overdue)
        }
    }
}

extension RightsAPITests {
    /// A request taken to the point of decision: identity confirmed, the people confirmed.
    static func ready(_ client: Client, _ kind: Components.Schemas.RightsRequestKind, _ people: [SubjectID], today: LocalDate) async throws
        -> String
    {
        let headers = Operations.OpenRightsRequest.Input.Headers(custodianPurpose: .subjectRights, custodianJustification: reason)
        let id = try await client.openRightsRequest(headers: headers, body: .json(.init(kind: kind, receivedOn: today.description)))
            .created.body.json.id
        _ = try await client.confirmRightsIdentity(
            path: .init(rightsRequestId: id), headers: .init(custodianPurpose: .subjectRights, custodianJustification: reason),
            body: .json(.init(evidence: "Driving licence seen at the front counter", confirmedOn: today.description))
        ).ok
        _ = try await client.confirmRightsSubjects(
            path: .init(rightsRequestId: id), headers: .init(custodianPurpose: .subjectRights, custodianJustification: reason),
            body: .json(.init(subjectIds: people.map(\.description)))
        ).ok
        return id
    }

    /// Erasure on request reaches anyone on the register: a person held only as a victim, and a
    /// person who was shared (whose recipient is told to delete). Restriction takes a witness out of
    /// use. Each closes in writing, and each step is on the log.
    @Test(arguments: databases) func anyoneIsErasedOrRestrictedOnRequest(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let r = f.register
            let officer = f.hackneyOfficer
            let purpose = RegisterFixture.purpose
            let today = r.clock.now().day
            let (shared, _) = try await Self.sharedPerson(f)
            func held(_ family: String, as category: String) async throws -> SubjectID {
                let subject = try await r.recordSubject(
                    RegisterFixture.draft(given: "Ottoline", family: family, dob: "1990-05-05"), by: officer, for: purpose)
                _ = try await r.recordMatter(
                    MatterDraft(kind: "incident", reference: "CAD-\(family)", offence: nil, occurredOn: today.adding(days: -3).description),
                    linking: subject.description, as: category, basis: "fact", by: officer, for: purpose)
                return subject
            }
            let victim = try await held("Victimova", as: "victim")
            let witness = try await held("Witnessby", as: "witness")
            let rights = try api.client(as: f.governance)
            let asRights = Operations.DecideErasureRequest.Input.Headers(
                custodianPurpose: .subjectRights, custodianJustification: Self.reason)

            let erasure = try await Self.ready(rights, .erasure, [victim, shared], today: today)
            // Erasure cannot be undone: the first member of the rights team proposes it, and the
            // people are still held until a second confirms exactly what was proposed.
            let wording = "Erased: no lawful need to keep either record (s.47(1))"
            let proposed = try await rights.decideErasureRequest(
                path: .init(rightsRequestId: erasure), headers: asRights, body: .json(.init(decision: .erase, outcome: wording)))
            let pending = try proposed.ok.body.json
            #expect(pending.status == .open)
            #expect(pending.erasureProposal?.outcome == wording)
            #expect(pending.erasureProposal?.proposedBy == f.governance.id.description)
            let reads = try api.client(as: officer)
            // A victim is opened by id for safeguarding only.
            _ = try await reads.getSubject(
                path: .init(subjectId: victim.description),
                headers: .init(custodianPurpose: .safeguarding, custodianJustification: Self.reason)
            ).ok
            let again = try await rights.decideErasureRequest(
                path: .init(rightsRequestId: erasure), headers: asRights, body: .json(.init(decision: .erase, outcome: wording)))
            #expect(try again.forbidden.body.applicationProblemJson.rule == "four-eyes.erasure")
            #expect(try await f.refusals(of: f.governance).last?.outcome?.hasPrefix("four-eyes.erasure") == true)
            let board = try await f.boardMember()
            let second = try await api.adding(board).client(as: board)
            let erased = try await second.decideErasureRequest(
                path: .init(rightsRequestId: erasure), headers: asRights,
                body: .json(.init(decision: .erase, outcome: "Confirming my colleague's decision to erase both records")))
            let closed = try erased.ok.body.json
            #expect(closed.status == .answered)
            #expect(closed.outcome == wording, "what takes effect is what was proposed")
            #expect(closed.erasureProposal == nil)
            for gone in [victim, shared] {
                let read = try await reads.getSubject(
                    path: .init(subjectId: gone.description),
                    headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
                _ = try read.notFound
                let logged = try await r.auditLog(
                    AuditQuery(subject: gone, operation: .erasure), by: f.auditor, for: RegisterFixture.auditPurpose)
                #expect(logged.count == 1, "the erasure of \(gone) is not on the log")
            }
            let recalls = try await r.recalls(by: f.governance)
            #expect(recalls.contains { $0.reason == .removal && $0.isOutstanding }, "the recipient was not told to delete")

            let restriction = try await Self.ready(rights, .restriction, [witness], today: today)
            let wrong = try await rights.decideErasureRequest(
                path: .init(rightsRequestId: restriction), headers: asRights,
                body: .json(.init(decision: .erase, outcome: "Erasing instead of restricting, which is not what was asked")))
            #expect(try wrong.unprocessableContent.body.applicationProblemJson.violations?.first?.rule == "rights.decision")
            _ = try await rights.decideErasureRequest(
                path: .init(rightsRequestId: restriction), headers: asRights,
                body: .json(.init(decision: .restrict, outcome: "Restricted while the person contests the account of the incident"))
            ).ok
            let restricted = try await reads.getSubject(
                path: .init(subjectId: witness.description),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason))
            #expect(try restricted.forbidden.body.applicationProblemJson.rule == "subject.restricted")
        }
    }
}

extension RightsAPITests {
    /// A request past its month shows as overdue in the list and on governance's dashboard; a
    /// request still awaiting identity has no clock running and is never overdue.
    @Test(arguments: databases) func anOverdueRequestShowsOnTheDashboard(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            let rights = try api.client(as: f.governance)
            let subject = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Latecomer"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            _ = try await Self.ready(rights, .access, [subject], today: f.register.clock.now().day)
            _ = try await rights.openRightsRequest(
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason),
                body: .json(.init(kind: .erasure, receivedOn: f.register.clock.now().day.description))
            ).created
            clock.advance(seconds: 40 * 86_400)
            let listed = try await rights.listRightsRequests(
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(listed.map(\.overdue).sorted { !$0 && $1 } == [false, true], "\(listed.map(\.status))")
            let today = f.register.clock.now().day
            let board = try await rights.getDashboard(
                query: .init(from: today.adding(days: -90).description, until: today.description),
                headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(board.rightsRequestsOverdue == 1)
        }
    }
}

extension RightsAPITests {
    /// A correction under a rectification request: the record changes in place, the old name no
    /// longer finds the person, the before and after are kept, the recipient of the old version is
    /// recalled, and a contested item gets a statement the person's next answer carries.
    @Test(arguments: databases) func aRecordIsRectifiedAndItsRecipientRecalled(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let today = f.register.clock.now().day
            let (subject, item) = try await Self.sharedPerson(f)
            let rights = try api.client(as: f.governance)
            let headers = Operations.Rectify.Input.Headers(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            let request = try await Self.ready(rights, .rectification, [subject], today: today)

            let renamed = try await rights.rectify(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(
                    .init(
                        subjectId: subject.description, kind: .personalDetails,
                        personalDetails: .init(
                            names: [.init(given: "Perpetua", family: "Quintrell")], dateOfBirth: "2003-03-04", sex: .female))))
            let change = try renamed.created.body.json
            #expect(change.before?.contains("Ravensworth") == true && change.after?.contains("Quintrell") == true)
            let find = Operations.SearchSubjects.Input.Headers(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            #expect(
                try await rights.searchSubjects(query: .init(name: "Quintrell"), headers: find).ok.body.json.map(\.id) == [
                    subject.description
                ])
            // The old name (which sounds nothing like the new) no longer finds the person.
            #expect(try await rights.searchSubjects(query: .init(name: "Ravensworth"), headers: find).ok.body.json.isEmpty)
            let officerRead = try await api.client(as: f.hackneyOfficer).getSubject(
                path: .init(subjectId: subject.description),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(officerRead.names.map(\.family) == ["Quintrell"] && officerRead.dateOfBirth == "2003-03-04")
            let recalls = try await f.register.recalls(by: f.governance)
            #expect(recalls.contains { $0.reason == .correction && $0.isOutstanding }, "the recipient of the old version was not recalled")

            let regraded = try await rights.rectify(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(
                    .init(
                        subjectId: subject.description, kind: .intelligence, intelligenceId: item.description,
                        text: "Partner report of one robbery near the market", grade: .init(source: "3", assessment: "C", handling: "P"))))
            #expect(try regraded.created.body.json.before?.hasPrefix("2B P") == true)
            let corrected = try await api.client(as: f.hackneyOfficer).getIntelligence(
                path: .init(intelligenceId: item.description),
                headers: .init(custodianPurpose: .investigation, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(corrected.text == "Partner report of one robbery near the market" && corrected.grade.code == "3C P")

            _ = try await rights.rectify(
                path: .init(rightsRequestId: request), headers: headers,
                body: .json(
                    .init(
                        subjectId: subject.description, kind: .statement,
                        text: "I was at work on the day of the robbery, as my employer records",
                        ref: "intelligence/\(item)"))
            ).created
            let logged = try await f.register.auditLog(
                AuditQuery(subject: subject, operation: .alteration), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(logged.filter { $0.entry.action == "rights.rectify" }.count == 3)

            // A statement stands beside an item the person holds: not a label, not another
            // person's item, not a path made up to land in the log's touched records.
            let other = try await f.register.recordSubject(
                RegisterFixture.draft(given: "Odile", family: "Penhallow", dob: "2001-01-01"), by: f.hackneyOfficer,
                for: RegisterFixture.purpose)
            let othersItem = try await f.register.recordIntelligence(
                IntelligenceDraft(
                    subjectID: other.description, text: "Seen with a knife",
                    grade: GradeDraft(source: "2", assessment: "B", handling: "P"),
                    sourceType: "partner"),
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            for ref in ["CHIS-0001", "intelligence/\(othersItem)", "subject/\(subject)/../audit-log", "nonsense/\(item)", ""] {
                let refused = try await rights.rectify(
                    path: .init(rightsRequestId: request), headers: headers,
                    body: .json(.init(subjectId: subject.description, kind: .statement, text: "I contest this item entirely", ref: ref)))
                let problem = try refused.unprocessableContent.body.applicationProblemJson
                #expect(problem.violations?.map(\.field) == ["ref"], "\(ref)")
                #expect(problem.violations?.first?.rule == (ref.isEmpty ? "required" : "rights.item-held"), "\(ref)")
            }
            let refusals = try await f.register.auditLog(
                AuditQuery(subject: subject, operation: .refusal), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(refusals.filter { $0.entry.refusedUnder == "rights.item-held" }.count == 4)

            // Not under another kind of request.
            let access = try await Self.ready(rights, .access, [subject], today: today)
            let wrongKind = try await rights.rectify(
                path: .init(rightsRequestId: access), headers: headers,
                body: .json(.init(subjectId: subject.description, kind: .statement, text: "A statement under the wrong request", ref: "x")))
            _ = try wrongKind.conflict
            let answer = try await rights.getAccessAnswer(
                path: .init(rightsRequestId: access), headers: .init(custodianPurpose: .subjectRights, custodianJustification: Self.reason)
            ).ok.body.json
            #expect(answer.people.first?.statements.first?.contains("I was at work") == true)
            #expect(answer.people.first?.names == ["Perpetua Quintrell"])
        }
    }
}

/// The same journey on the pages, as the rights team works it, through real HTTP.
@Suite struct RightsPageTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func theRightsTeamAnswersARequestOnThePages(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            _ = try await RightsAPITests.sharedPerson(f)
            try await pages.enablePages(for: f.governance)
            try await pages.enablePages(for: f.hackneyOfficer)

            let officer = pages.browser()
            try await officer.signIn(f.hackneyOfficer.username)
            try await officer.state(RegisterFixture.purpose)
            #expect(try await officer.get("/rights").status == 403, "an officer reached the rights pages")

            let rights = pages.browser()
            try await rights.signIn(f.governance.username)
            try await rights.state(StatedPurpose(purpose: .subjectRights, justification: "Subject access request SAR-2026-002"))
            let list = try await rights.get("/rights")
            #expect(list.status == 200 && list.html.contains("Record a request"), "\(list)")
            let today = f.register.clock.now().day.description
            let nameless = try await rights.post("/rights", [("kind", "access"), ("receivedOn", today)], csrfFrom: list)
            #expect(nameless.status == 422 && nameless.html.contains("requester.name"), "the letter needs someone to go to")
            let opened = try await rights.post(
                "/rights",
                [
                    ("kind", "access"), ("receivedOn", today), ("requester.name", "Perpetua Ravensworth"),
                    ("requester.reference", "PR/SAR/1"), ("requester.contact", "14 Ashgrove Road, London E8 1AA"),
                ], csrfFrom: list)
            let path = try #require(opened.place, "\(opened)")
            let bad = try await rights.post(
                path + "/identity", [("evidence", "seen"), ("confirmedOn", today)], csrfFrom: try await rights.get(path))
            #expect(bad.status == 422 && bad.html.contains("rights.identity"), "\(bad)")
            _ = try await rights.post(
                path + "/identity", [("evidence", "Passport seen at the front counter"), ("confirmedOn", today)],
                csrfFrom: try await rights.get(path))
            let found = try await rights.get(path + "?name=Ravensworth")
            #expect(found.html.contains("Perpetua Ravensworth"), "\(found)")
            // The candidate's checkbox carries the subject id as its value.
            let subject = try #require(found.hidden("subjectId"), "no candidate to confirm")
            let confirmed = try await rights.post(path + "/subjects", [("subjectId", subject)], csrfFrom: found)
            #expect(confirmed.status == 303, "\(confirmed)")
            let answer = try await rights.get(path + "/answer")
            #expect(answer.status == 200, "\(answer)")
            #expect(answer.html.contains("Perpetua Ravensworth") && answer.html.contains("Hackney YOT diversion"))
            #expect(answer.html.contains("Receipt: entry") && answer.html.contains("An assessment (an opinion, not a fact)"))
            #expect(!answer.html.contains("YOT case 4471"))
            // What is not held is not shown as an empty heading.
            #expect(!answer.html.contains("graded </span>") && !answer.html.contains("(as )"))
            // Everything held and derived: the score with its working, marked an assessment; the
            // decisions with their reasons and not who made them; ethnicity as recorded.
            #expect(
                answer.html.contains("Scores we have worked out about you")
                    && answer.html.contains("An assessment, not a fact: an advisory score"))
            #expect(answer.html.contains("Approved by the borough&#39;s supervisor") || answer.html.contains("Approved by the borough"))
            #expect(answer.html.contains("Threshold met at the borough panel") && !answer.html.contains(f.hackneySPOC.displayName))
            #expect(answer.html.contains("Officer-defined ethnicity"), "\(answer.html)")

            // The letter: to the person who asked, with no staff header, purpose bar or watermark,
            // and the receipts' check as an appendix with a program to run.
            let letter = try await rights.get(path + "/letter")
            #expect(letter.status == 200, "\(letter)")
            for shown in [
                "Dear Perpetua Ravensworth", "14 Ashgrove Road", "Your reference: PR/SAR/1", "Appendix: checking the receipts",
                "receipt verifies: the entry names you",
            ] {
                #expect(letter.html.contains(shown), "the letter lacks \(shown)")
            }
            for staff in ["purpose-bar", "Sign out", "watermark", f.governance.displayName, "SAR-2026-002"] {
                #expect(!letter.html.contains(staff), "the letter shows \(staff)")
            }
        }
    }
}

extension RightsPageTests {
    /// The other decisions on the pages: an erasure request decided and closed, an access request
    /// answered "neither confirm nor deny", and a retention review the sweep raised, kept.
    @Test(arguments: databases) func erasureNeitherConfirmNorDenyAndRetentionOnThePages(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let r = f.register
            let officer = f.hackneyOfficer
            let purpose = RegisterFixture.purpose
            var people: [SubjectID] = []
            for family in ["Erasable", "Reviewable"] {
                let subject = try await r.recordSubject(
                    RegisterFixture.draft(given: "Philippa", family: family, dob: "1995-02-02"), by: officer, for: purpose)
                _ = try await r.recordMatter(
                    MatterDraft(kind: "incident", reference: "CAD-\(family)", offence: nil, occurredOn: r.clock.now().day.description),
                    linking: subject.description, as: "victim", basis: "fact", by: officer, for: purpose)
                people.append(subject)
            }
            // A rulebook with a 60-day period for victims, and 70 days on: the sweep raises both.
            try await f.adoptRulebook("Shorter retention for victims") { $0.retention.victimOrWitnessDays = 60 }
            pages.clock.advance(seconds: 70 * 86_400)
            #expect(Set(try await r.sweep().retentionReviewsRaised) == Set(people))
            try await pages.enablePages(for: f.governance)
            let rights = pages.browser()
            try await rights.signIn(f.governance.username)
            try await rights.state(StatedPurpose(purpose: .subjectRights, justification: "Erasure request ER-2026-014"))
            let today = r.clock.now().day.description

            let list = try await rights.get("/rights")
            let erasure = try #require(
                try await rights.post(
                    "/rights",
                    [
                        ("kind", "erasure"), ("receivedOn", today), ("requester.name", "Philippa Erasable"),
                        ("requester.contact", "philippa@example.org"),
                    ], csrfFrom: list
                ).place)
            _ = try await rights.post(
                erasure + "/identity", [("evidence", "Passport seen at the front counter"), ("confirmedOn", today)],
                csrfFrom: try await rights.get(erasure))
            let found = try await rights.get(erasure + "?name=Erasable")
            _ = try await rights.post(erasure + "/subjects", [("subjectId", people[0].description)], csrfFrom: found)
            let ready = try await rights.get(erasure)
            #expect(ready.html.contains("Erase (key first"), "\(ready)")
            let short = try await rights.post(
                erasure + "/decision", [("decision", "erase"), ("outcome", "ok"), ("confirmed", "yes")], csrfFrom: ready)
            #expect(short.status == 422 && short.html.contains("outcome"), "\(short)")
            // Check your answers first: nothing is decided until it is confirmed.
            let checking = try await rights.post(
                erasure + "/decision", [("decision", "erase"), ("outcome", "Erased: held only as a victim and no longer needed")],
                csrfFrom: ready)
            #expect(checking.status == 200 && checking.html.contains("Check before you decide to erase"), "\(checking)")
            #expect(checking.html.contains("cannot be undone") && checking.html.contains(#"name="confirmed" value="yes""#))
            #expect(try await rights.get(erasure).html.contains("Erase (key first"), "decided before it was confirmed")
            let decided = try await rights.post(
                erasure + "/decision",
                [("decision", "erase"), ("outcome", "Erased: held only as a victim and no longer needed"), ("confirmed", "yes")],
                csrfFrom: checking)
            #expect(decided.status == 303, "\(decided)")
            // The page door holds the same four eyes: the proposer is shown the proposal and no
            // way to confirm it; a second member of the rights team confirms it there.
            let proposed = try await rights.get(erasure)
            #expect(proposed.html.contains("Erasure proposed by you"), "\(proposed)")
            #expect(!proposed.html.contains("Confirm the erasure"), "\(proposed)")
            let board = try await f.boardMember()
            try await pages.enablePages(for: board)
            let second = pages.browser()
            try await second.signIn(board.username)
            try await second.state(StatedPurpose(purpose: .subjectRights, justification: "Erasure request ER-2026-014, second check"))
            let toConfirm = try await second.get(erasure)
            #expect(toConfirm.html.contains("Confirm the erasure"), "\(toConfirm)")
            #expect(
                toConfirm.html.contains("Erasure proposed by \(f.governance.displayName)"), "the second person is not told who proposed")
            let confirmed = try await second.post(
                erasure + "/decision",
                [("decision", "erase"), ("outcome", "Erased: held only as a victim and no longer needed"), ("confirmed", "yes")],
                csrfFrom: toConfirm)
            #expect(confirmed.status == 303, "\(confirmed)")
            #expect(try await rights.get(erasure).html.contains("Closed: Erased: held only as a victim"))

            let access = try #require(
                try await rights.post(
                    "/rights",
                    [("kind", "access"), ("receivedOn", today), ("requester.name", "A Requester"), ("requester.contact", "a@example.org")],
                    csrfFrom: try await rights.get("/rights")
                )
                .place)
            _ = try await rights.post(
                access + "/identity", [("evidence", "Passport seen at the front counter"), ("confirmedOn", today)],
                csrfFrom: try await rights.get(access))
            let withheld = try await rights.post(
                access + "/withheld",
                [
                    ("item", "*"), ("ground", "prejudice-offences"),
                    ("necessity", "Confirming would alert the subject of a live investigation"),
                    ("reviewOn", r.clock.now().day.adding(days: 60).description),
                ], csrfFrom: try await rights.get(access))
            #expect(withheld.status == 303, "\(withheld)")
            let answer = try await rights.get(access + "/answer")
            #expect(answer.status == 200 && answer.html.contains("neither confirms nor denies"), "\(answer)")
            #expect(!answer.html.contains("Philippa"))

            try await rights.state(StatedPurpose(purpose: .registerReview, justification: "Monthly retention review of the register"))
            let dashboard = try await rights.get("/dashboard")
            #expect(dashboard.html.contains("1 retention review(s) raised"), "\(dashboard)")
            let retention = try await rights.get("/retention")
            #expect(retention.html.contains(people[1].description) && !retention.html.contains(people[0].description), "\(retention)")
            // The page door to erasure at a review: one person proposes, and cannot confirm it.
            let erasing = [("decision", "erase"), ("reason", "No continuing policing purpose for this victim's record")]
            let proposal = try await rights.post("/retention/\(people[1])", erasing, csrfFrom: retention)
            #expect(proposal.status == 303, "\(proposal)")
            let awaiting = try await rights.get("/retention")
            #expect(awaiting.html.contains("Erasure proposed"), "\(awaiting)")
            #expect(try await rights.post("/retention/\(people[1])", erasing, csrfFrom: awaiting).status == 403)
            // Keeping instead takes effect at once and sets the proposal aside.
            let kept = try await rights.post(
                "/retention/\(people[1])", [("decision", "keep"), ("reason", "Victim in a case still before the court")],
                csrfFrom: awaiting)
            #expect(kept.status == 303, "\(kept)")
            #expect(try await rights.get("/retention").html.contains("No retention review is due"))
        }
    }
}
