import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Evidence that cannot be gamed by labelling: each attempt through the API, on both databases,
/// refused by name and logged.
@Suite struct EvidenceAPITests {
    static let databases = TestDatabase.available

    struct Person {
        let subject: String
        let robbery: String
    }

    /// A Hackney suspect on a robbery recorded by Hackney police.
    static func suspect(_ api: LiveAPI, _ family: String, offence: String = "robbery") async throws -> Person {
        let f = api.fixture
        let today = f.register.clock.now().day
        let created = try await api.send(
            .post, "/api/subjects", as: f.hackneyOfficer,
            json: ["names": [["given": "Test", "family": family]], "dateOfBirth": "1998-05-05", "sex": "male"])
        let subject = try #require(created.object["id"] as? String, "\(created)")
        let matter = try await api.send(
            .post, "/api/matters", as: f.hackneyOfficer,
            json: ["kind": "offence", "reference": "CRIS-\(family)", "offence": offence, "occurredOn": today.adding(days: -10).description])
        let robbery = try #require(matter.object["id"] as? String, "\(matter)")
        _ = try await api.send(
            .post, "/api/links", as: f.hackneyOfficer, json: ["subjectId": subject, "matterId": robbery, "category": "suspect"])
        return Person(subject: subject, robbery: robbery)
    }

    static func item(_ api: LiveAPI, _ person: Person, _ body: [String: Any], by author: User? = nil) async throws -> String {
        try #require(try await attempt(api, person, body, by: author).object["id"] as? String)
    }

    static func attempt(_ api: LiveAPI, _ person: Person, _ body: [String: Any], by author: User? = nil) async throws -> APIResponse {
        var json = body
        json["subjectId"] = person.subject
        json["text"] = json["text"] ?? "Report about the subject"
        json["grade"] = json["grade"] ?? ["source": "2", "assessment": "B", "handling": "P"]
        return try await api.send(.post, "/api/intelligence", as: author ?? api.fixture.hackneyOfficer, json: json)
    }

    static func propose(_ api: LiveAPI, _ person: Person, matters: [String], intelligence: [String]) async throws -> APIResponse {
        try await api.send(
            .post, "/api/inclusions", as: api.fixture.hackneyOfficer,
            json: [
                "subjectId": person.subject, "matterIds": matters, "intelligenceIds": intelligence,
                "rationale": "Robbery and a second source",
            ])
    }

    @Test(arguments: databases) func aRelabelledReportIsNotASecondSource(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let p = try await Self.suspect(api, "Relabelled")
            // The same officer types "partner" and "community" on reports with no registered source behind them.
            let asPartner = try await Self.item(api, p, ["sourceType": "partner"])
            let asCommunity = try await Self.item(api, p, ["sourceType": "community"])
            let gamed = try await Self.propose(api, p, matters: [p.robbery], intelligence: [asPartner, asCommunity])
            #expect(gamed.status == 422 && gamed.violatedRules == ["inclusion.corroboration"], "\(gamed)")
            let logged = try await f.register.auditPage(
                AuditFilter(actor: f.hackneyOfficer.id.description, operation: "refusal"), by: f.auditor,
                for: RegisterFixture.auditPurpose)
            #expect(
                logged.entries.contains {
                    $0.entry.action == "inclusion.propose" && $0.entry.outcome?.contains("inclusion.corroboration") == true
                },
                "the attempt is on the log for governance")

