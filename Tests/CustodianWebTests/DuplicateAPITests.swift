import CustodianAPI
@_spi(Storage) import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// One person across boroughs, through the API: who may look, what the scan finds and leaves,
/// a decision and its reversal, and the combination entries each leaves on the log.
@Suite struct DuplicateAPITests {
    static let databases = TestDatabase.available
    static let dataQuality = StatedPurpose(purpose: .dataQuality, justification: "Test: finding records of one person held twice")

    struct People {
        let hackney: SubjectID
        /// The same person as Newham recorded them: a vowel of the family name, no PNC id.
        let newham: SubjectID
        /// A stranger with the same name, another birthday and PNC id.
        let namesake: SubjectID
        /// The others: the four slips of the method, in Lambeth, each of one Hackney person.
        let slips: [(SubjectID, SubjectID)]
    }

    static func record(_ f: RegisterFixture) async throws -> People {
        func subject(_ given: String, _ family: String, dob: String?, pnc: String?, aliases: [String] = [], by officer: User) async throws
            -> SubjectID
        {
            try await f.register.recordSubject(
                SubjectDraft(names: [.init(given: given, family: family)], aliases: aliases, dateOfBirth: dob, pncID: pnc, sex: "male"),
                by: officer, for: RegisterFixture.purpose)
        }
        let lambeth = try await f.directory.admit(
            UserDraft(
                username: "lambeth-officer", displayName: "Lambeth Officer", role: "borough-officer", unit: "lambeth",
                trainingCompletedOn: RegisterFixture.trainedOn), approvedBy: f.governance)
        let hackney = try await subject("Jordan", "Okafor", dob: "2003-04-05", pnc: "03/1234567A", by: f.hackneyOfficer)
        let newham = try await subject("Jordan", "Okefor", dob: "2003-04-05", pnc: nil, by: f.newhamOfficer)
        let namesake = try await subject("Jordan", "Okafor", dob: "1990-11-21", pnc: "90/7654321B", by: f.newhamOfficer)
        var slips: [(SubjectID, SubjectID)] = []
        let a = try await subject("Marcus", "Adeyemi", dob: "2001-09-02", pnc: "01/2345678B", by: f.hackneyOfficer)
        slips.append((a, try await subject("Marcus", "Adeyemy", dob: "2001-02-09", pnc: nil, aliases: ["Marcus Adeyemi"], by: lambeth)))
        let b = try await subject("Kieran", "Lindqvist", dob: "2002-06-17", pnc: "02/3456789C", by: f.hackneyOfficer)
        slips.append(
            (b, try await subject("Ghost", "Lindqvist", dob: "2002-06-17", pnc: "02/3456789C", aliases: ["Kieran Lindqvist"], by: lambeth)))
        return People(hackney: hackney, newham: newham, namesake: namesake, slips: slips)
    }

    static func combinations(_ f: RegisterFixture) async throws -> [AuditEntry] {
        try await f.register.auditPage(AuditFilter(operation: "combination"), by: f.auditor, for: RegisterFixture.auditPurpose)
            .entries.map(\.entry)
    }

    static func pairKeys(_ page: APIResponse) -> Set<String> {
        Set((page.object["pairs"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String })
    }

    @Test(arguments: databases) func theQueueIsForThoseWhoReadAcrossBoroughsForTheirPurpose(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            _ = try await Self.record(f)
            let officer = try await api.send(.get, "/api/duplicates", as: f.hackneyOfficer, purpose: Self.dataQuality)
            #expect(officer.status == 403 && officer.object["rule"] as? String == "duplicates.resolvers", "\(officer)")
            let scan = try await api.send(.post, "/api/duplicates/scan", as: f.newhamOfficer, purpose: Self.dataQuality)
            #expect(scan.status == 403)
            let partner = try await api.send(.get, "/api/duplicates", as: f.partner, purpose: Self.dataQuality)
            #expect(partner.status == 403)
            // An analyst working an investigation is not doing data quality.
            let wrongPurpose = try await api.send(.get, "/api/duplicates", as: f.analyst, purpose: RegisterFixture.purpose)
            #expect(wrongPurpose.status == 403 && wrongPurpose.object["rule"] as? String == "purpose.role", "\(wrongPurpose)")
            #expect(try await f.refusals(of: f.hackneyOfficer).last?.action == "duplicates.queue")
            #expect(try await f.refusals(of: f.newhamOfficer).last?.action == "duplicates.scan")
            #expect(try await f.refusals(of: f.analyst).last?.outcome?.hasPrefix("purpose.role") == true)
            let hostile = try await api.send(.get, "/api/duplicates?offset=-5", as: f.analyst, purpose: Self.dataQuality)
            #expect(hostile.status == 400 || hostile.status == 422, "\(hostile)")
        }
    }

