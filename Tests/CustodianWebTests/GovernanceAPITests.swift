import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Issue 5's rules seen through the API: real HTTP to a running server, both databases.
@Suite struct GovernanceAPITests {
    static let databases = TestDatabase.available
    static let governancePurpose = StatedPurpose(purpose: .registerReview, justification: "Board check of inclusions this quarter")

    /// A Hackney subject, with a suspect robbery (police) and a partner's 2B item when `corroborated`.
    func subject(_ api: LiveAPI, family: String, dob: String = "2001-04-17", corroborated: Bool = true, category: String = "suspect")
        async throws -> (String, String, String?)
    {
        let officer = api.fixture.hackneyOfficer
        let created = try await api.send(
            .post, "/api/subjects", as: officer,
            json: ["names": [["given": "Ione", "family": family]], "dateOfBirth": dob, "sex": "female"])
        let id = try #require(created.object["id"] as? String, "\(created)")
        let matter = try await api.send(
            .post, "/api/matters", as: officer,
            json: ["kind": "offence", "reference": "CRIS-\(UUID().uuidString.prefix(8))", "offence": "robbery", "occurredOn": "2026-10-01"])
        let matterID = try #require(matter.object["id"] as? String)
        let link = try await api.send(
            .post, "/api/links", as: officer, json: ["subjectId": id, "matterId": matterID, "category": category])
        #expect(link.status == 201, "\(link)")
        var item: String?
        if corroborated {
            let intel = try await api.send(
                .post, "/api/intelligence", as: api.fixture.hackneyColleague,
                json: [
                    "subjectId": id, "text": "Partner report of robberies", "sourceType": "partner",
                    "sourceId": try await api.fixture.partnerSource().description,
                    "grade": ["source": "2", "assessment": "B", "handling": "P"],
                ])
            item = try #require(intel.object["id"] as? String, "\(intel)")
        }
        return (id, matterID, item)
    }

    @Test(arguments: databases) func inclusionThresholdFourEyesAndTheChildRouteThroughTheAPI(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let (lone, loneMatter, _) = try await subject(api, family: "Lonesource", corroborated: false)
            let single = try await api.send(
                .post, "/api/inclusions", as: f.hackneyOfficer,
                json: ["subjectId": lone, "matterIds": [loneMatter], "rationale": "One source only"])
            #expect(single.status == 422 && single.violatedRules == ["inclusion.corroboration"], "\(single)")

            let (victim, victimMatter, victimItem) = try await subject(api, family: "Victimonly", category: "victim")
            let refused = try await api.send(
                .post, "/api/inclusions", as: f.hackneyOfficer,
                json: [
                    "subjectId": victim, "matterIds": [victimMatter], "intelligenceIds": [victimItem!], "rationale": "Should never pass",
                ])
            #expect(refused.status == 422 && refused.violatedRules.contains("inclusion.protected-only"), "\(refused)")
            let score = try await api.send(.post, "/api/subjects/\(victim)/harm", as: f.hackneyOfficer)
            #expect(score.status == 403 && score.object["rule"] as? String == "harm.protected-only", "\(score)")

            let (id, matter, item) = try await subject(api, family: "Included")
            let proposed = try await api.send(
                .post, "/api/inclusions", as: f.hackneyOfficer,
                json: ["subjectId": id, "matterIds": [matter], "intelligenceIds": [item!], "rationale": "Robbery and partner report"])
            #expect(proposed.status == 201 && proposed.object["rulebookVersion"] as? Int == 1, "\(proposed)")
            let inclusion = try #require(proposed.object["id"] as? String)
            let own = try await api.send(
                .post, "/api/inclusions/\(inclusion)/decision", as: f.hackneyOfficer,
                json: ["approve": true, "reason": "Approving my own (recorded at panel)"])
            #expect(own.status == 403, "\(own)")
            let decided = try await api.send(
                .post, "/api/inclusions/\(inclusion)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Two independent sources"])
            #expect(decided.status == 200 && decided.object["status"] as? String == "included", "\(decided)")

