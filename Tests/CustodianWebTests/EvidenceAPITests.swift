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

    static func item(_ api: LiveAPI, _ person: Person, _ body: [String: Any]) async throws -> String {
        var json = body
        json["subjectId"] = person.subject
        json["text"] = json["text"] ?? "Report about the subject"
        json["grade"] = json["grade"] ?? ["source": "2", "assessment": "B", "handling": "P"]
        let made = try await api.send(.post, "/api/intelligence", as: api.fixture.hackneyOfficer, json: json)
        return try #require(made.object["id"] as? String, "\(made)")
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

            // One registered source under two labels is still one source.
            let sameRef = try await Self.item(api, p, ["sourceType": "community", "sourceReference": "Crimestoppers 11873"])
            let sameRefAgain = try await Self.item(api, p, ["sourceType": "partner", "sourceReference": "crimestoppers 11873 "])
            let once = try await Self.propose(api, p, matters: [], intelligence: [sameRef, sameRefAgain])
            #expect(once.status == 422 && once.violatedRules == ["inclusion.corroboration"], "\(once)")

            // A registered partner source is independent of the borough's own record.
            let registered = try await Self.item(api, p, ["sourceType": "partner", "sourceReference": "Youth Offending Team case 4471"])
            let fair = try await Self.propose(api, p, matters: [p.robbery], intelligence: [registered])
            #expect(fair.status == 201, "\(fair)")
            let read = try await api.send(.get, "/api/intelligence/\(registered)", as: f.hackneyOfficer)
            #expect(
                (read.object["provenance"] as? [String: Any])?["sourceReference"] as? String == "Youth Offending Team case 4471", "\(read)")
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
                    "sourceReference": "CHIS 0042",
                ]
                if let grade { json["grade"] = grade }
                let made = try await api.send(.post, "/api/matters", as: f.hackneyOfficer, json: json)
                let id = try #require(made.object["id"] as? String, "\(made)")
                _ = try await api.send(
                    .post, "/api/links", as: f.hackneyOfficer, json: ["subjectId": p.subject, "matterId": id, "category": "suspect"])
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
            let registered = try await Self.item(api, p, ["sourceType": "partner", "sourceReference": "Probation case 77"])
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