            // A registered partner source is independent of the borough's own record, but not when
            // the proposer entered both: their own entries are one line of reporting.
            let partner = try await f.partnerSource().description
            let own = try await Self.item(api, p, ["sourceType": "partner", "sourceId": partner])
            let alone = try await Self.propose(api, p, matters: [p.robbery], intelligence: [own])
            #expect(alone.status == 422 && alone.violatedRules == ["inclusion.proposer-alone"], "\(alone)")
            let registered = try await Self.item(api, p, ["sourceType": "partner", "sourceId": partner], by: f.hackneyColleague)
            let fair = try await Self.propose(api, p, matters: [p.robbery], intelligence: [registered])
            #expect(fair.status == 201, "\(fair)")
            let read = try await api.send(.get, "/api/intelligence/\(registered)", as: f.hackneyOfficer)
            #expect((read.object["provenance"] as? [String: Any])?["sourceId"] as? String == partner, "\(read)")
        }
    }

    /// The audit's attack: one officer records two items citing "CHIS-0001" and "CHIS-0002". A
    /// label is not a source: each is refused by name and logged, as is an id the source register
    /// never issued and a source it has withdrawn. Two sources a borough handles itself are one
    /// line of reporting whoever enters them.
    @Test(arguments: databases) func aLabelIsNotARegisteredSource(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let p = try await Self.suspect(api, "Labelled")
            for (label, attacker) in [
                ("CHIS-0001", f.hackneyOfficer), ("CHIS-0002", f.hackneyColleague), (UUID().uuidString, f.hackneyOfficer),
            ] {
                let refused = try await Self.attempt(api, p, ["sourceType": "police", "sourceId": label], by: attacker)
                #expect(refused.status == 422 && refused.violatedRules == ["source.registered"], "\(label): \(refused)")
            }
            let matter = try await api.send(
                .post, "/api/matters", as: f.hackneyOfficer,
                json: ["kind": "intelligence-report", "reference": "IR-CHIS", "occurredOn": "2026-01-02", "sourceId": "CHIS-0001"])
            #expect(matter.status == 422 && matter.violatedRules == ["source.registered"], "\(matter)")
            let logged = try await f.refusals(of: f.hackneyOfficer) + (try await f.refusals(of: f.hackneyColleague))
            #expect(
                logged.filter { $0.refusedUnder == "source.registered" }.count == 4,
                "each attempt is on the log: \(logged.map(\.outcome))")

            func human(_ label: String, _ unit: String) async throws -> String {
                let made = try await api.send(
                    .post, "/api/sources", as: f.sourceUnit,
                    json: [
                        "kind": "human-source", "label": label, "owner": "Hackney source unit controller", "handlerUnit": unit,
                        "reliability": "2", "rationale": "Newly recruited; untested",
                    ])
                return try #require(made.object["id"] as? String, "\(made)")
            }
            let first = try await human("HS-0001", "hackney")
            let second = try await human("HS-0002", "hackney")
            let one = try await Self.item(api, p, ["sourceType": "police", "sourceId": first], by: f.hackneyColleague)
            let two = try await Self.item(api, p, ["sourceType": "police", "sourceId": second], by: f.hackneyColleague)
            let sameUnit = try await Self.propose(api, p, matters: [], intelligence: [one, two])
            #expect(sameUnit.status == 422 && sameUnit.violatedRules == ["inclusion.corroboration"], "\(sameUnit)")
            let message = (sameUnit.object["violations"] as? [[String: Any]])?.first?["message"] as? String ?? ""
            #expect(message.contains("HS-0001") && message.contains("handled by Hackney"), "the decision names its sources: \(message)")

            // A withdrawn source can no longer be cited, and the withdrawal is the source unit's alone.
            let notYours = try await api.send(
                .post, "/api/sources/\(first)/evaluations", as: f.hackneySPOC,
                json: ["reliability": "3", "rationale": "Trying to discredit it", "withdraw": true])
            #expect(notYours.status == 403 && notYours.object["rule"] as? String == "source.unit", "\(notYours)")
            let withdrawn = try await api.send(
                .post, "/api/sources/\(first)/evaluations", as: f.sourceUnit,
                json: ["reliability": "3", "rationale": "Reporting found fabricated on review", "withdraw": true])
            #expect(withdrawn.status == 200 && withdrawn.object["withdrawnAt"] != nil, "\(withdrawn)")
            let stale = try await Self.attempt(api, p, ["sourceType": "police", "sourceId": first], by: f.hackneyColleague)
            #expect(stale.status == 422 && stale.violatedRules == ["source.withdrawn"], "\(stale)")
        }
    }

    @Test(arguments: databases) func anIntelligenceReportCountsOnlyWhenGraded(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let p = try await Self.suspect(api, "Reported")
            let today = f.register.clock.now().day.adding(days: -5).description
            func report(_ reference: String, grade: [String: String]?) async throws -> String {
                var json: [String: Any] = [
                    "kind": "intelligence-report", "reference": reference, "occurredOn": today, "basis": "assessment",
                    "sourceId": try await f.partnerSource("Central source unit", handledBy: "central").description,
                ]
                if let grade { json["grade"] = grade }
                let made = try await api.send(.post, "/api/matters", as: f.hackneyColleague, json: json)
                let id = try #require(made.object["id"] as? String, "\(made)")
                _ = try await api.send(
                    .post, "/api/links", as: f.hackneyColleague, json: ["subjectId": p.subject, "matterId": id, "category": "suspect"])
                return id
            }
            let ungraded = try await report("IR-UNGRADED", grade: nil)
            let refused = try await Self.propose(api, p, matters: [p.robbery, ungraded], intelligence: [])
            #expect(refused.status == 422 && refused.violatedRules.contains("inclusion.ungraded-report"), "\(refused)")
            let graded = try await report("IR-GRADED", grade: ["source": "1", "assessment": "B", "handling": "P"])
            let stored = try await api.send(.get, "/api/matters/\(graded)", as: f.hackneyOfficer)
            #expect(((stored.object["matter"] as? [String: Any])?["grade"] as? [String: Any])?["code"] as? String == "1B P", "\(stored)")
            let gradeOnOffence = try await api.send(
                .post, "/api/matters", as: f.hackneyOfficer,
                json: [
                    "kind": "offence", "reference": "CRIS-GRADED", "offence": "robbery", "occurredOn": today,
                    "grade": ["source": "1", "assessment": "A", "handling": "P"],
                ])
            #expect(gradeOnOffence.status == 422 && gradeOnOffence.violatedRules == ["matter.grade-for-reports"], "\(gradeOnOffence)")
            let accepted = try await Self.propose(api, p, matters: [p.robbery, graded], intelligence: [])
            #expect(accepted.status == 201, "a graded report from a registered source corroborates the borough's record: \(accepted)")
        }
    }

    @Test(arguments: databases) func aRetainAtAForcedRemovalReviewRecordsWhyRemovalWasRejected(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            // An offence the method weighs at nothing: the score sits at zero.
            let p = try await Self.suspect(api, "Zeroscore", offence: "other")
            let registered = try await Self.item(
                api, p, ["sourceType": "partner", "sourceId": try await f.partnerSource().description], by: f.hackneyColleague)
            let proposed = try await Self.propose(api, p, matters: [p.robbery], intelligence: [registered])
            let inclusion = try #require(proposed.object["id"] as? String, "\(proposed)")
            _ = try await api.send(
                .post, "/api/inclusions/\(inclusion)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Threshold met at the borough panel"])
            _ = try await f.register.sweep()
            clock.advance(seconds: 92 * 86_400)
            _ = try await f.register.sweep()

            let worded = try await api.send(
                .post, "/api/inclusions/\(inclusion)/reviews", as: f.hackneyOfficer,
                json: ["outcome": "retain", "rationale": "Removal considered and rejected: keep on the register"])
            #expect(
                worded.status == 422 && worded.violatedRules == ["review.removal-considered"],
                "a word in free text is not a reason: \(worded)")
            let reasoned = try await api.send(
                .post, "/api/inclusions/\(inclusion)/reviews", as: f.hackneyOfficer,
                json: [
                    "outcome": "retain", "rationale": "Trial listed for March; the bail conditions are being breached",
                    "removalRejected": "pending-proceedings",
                ])
            #expect(reasoned.status == 200 && reasoned.object["removalReviewRequired"] as? Bool == false, "\(reasoned)")
        }
    }
}