    @Test(arguments: databases) func theScanQueuesEverySlipAndNoNamesakeAndADecisionLinksWithoutMerging(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let people = try await Self.record(f)
            let scan = try await api.send(.post, "/api/duplicates/scan", as: f.analyst, purpose: Self.dataQuality)
            #expect(scan.status == 200 && scan.object["candidates"] as? Int == 3, "\(scan)")
            let queue = try await api.send(.get, "/api/duplicates", as: f.analyst, purpose: Self.dataQuality)
            #expect(queue.status == 200 && queue.object["total"] as? Int == 3, "\(queue)")
            let expected = [(people.hackney, people.newham)] + people.slips
            #expect(Self.pairKeys(queue) == Set(expected.compactMap { SubjectPair($0.0, $0.1)?.key }))
            #expect(!Self.pairKeys(queue).contains { $0.contains(people.namesake.description) }, "a namesake was paired")
            let okafor = try #require(
                (queue.object["pairs"] as? [[String: Any]])?.first { ($0["key"] as? String)?.contains(people.newham.description) == true })
            let reasons = (okafor["evidence"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(Set(reasons) == ["dob.same", "family.sounds-alike", "given.same"], "\(reasons)")
            // Looking at pairs joins boroughs' records: combination, naming everyone shown.
            let shown = try await Self.combinations(f).filter { $0.action == "duplicates.queue" }
            #expect(shown.count == 1 && Set(shown[0].subjects) == Set(expected.flatMap { [$0.0, $0.1] }))
            #expect(try await Self.combinations(f).contains { $0.action == "duplicates.scan" && $0.subjects.contains(people.hackney) })

            // A curt reason, a record with itself and two of one borough are refused, naming the rule.
            func decide(_ a: SubjectID, _ b: SubjectID, _ verdict: String, _ reason: String) async throws -> APIResponse {
                try await api.send(
                    .post, "/api/duplicates/decisions", as: f.analyst, purpose: Self.dataQuality,
                    json: ["first": a.description, "second": b.description, "verdict": verdict, "reason": reason])
            }
            let reason = "Same date of birth; family name differs by one vowel; Newham holds no PNC id"
            #expect(try await decide(people.hackney, people.newham, "same", "looks same").violatedRules == ["duplicates.reason-substance"])
            #expect(try await decide(people.hackney, people.hackney, "same", reason).violatedRules == ["duplicates.pair"])
            #expect(try await decide(people.newham, people.namesake, "same", reason).violatedRules == ["duplicates.across-boroughs"])
            let decided = try await decide(people.newham, people.hackney, "same", reason)
            #expect(decided.status == 201 && decided.object["verdict"] as? String == "same", "\(decided)")
            let decisionID = try #require(decided.object["id"] as? String)
            #expect(try await decide(people.hackney, people.newham, "not-same", reason).violatedRules == ["duplicates.decided"])
            let logged = try #require(try await Self.combinations(f).first { $0.action == "duplicates.decide" })
            #expect(Set(logged.subjects) == [people.hackney, people.newham] && logged.outcome == "same")
            #expect(
                logged.touched.map(\.description).contains("duplicate-decision/\(decisionID)")
                    && logged.justification == Self.dataQuality.justification)
            #expect(try await api.send(.get, "/api/duplicates", as: f.analyst, purpose: Self.dataQuality).object["total"] as? Int == 2)

            // The analyst sees the link beside the record, and that read is combination too; each
            // borough keeps its own record and scope, and sees no link to the other's.
            let read = try await api.send(.get, "/api/subjects/\(people.hackney)", as: f.analyst)
            let same = read.object["sameAs"] as? [[String: Any]] ?? []
            #expect(same.map { $0["subjectId"] as? String } == [people.newham.description] && same.first?["unit"] as? String == "newham")
            #expect(
                try await Self.combinations(f).contains {
                    $0.action == "subject.read" && Set($0.subjects) == [people.hackney, people.newham]
                })
            let own = try await api.send(.get, "/api/subjects/\(people.hackney)", as: f.hackneyOfficer)
            #expect(own.status == 200 && own.object["sameAs"] == nil && !own.text.contains(people.newham.description))
            #expect(try await api.send(.get, "/api/subjects/\(people.newham)", as: f.hackneyOfficer).status == 404)
            #expect(try await api.send(.get, "/api/subjects/\(people.newham)", as: f.newhamOfficer).object["names"] != nil)
            let officerHistory = try await api.send(
                .get, "/api/subjects/\(people.hackney)/duplicate-decisions", as: f.hackneyOfficer, purpose: Self.dataQuality)
            #expect(officerHistory.status == 403)

