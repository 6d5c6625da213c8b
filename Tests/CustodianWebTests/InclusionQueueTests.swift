import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The second person sees what the first wrote: a SPOC's queue lists each proposal waiting for
/// them with its proposer, rationale, evidence (source and grade) and the threshold as it stands,
/// their own borough's only; the proposer is not a decider; reading the queue is logged.
@Suite struct InclusionQueueTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func aSPOCSeesWhatWasProposedByWhomOnWhatEvidence(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let hackney = try await ChildRouteDoorsTests.newhamSuspect(api, family: "Queued", by: f.hackneyOfficer)
            _ = try await ChildRouteDoorsTests.newhamSuspect(api, family: "Elsewhere")

            let queue = try await api.send(.get, "/api/inclusions", as: f.hackneySPOC)
            #expect(queue.status == 200, "\(queue)")
            let entries = queue.array
            #expect(entries.count == 1, "Hackney's SPOC sees Hackney's proposals only: \(entries)")
            let entry = try #require(entries.first)
            #expect((entry["inclusion"] as? [String: Any])?["id"] as? String == hackney.inclusion)
            #expect(entry["proposer"] as? String == f.hackneyOfficer.displayName)
            #expect(entry["rationale"] as? String == "Robbery and a partner's report")
            #expect(entry["step"] as? String == "borough" && entry["thresholdMet"] as? Bool == true)
            let evidence = try #require(entry["evidence"] as? [[String: Any]])
            #expect(Set(evidence.compactMap { $0["kind"] as? String }) == ["matter", "intelligence"])
            #expect(evidence.contains { $0["grade"] as? String == "2B P" && $0["sourceType"] as? String == "partner" })
            // The sources behind the threshold: the partner's registered source, handled centrally,
            // entered by a colleague; the proposer's own matter, the borough's own line.
            let partner = try #require(evidence.first { $0["kind"] as? String == "intelligence" })
            let source = try #require(partner["source"] as? [String: Any], "\(partner)")
            #expect(source["label"] as? String == "Hackney Youth Offending Team" && source["handlerUnit"] as? String == "central")
            #expect(partner["enteredByProposer"] as? Bool == false && partner["corroborates"] as? Bool == true)
            let matter = try #require(evidence.first { $0["kind"] as? String == "matter" })
            #expect(matter["source"] == nil && matter["enteredByProposer"] as? Bool == true && matter["corroborates"] as? Bool == true)
            // The source unit discredits the partner: the same proposal now falls short, and says so.
            let yot = try #require(source["id"] as? String)
            _ = try await api.send(
                .post, "/api/sources/\(yot)/evaluations", as: f.sourceUnit,
                json: ["reliability": "3", "rationale": "Reports found unreliable on audit of the last quarter"])
            let after = try #require(try await api.send(.get, "/api/inclusions", as: f.hackneySPOC).array.first)
            #expect(after["thresholdMet"] as? Bool == false, "\(after)")
            #expect(((after["evidence"] as? [[String: Any]]) ?? []).contains { $0["weak"] as? Bool == true })

            // The proposer decides nothing, so has no queue; central governance has no child waiting.
            let own = try await api.send(.get, "/api/inclusions", as: f.hackneyOfficer)
            #expect(own.status == 403 && own.object["rule"] as? String == "role.decider", "\(own)")
            #expect(try await api.send(.get, "/api/inclusions", as: f.governance, purpose: Self.board).array.isEmpty)

            let logged = try await f.register.auditLog(
                AuditQuery(actor: f.hackneySPOC.id, operation: .consultation), by: f.auditor, for: RegisterFixture.auditPurpose)
            #expect(logged.contains { $0.entry.action == "inclusion.queue" && $0.entry.touched == [.whole(.inclusionQueue)] })
        }
    }

    /// The same proposal, made through the register as the officer.
    static func proposedDirectly(_ f: RegisterFixture, _ family: String) async throws -> (subject: String, inclusion: String) {
        let (r, officer, purpose) = (f.register, f.hackneyOfficer, RegisterFixture.purpose)
        let today = r.clock.now().day
        let subject = try await r.recordSubject(
            RegisterFixture.draft(given: "Test", family: family, dob: "1999-02-02", ethnicity: false), by: officer, for: purpose)
        let matter = try await r.recordMatter(
            MatterDraft(kind: "offence", reference: "CRIS-\(family)", offence: "robbery", occurredOn: today.adding(days: -5).description),
            linking: subject.description, as: "suspect", basis: "fact", by: officer, for: purpose)
        let item = try await r.recordIntelligence(
            IntelligenceDraft(
                subjectID: subject.description, text: "Partner report of robberies by \(family)",
                grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner",
                sourceID: try await f.partnerSource().description),
            by: f.hackneyColleague, for: purpose)
        let inclusion = try await r.proposeInclusion(
            InclusionDraft(
                subjectID: subject.description, intelligenceIDs: [item.description], matterIDs: [matter.description],
                rationale: "Robbery this week and a partner's report of more"), by: officer, for: purpose)
        return (subject.description, inclusion.id.description)
    }

    static let board = StatedPurpose(purpose: .registerReview, justification: "Board: deciding children's inclusions")

    /// In a browser's place: the SPOC opens the queue, sees the proposal whole, follows it to the
    /// decision, and the queue is empty after.
    @Test(arguments: databases) func theSPOCDecidesFromTheQueuePage(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.hackneySPOC)
            let proposed = try await Self.proposedDirectly(f, "Pagequeued")
            let spoc = pages.browser()
            try await spoc.signIn("hackney-spoc")
            _ = try await spoc.state(RegisterFixture.purpose)
            let queue = try await spoc.get("/inclusions")
            #expect(queue.status == 200, "\(queue)")
            for shown in [
                "Test Pagequeued", f.hackneyOfficer.displayName, "Robbery this week", "2B P", "Met by the evidence",
                "Hackney Youth Offending Team (partner organisation, handled by Central team)", "s own records",
                ", by the proposer",
            ] {
                #expect(queue.html.contains(shown), "the queue does not show \(shown)")
            }
            let form = try await spoc.get("/subjects/\(proposed.subject)/inclusion-decision/new")
            // The decision page itself shows what was proposed, by whom, on what, and the rules' answer.
            for shown in [
                "What was proposed", f.hackneyOfficer.displayName, "Robbery this week", "Hackney Youth Offending Team",
                "Met by the evidence",
            ] {
                #expect(form.html.contains(shown), "the decision page does not show \(shown)")
            }
            let decided = try await spoc.post(
                "/subjects/\(proposed.subject)/inclusion-decision/new",
                [("inclusionId", proposed.inclusion), ("decision", "approve"), ("reason", "Threshold met at the borough panel today")],
                csrfFrom: form)
            #expect(decided.status == 303, "\(decided)")
            #expect(try await spoc.get("/inclusions").html.contains("Nothing is waiting for you."))
        }
    }

    /// A removal is decided on what its proposer wrote: the decision page shows who proposed it,
    /// when and why, and the score then and now, each marked an assessment.
    @Test(arguments: databases) func theRemovalDecisionPageShowsTheProposal(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            let proposed = try await Self.proposedDirectly(f, "Removable")
            let inclusion = try #require(InclusionID(proposed.inclusion))
            _ = try await f.register.decideInclusion(
                inclusion, approve: true, reason: "Threshold met at the borough panel", by: f.hackneySPOC, for: RegisterFixture.purpose)
            _ = try await f.register.review(
                inclusion, outcome: .remove, rationale: "No violence linked since the inclusion; the partner reports engagement",
                by: f.hackneyOfficer, for: RegisterFixture.purpose)
            try await pages.enablePages(for: f.hackneySPOC)
            let spoc = pages.browser()
            try await spoc.signIn("hackney-spoc")
            _ = try await spoc.state(RegisterFixture.purpose)
            let form = try await spoc.get("/subjects/\(proposed.subject)/removal/new")
            #expect(form.status == 200, "\(form)")
            for shown in ["What was proposed", "Removal proposed by", f.hackneyOfficer.displayName, "the partner reports engagement"] {
                #expect(form.html.contains(shown), "the removal page does not show \(shown)")
            }
            // Approving erases: the SPOC checks their answers first, may change them, and only a
            // confirmation decides.
            let answers = [
                ("inclusionId", form.hidden("inclusionId") ?? ""), ("decision", "approve"),
                ("reason", "Engaged with the diversion programme for six months"),
            ]
            let path = "/subjects/\(proposed.subject)/removal/new"
            let checking = try await spoc.post(path, answers, csrfFrom: form)
            #expect(checking.status == 200 && checking.html.contains("Check before you approve the removal"), "\(checking)")
            #expect(checking.html.contains("Engaged with the diversion programme") && checking.html.contains("cannot be undone"))
            let change = try await spoc.post(path, answers + [("confirmed", "yes"), ("change", "yes")], csrfFrom: checking)
            #expect(
                change.status == 200 && change.html.contains(">Engaged with the diversion programme for six months</textarea>"), "\(change)"
            )
            let decided = try await spoc.post(path, answers + [("confirmed", "yes")], csrfFrom: checking)
            #expect(decided.status == 303 && decided.location?.contains("done=removal-decided") == true, "\(decided)")
        }
    }
}