            // The score explains itself and cannot see protected characteristics.
            let assessed = try await api.send(.post, "/api/subjects/\(id)/harm", as: f.hackneyOfficer)
            #expect(assessed.status == 200 && assessed.object["band"] as? String == "amber", "\(assessed)")
            let lines = assessed.object["lines"] as? [[String: Any]] ?? []
            #expect(lines.count == 1 && (lines[0]["input"] as? String)?.contains("robbery") == true)
            for forbidden in ["2001-04-17", "female", "Ione", "Included"] { #expect(!assessed.text.contains(forbidden), "\(forbidden)") }

            let (child, childMatter, childItem) = try await subject(api, family: "Child", dob: "2011-02-03")
            let noRationale = try await api.send(
                .post, "/api/inclusions", as: f.hackneyOfficer,
                json: ["subjectId": child, "matterIds": [childMatter], "intelligenceIds": [childItem!], "rationale": "Robberies"])
            #expect(noRationale.violatedRules == ["inclusion.child-rationale"], "\(noRationale)")
            let childProposal = try await api.send(
                .post, "/api/inclusions", as: f.hackneyOfficer,
                json: [
                    "subjectId": child, "matterIds": [childMatter], "intelligenceIds": [childItem!], "rationale": "Robberies",
                    "safeguardingRationale": "Exploited by an older group; children's services referral made",
                ])
            let childInclusion = try #require(childProposal.object["id"] as? String, "\(childProposal)")
            let first = try await api.send(
                .post, "/api/inclusions/\(childInclusion)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Safeguarding-led (recorded at panel)"])
            #expect(first.object["status"] as? String == "awaiting-central", "\(first)")
            let central = try await api.send(
                .post, "/api/inclusions/\(childInclusion)/decision", as: f.governance,
                purpose: Self.governancePurpose, json: ["approve": true, "reason": "Referral checked centrally"])
            #expect(central.object["status"] as? String == "included", "\(central)")
        }
    }

    @Test(arguments: databases) func overdueSuspensionRemovalErasureRestrictionAndTheDashboardThroughTheAPI(_ db: TestDatabase) async throws
    {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let f = api.fixture
            var inclusions: [String: String] = [:]
            for family in ["Overdue", "Removed", "Restricted"] {
                let (id, matter, item) = try await subject(api, family: family)
                let proposed = try await api.send(
                    .post, "/api/inclusions", as: f.hackneyOfficer,
                    json: ["subjectId": id, "matterIds": [matter], "intelligenceIds": [item!], "rationale": "Two sources"])
                let inclusion = try #require(proposed.object["id"] as? String, "\(proposed)")
                _ = try await api.send(
                    .post, "/api/inclusions/\(inclusion)/decision", as: f.hackneySPOC,
                    json: ["approve": true, "reason": "Threshold met (recorded at panel)"])
                inclusions[family] = inclusion
                inclusions[family + "-subject"] = id
            }
            clock.advance(seconds: (91 + 15) * 86_400)
            _ = try await f.register.sweep()
            let queue = try await api.send(.get, "/api/reviews", as: f.hackneyOfficer)
            #expect(
                queue.status == 200 && queue.array.count == 3 && queue.array.allSatisfy { $0["standing"] as? String == "suspended" },
                "\(queue)")

            // Removal: proposed at review by the officer, approved by the SPOC; the subject is gone.
            let removed = inclusions["Removed"]!
            let removedSubject = inclusions["Removed-subject"]!
            let review = try await api.send(
                .post, "/api/inclusions/\(removed)/reviews", as: f.hackneyOfficer,
                json: ["outcome": "remove", "rationale": "No offending for a year; propose removal"])
            #expect(review.status == 200 && review.object["removalProposed"] as? Bool == true, "\(review)")
            let selfApproval = try await api.send(
                .post, "/api/inclusions/\(removed)/removal", as: f.hackneyOfficer,
                json: ["approve": true, "reason": "Approving it myself (recorded at panel)"])
            #expect(selfApproval.status == 403, "\(selfApproval)")
            let approval = try await api.send(
                .post, "/api/inclusions/\(removed)/removal", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Agreed at review (recorded at panel)"])
            #expect(approval.status == 204, "\(approval)")
            #expect(try await api.send(.get, "/api/subjects/\(removedSubject)", as: f.hackneyOfficer).status == 404)

            // Restriction: governance only; then out of operational use.
            let restrictedSubject = inclusions["Restricted-subject"]!
            let byOfficer = try await api.send(
                .post, "/api/subjects/\(restrictedSubject)/restriction", as: f.hackneyOfficer,
                json: ["reason": "Officer attempt (recorded at panel)"])
            #expect(byOfficer.status == 403)
            let restricted = try await api.send(
                .post, "/api/subjects/\(restrictedSubject)/restriction", as: f.governance,
                purpose: StatedPurpose(purpose: .subjectRights, justification: "Accuracy contested, DSR-2026-44"),
                json: ["reason": "Accuracy contested by the person"])
            #expect(restricted.status == 204, "\(restricted)")
            let hidden = try await api.send(.get, "/api/subjects/\(restrictedSubject)", as: f.hackneyOfficer)
            #expect(hidden.status == 403 && hidden.object["rule"] as? String == "subject.restricted", "\(hidden)")

            // The dashboard counts it all, by borough, with no names.
            let today = clock.clock.now().day
            let board = try await api.send(
                .get, "/api/dashboard?from=\(today.adding(days: -200))&until=\(today)", as: f.governance, purpose: Self.governancePurpose)
            #expect(board.status == 200, "\(board)")
            let hackney = (board.object["boroughs"] as? [[String: Any]] ?? []).first { $0["unit"] as? String == "hackney" }
            #expect(
                hackney?["included"] as? Int == 2 && hackney?["suspended"] as? Int == 2 && hackney?["removals"] as? Int == 1, "\(board)")
            #expect(!board.text.contains("Ione") && !board.text.contains(removedSubject) && !board.text.contains(restrictedSubject))
        }
    }

    @Test(arguments: databases) func onlyGovernanceProposesTheRulebookAndNeverApprovesItsOwnProposal(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let current = try await api.send(.get, "/api/rulebook", as: f.hackneyOfficer)
            #expect(current.status == 200, "\(current)")
            var rulebook = try #require(current.object["inForce"] as? [String: Any])
            var review = rulebook["review"] as? [String: Any] ?? [:]
            review["cadenceDays"] = 60
            rulebook["review"] = review
            let bySPOC = try await api.send(
                .post, "/api/rulebook/versions", as: f.hackneySPOC, json: ["rulebook": rulebook, "rationale": "Borough would like it"])
            #expect(bySPOC.status == 403 && bySPOC.object["rule"] as? String == "rulebook.governance", "\(bySPOC)")
            var weights = (rulebook["harm"] as? [String: Any])?["offenceWeights"] as? [String: Any] ?? [:]
            weights["jaywalking"] = 5
            var bad = rulebook
            var harm = rulebook["harm"] as? [String: Any] ?? [:]
            harm["offenceWeights"] = weights
            bad["harm"] = harm
            let unknown = try await api.send(
                .post, "/api/rulebook/versions", as: f.governance, json: ["rulebook": bad, "rationale": "Typo"])
            #expect(unknown.status == 422 && unknown.violatedFields == ["rulebook.harm.offenceWeights.jaywalking"], "\(unknown)")
            let proposed = try await api.send(
                .post, "/api/rulebook/versions", as: f.governance, json: ["rulebook": rulebook, "rationale": "Annual review"])
            #expect(proposed.status == 201 && (proposed.object["rulebook"] as? [String: Any])?["version"] as? Int == 2, "\(proposed)")
            let own = try await api.send(.post, "/api/rulebook/versions/2/decision", as: f.governance, json: ["approve": true])
            #expect(own.status == 403 && own.object["rule"] as? String == "four-eyes.proposer", "\(own)")
        }
    }
}