            // Reversible: the link ends, the record of it stays, the pair returns to the queue.
            let curt = try await api.send(
                .post, "/api/duplicates/decisions/\(decisionID)/reversal", as: f.governance,
                purpose: StatedPurpose(purpose: .registerReview, justification: "Test: reviewing a link"), json: ["reason": "wrong"])
            #expect(curt.violatedRules == ["duplicates.reason-substance"])
            let reversed = try await api.send(
                .post, "/api/duplicates/decisions/\(decisionID)/reversal", as: f.governance,
                purpose: StatedPurpose(purpose: .registerReview, justification: "Test: reviewing a link"),
                json: ["reason": "Newham's record is of a cousin: different address history confirmed"])
            #expect(reversed.status == 200 && reversed.object["inForce"] as? Bool == false, "\(reversed)")
            #expect(try await api.send(.get, "/api/subjects/\(people.hackney)", as: f.analyst).object["sameAs"] == nil)
            #expect(try await api.send(.get, "/api/duplicates", as: f.analyst, purpose: Self.dataQuality).object["total"] as? Int == 3)
            let history = try await api.send(
                .get, "/api/subjects/\(people.hackney)/duplicate-decisions", as: f.analyst, purpose: Self.dataQuality)
            #expect(history.array.count == 1 && (history.array.first?["reversal"] as? [String: Any])?["reason"] != nil)
            #expect(try await Self.combinations(f).contains { $0.action == "duplicates.reverse" && $0.outcome == "reversed same" })
            // Decided again after the reversal, now as not the same person.
            #expect(
                try await decide(people.hackney, people.newham, "not-same", "Reviewed with Newham: a cousin, different address history")
                    .status == 201)
        }
    }

    @Test(arguments: databases) func erasingEitherRecordTakesThePairAndItsDecisionsWithIt(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let people = try await Self.record(f)
            _ = try await f.register.scanForDuplicates(by: f.analyst, for: Self.dataQuality)
            _ = try await f.register.decideDuplicate(
                people.hackney, people.newham, verdict: "same", reason: "Same date of birth and a name one vowel apart",
                by: f.analyst, for: Self.dataQuality)
            try await f.register.store.transaction { tx in try await tx.eraseSubject(people.newham) }
            let history = try await api.send(
                .get, "/api/subjects/\(people.hackney)/duplicate-decisions", as: f.analyst, purpose: Self.dataQuality)
            #expect(history.status == 200 && history.array.isEmpty, "a decision outlived the erasure of one of its records: \(history)")
            #expect(try await api.send(.get, "/api/duplicates", as: f.analyst, purpose: Self.dataQuality).object["total"] as? Int == 2)
        }
    }
}

