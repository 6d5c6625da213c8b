import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Every adverse action on a child takes the child route, not only inclusion: a flag or a harm
/// score of someone under 18, or of unknown age, needs a safeguarding rationale, a SPOC and central
/// governance; under 10, never. Each attempt to get round it goes through the API, on both databases.
@Suite struct ChildRouteAPITests {
    static let databases = TestDatabase.available
    static let governancePurpose = StatedPurpose(purpose: .registerReview, justification: "Central review of a child's record")

    struct Child {
        let subject: String
        let item: String
    }

    /// A Hackney person of the given age (nil: date of birth not known), suspect on a bladed-article
    /// offence, with a 1B intelligence item.
    static func person(_ api: LiveAPI, _ family: String, age years: Int?) async throws -> Child {
        let f = api.fixture
        let today = f.register.clock.now().day
        var body: [String: Any] = ["names": [["given": "Test", "family": family]], "sex": "male"]
        if let years { body["dateOfBirth"] = today.adding(days: -(years * 366 + 10)).description }
        let created = try await api.send(.post, "/api/subjects", as: f.hackneyOfficer, json: body)
        let subject = try #require(created.object["id"] as? String, "\(created)")
        let matter = try await api.send(
            .post, "/api/matters", as: f.hackneyOfficer,
            json: [
                "kind": "offence", "reference": "CRIS-\(family)", "offence": "bladed-article-possession",
                "occurredOn": today.adding(days: -20).description,
            ])
        let matterID = try #require(matter.object["id"] as? String, "\(matter)")
        _ = try await api.send(
            .post, "/api/links", as: f.hackneyOfficer, json: ["subjectId": subject, "matterId": matterID, "category": "suspect"])
        let item = try await api.send(
            .post, "/api/intelligence", as: f.hackneyOfficer,
            json: [
                "subjectId": subject, "text": "Seen with a knife near the school", "sourceType": "police",
                "grade": ["source": "1", "assessment": "B", "handling": "P"],
            ])
        return Child(subject: subject, item: try #require(item.object["id"] as? String, "\(item)"))
    }

    func refusals(_ f: RegisterFixture, _ action: String) async throws -> Int {
        try await f.register.auditPage(
            AuditFilter(actor: f.hackneyOfficer.id.description, operation: "refusal"), by: f.auditor,
            for: RegisterFixture.auditPurpose
        ).entries.filter { $0.entry.action == action }.count
    }

    @Test(arguments: databases) func aChildIsNeverFlaggedOrScoredDirectly(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            for (family, age) in [("Sixteen", 16 as Int?), ("Unknownage", nil)] {
                let child = try await Self.person(api, family, age: age)
                let flag = try await api.send(
                    .post, "/api/flags", as: f.hackneyOfficer,
                    json: ["subjectId": child.subject, "kind": "knife-carrier", "intelligenceIds": [child.item]])
                #expect(flag.status == 403 && flag.object["rule"] as? String == "child.route", "\(family): \(flag)")
                let harm = try await api.send(.post, "/api/subjects/\(child.subject)/harm", as: f.hackneyOfficer)
                #expect(harm.status == 403 && harm.object["rule"] as? String == "child.route", "\(family): \(harm)")
            }
            let (flagRefusals, harmRefusals) = (try await refusals(f, "flag.create"), try await refusals(f, "harm.assess"))
            #expect(flagRefusals == 2 && harmRefusals == 2, "every attempt is on the log")

            // Under ten: not by any route.
            let young = try await Self.person(api, "Nineyears", age: 9)
            let direct = try await api.send(
                .post, "/api/flags", as: f.hackneyOfficer,
                json: ["subjectId": young.subject, "kind": "knife-carrier", "intelligenceIds": [young.item]])
            #expect(direct.status == 403 && direct.object["rule"] as? String == "child.minimum-age", "\(direct)")
            let routed = try await api.send(
                .post, "/api/child-actions", as: f.hackneyOfficer,
                json: [
                    "kind": "harm-assessment", "subjectId": young.subject,
                    "safeguardingRationale": "Referral to children's services already made this week",
                ])
            #expect(routed.status == 403 && routed.object["rule"] as? String == "child.minimum-age", "\(routed)")
        }
    }