/// The same queue on a page: the two records side by side with the reasons, a decision by form,
/// the link shown on the record to the analyst; borough staff refused the page.
@Suite struct DuplicatePageTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func anAnalystDecidesOnThePageAndTheRecordShowsTheLink(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            for user in [f.analyst, f.hackneyOfficer] { try await pages.enablePages(for: user) }
            let people = try await DuplicateAPITests.record(f)
            _ = try await f.register.scanForDuplicates(by: f.analyst, for: DuplicateAPITests.dataQuality)

            let analyst = pages.browser()
            try await analyst.signIn("central-analyst")
            _ = try await analyst.state(DuplicateAPITests.dataQuality)
            let queue = try await analyst.get("/duplicates")
            #expect(queue.status == 200, "\(queue)")
            #expect(
                queue.html.contains("3 pairs waiting") && queue.html.contains("Okefor") && queue.html.contains("the same date of birth"))
            #expect(!queue.html.contains("1990-11-21"), "the namesake is not in the queue")
            let curt = try await analyst.post(
                "/duplicates/decisions",
                [("first", people.hackney.description), ("second", people.newham.description), ("verdict", "same"), ("reason", "same")],
                csrfFrom: queue)
            #expect(curt.status == 422 && curt.html.contains("duplicates.reason-substance"), "\(curt)")
            let decided = try await analyst.post(
                "/duplicates/decisions",
                [
                    ("first", people.hackney.description), ("second", people.newham.description), ("verdict", "same"),
                    ("reason", "Same date of birth; the family names differ by one vowel"),
                ], csrfFrom: queue)
            #expect(decided.status == 303, "\(decided)")
            #expect(try await analyst.get("/duplicates").html.contains("2 pairs waiting"))
            let record = try await analyst.get("/subjects/\(people.hackney)")
            #expect(record.html.contains("The same person in other boroughs") && record.html.contains("/subjects/\(people.newham)"))

            let officer = pages.browser()
            try await officer.signIn("hackney-officer")
            _ = try await officer.state(RegisterFixture.purpose)
            let own = try await officer.get("/subjects/\(people.hackney)")
            #expect(own.status == 200 && !own.html.contains("The same person in other boroughs"))
            let refused = try await officer.get("/duplicates")
            #expect(refused.status == 403 && refused.html.contains("duplicates.resolvers"), "\(refused)")

            // The record page's *Reverse the link* form is a door of its own: an officer posting to
            // it is refused by the same rule, a curt reason is refused, a reason reverses the link.
            let action = try #require(
                record.html.range(of: #"/duplicates/decisions/[0-9a-f-]{36}/reversal"#, options: .regularExpression).map {
                    String(record.html[$0])
                })
            let back = "/subjects/\(people.hackney)"
            let officerReversal = try await officer.post(
                action, [("reason", "Not the same person, says the officer"), ("back", back)], csrfFrom: own)
            #expect(officerReversal.status == 403 && officerReversal.html.contains("duplicates.resolvers"), "\(officerReversal)")
            let curtReversal = try await analyst.post(action, [("reason", "wrong"), ("back", back)], csrfFrom: record)
            #expect(curtReversal.status == 422, "\(curtReversal)")
            #expect(try await analyst.get(back).html.contains("The same person in other boroughs"), "a refused reversal changed nothing")
            let reversed = try await analyst.post(
                action, [("reason", "The Newham record is a different man: a new PNC check came back"), ("back", back)], csrfFrom: record)
            #expect(reversed.status == 303, "\(reversed)")
            #expect(!(try await analyst.get(back).html.contains("The same person in other boroughs")))
            #expect(try await analyst.get("/duplicates").html.contains("3 pairs waiting"), "the pair is back in the queue")
        }
    }
}