    @Test(arguments: databases) func aChildsFlagNeedsARationaleASPOCAndCentralGovernance(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let child = try await Self.person(api, "Fifteen", age: 15)
            let bare = try await api.send(
                .post, "/api/child-actions", as: f.hackneyOfficer,
                json: [
                    "kind": "flag", "subjectId": child.subject, "flagKind": "knife-carrier", "intelligenceIds": [child.item],
                    "safeguardingRationale": "because",
                ])
            #expect(bare.status == 422 && bare.violatedRules == ["child.rationale"], "\(bare)")
            let asked = try await api.send(
                .post, "/api/child-actions", as: f.hackneyOfficer,
                json: [
                    "kind": "flag", "subjectId": child.subject, "flagKind": "knife-carrier", "intelligenceIds": [child.item],
                    "safeguardingRationale": "Carrying for older group members; the flag triggers the school safety plan",
                ])
            let id = try #require(asked.object["id"] as? String, "\(asked)")
            #expect(asked.object["status"] as? String == "awaiting-spoc")

            func decide(_ user: User, purpose: StatedPurpose = RegisterFixture.purpose, approve: Bool = true) async throws -> APIResponse {
                try await api.send(
                    .post, "/api/child-actions/\(id)/decision", as: user, purpose: purpose,
                    json: ["approve": approve, "reason": "Considered against the safeguarding plan for this child"])
            }
            let own = try await decide(f.hackneyOfficer)
            #expect(own.status == 403, "the requester does not decide: \(own)")
            let centralFirst = try await decide(f.governance, purpose: Self.governancePurpose)
            #expect(centralFirst.status == 403 && centralFirst.object["rule"] as? String == "child.borough-spoc", "\(centralFirst)")
            let spoc = try await decide(f.hackneySPOC)
            #expect(spoc.object["status"] as? String == "awaiting-central", "\(spoc)")
            let flagsBefore =
                try await api.send(.get, "/api/subjects/\(child.subject)", as: f.hackneyOfficer).object["flags"] as? [[String: Any]]
            #expect(flagsBefore?.isEmpty ?? true, "nothing changes on the SPOC's word alone")
            let again = try await decide(f.hackneySPOC)
            #expect(again.status == 403, "the SPOC cannot give the central approval: \(again)")
            #expect(try await api.send(.get, "/api/child-actions", as: f.governance, purpose: Self.governancePurpose).array.count == 1)
            let central = try await decide(f.governance, purpose: Self.governancePurpose)
            #expect(central.object["status"] as? String == "approved", "\(central)")
            let flags = try await api.send(.get, "/api/subjects/\(child.subject)", as: f.hackneyOfficer).object["flags"] as? [[String: Any]]
            #expect(flags?.count == 1, "the flag is placed on the second approval")
        }
    }

    @Test(arguments: databases) func aChildsScoreIsKeptOnlyOnceGovernanceApproves(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let child = try await Self.person(api, "Seventeen", age: 17)
            let asked = try await api.send(
                .post, "/api/child-actions", as: f.hackneyOfficer,
                json: [
                    "kind": "harm-assessment", "subjectId": child.subject,
                    "safeguardingRationale": "A score is needed for the multi-agency exploitation panel",
                ])
            let id = try #require(asked.object["id"] as? String, "\(asked)")
            _ = try await api.send(
                .post, "/api/child-actions/\(id)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Panel referral agreed with the school"])
            #expect(try await api.send(.get, "/api/subjects/\(child.subject)", as: f.hackneyOfficer).object["harm"] == nil)
            let refused = try await api.send(
                .post, "/api/child-actions/\(id)/decision", as: f.governance, purpose: Self.governancePurpose,
                json: ["approve": false, "reason": "The panel does not need a numeric score for a child"])
            #expect(refused.object["status"] as? String == "rejected", "\(refused)")
            #expect(
                try await api.send(.get, "/api/subjects/\(child.subject)", as: f.hackneyOfficer).object["harm"] == nil,
                "refused: no score kept")
        }
    }

    @Test(arguments: databases) func theSPOCAndGovernanceDecideAChildsFlagOnThePages(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            for user in [f.hackneySPOC, f.governance] { try await pages.enablePages(for: user) }
            let today = f.register.clock.now().day
            let child = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Pagechild", dob: today.adding(days: -15 * 366).description),
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            _ = try await f.register.recordMatter(
                MatterDraft(
                    kind: "offence", reference: "CRIS-PAGE", offence: "bladed-article-possession",
                    occurredOn: today.adding(days: -20).description),
                linking: child.description, as: "suspect", basis: "fact", by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let item = try await f.register.recordIntelligence(
                IntelligenceDraft(
                    subjectID: child.description, text: "Seen with a knife by the school",
                    grade: GradeDraft(source: "1", assessment: "B", handling: "P"), sourceType: "police"),
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let asked = try await f.register.requestChildAction(
                ChildActionDraft(
                    kind: "flag", subjectID: child.description, flagKind: "knife-carrier",
                    intelligenceIDs: [item.description],
                    safeguardingRationale: "The flag triggers the school's safety plan for this child"),
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let spoc = pages.browser()
            _ = try await spoc.signIn("hackney-spoc")
            _ = try await spoc.state(RegisterFixture.purpose)
            let list = try await spoc.get("/child-actions")
            #expect(
                list.status == 200 && (list.html.contains("school&#39;s safety plan") || list.html.contains("school's safety plan")),
                "\(list.status)")
            // The decision view says who asked, on what, and offers the SPOC the decision.
            #expect(list.html.contains("Asked by</dt><dd>\(f.hackneyOfficer.displayName)"), "\(list.html)")
            #expect(list.html.contains("1 item(s), on the child") && list.html.contains("Record decision"))
            let terse = try await spoc.post("/child-actions/\(asked.id)", [("decision", "approve"), ("reason", "ok")], csrfFrom: list)
            #expect(terse.status == 422 && terse.html.contains("decision.reason"))
            let decided = try await spoc.post(
                "/child-actions/\(asked.id)", [("decision", "approve"), ("reason", "Agreed with the school's safeguarding lead")],
                csrfFrom: list)
            #expect(decided.status == 303, "\(decided.status)")
            #expect(try await spoc.get("/child-actions").html.contains("Nothing is waiting for you"))

            let board = pages.browser()
            _ = try await board.signIn("governance-dpo")
            _ = try await board.state(StatedPurpose(purpose: .registerReview, justification: "Central review of a child's flag"))
            let central = try await board.get("/child-actions")
            #expect(central.html.contains("Awaiting central governance"))
            // Central governance sees who asked and what the borough decided, by whom and why.
            #expect(
                central.html.contains("approved by \(f.hackneySPOC.displayName)")
                    && central.html.contains("Agreed with the school") && central.html.contains(f.hackneyOfficer.displayName),
                "\(central.html)")
            let approved = try await board.post(
                "/child-actions/\(asked.id)", [("decision", "approve"), ("reason", "Rationale and safety plan checked centrally")],
                csrfFrom: central)
            #expect(approved.status == 303)
            let flags = try await f.register.subject(child, by: f.hackneyOfficer, for: RegisterFixture.purpose).flags
            #expect(flags.count == 1 && flags.first?.kind == .knifeCarrier, "placed on the second approval")
        }
    }
}
