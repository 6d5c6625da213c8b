import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// One queue of every decision waiting for a person: it offers each decision to exactly those the
/// decision's own use case would let through, names who asked, and says what a purpose hides.
@Suite struct DecisionsWaitingTests {
    static let databases = TestDatabase.available
    static let review = StatedPurpose(purpose: .registerReview, justification: "Board: the decisions waiting this week")
    static let rights = StatedPurpose(purpose: .subjectRights, justification: "Rights team: the erasures waiting")

    static func rows(_ r: APIResponse) -> [[String: Any]] { r.object["decisions"] as? [[String: Any]] ?? [] }
    static func has(_ r: APIResponse, _ kind: String, _ id: String) -> Bool {
        rows(r).contains { $0["kind"] as? String == kind && $0["id"] as? String == id }
    }

    @Test(arguments: databases) func eachDecisionWaitsForThoseWhoMayTakeItAndNoOneElse(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { base in
            let f = base.fixture
            let newhamSPOC = try await f.directory.admit(
                UserDraft(
                    username: "newham-spoc-\(UUID().uuidString.prefix(6).lowercased())", displayName: "Nasrin Decider",
                    role: "borough-spoc", unit: "newham", trainingCompletedOn: RegisterFixture.trainedOn),
                approvedBy: f.governance)
            let api = try await base.adding(newhamSPOC)
            let (_, inclusion) = try await InclusionQueueTests.proposedDirectly(f, "Waitwell")
            let asked = try await f.directory.createUser(
                UserDraft(
                    username: "new.officer", displayName: "Nell Newcome", role: "borough-officer", unit: "hackney",
                    trainingCompletedOn: RegisterFixture.trainedOn), passwordHash: nil, by: f.administrator)

            // The Hackney SPOC: the inclusion, with who proposed it by name; no grant (not theirs).
            let spoc = try await api.send(.get, "/api/decisions", as: f.hackneySPOC)
            #expect(spoc.status == 200, "\(spoc)")
            #expect(Self.has(spoc, "inclusion", inclusion), "\(spoc)")
            #expect(Self.rows(spoc).contains { $0["askedByName"] as? String == f.hackneyOfficer.displayName })
            #expect(!Self.rows(spoc).contains { $0["kind"] as? String == "grant" })
            // Not for the officer who proposed it, nor for a SPOC of another borough.
            #expect(Self.rows(try await api.send(.get, "/api/decisions", as: f.hackneyOfficer)).isEmpty)
            #expect(!Self.has(try await api.send(.get, "/api/decisions", as: newhamSPOC), "inclusion", inclusion))

            // Governance reviewing the register: the grant, asked by the administrator; the
            // borough's first step is not theirs.
            let board = try await api.send(.get, "/api/decisions", as: f.governance, purpose: Self.review)
            #expect(Self.has(board, "grant", asked.id.description), "\(board)")
            #expect(Self.rows(board).contains { $0["askedByName"] as? String == f.administrator.displayName })
            #expect(!Self.has(board, "inclusion", inclusion))
            // The administrator who asked for the grant decides nothing.
            #expect(Self.rows(try await api.send(.get, "/api/decisions", as: f.administrator, purpose: nil)).isEmpty)

            // Under the subject-rights purpose, governance is told which kinds it cannot see.
            let rightsView = try await api.send(.get, "/api/decisions", as: f.governance, purpose: Self.rights)
            let hidden = rightsView.object["needAnotherPurpose"] as? [String] ?? []
            #expect(hidden.contains("inclusion") && hidden.contains("child-action") && !hidden.contains("erasure"), "\(rightsView)")

            // A decision taken leaves the queue.
            let decided = try await api.send(
                .post, "/api/inclusions/\(inclusion)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Threshold met at the borough panel"])
            #expect(!Self.has(try await api.send(.get, "/api/decisions", as: f.hackneySPOC), "inclusion", inclusion))
            // Its place on the register is marked an assessment.
            #expect(
                decided.object["status"] as? String == "included" && decided.object["basis"] as? String == "assessment", "\(decided)")
        }
    }

    /// The page: every waiting decision, linked to the view it is decided on.
    @Test(arguments: databases) func theSPOCFollowsTheQueueToTheDecision(_ db: TestDatabase) async throws {
        try await withLivePages(db) { pages in
            let f = pages.fixture
            try await pages.enablePages(for: f.hackneySPOC)
            _ = try await InclusionQueueTests.proposedDirectly(f, "Pagewell")
            let spoc = pages.browser()
            _ = try await spoc.signIn(f.hackneySPOC.username)
            _ = try await spoc.state(RegisterFixture.purpose)
            let queue = try await spoc.get("/decisions")
            #expect(queue.status == 200 && queue.html.contains("Decisions waiting for you"), "\(queue)")
            #expect(
                queue.html.contains("href=\"/inclusions\"") && queue.html.contains("asked by \(f.hackneyOfficer.displayName)"),
                "\(queue.html)")
            let decision = try await spoc.get("/inclusions")
            #expect(decision.html.contains("Pagewell"))

            // A rulebook version proposed by one governance user waits for another, who is told
            // where it is decided rather than sent to raw JSON; its proposer is not offered it.
            let rulebook = try await f.register.rulebookVersions().inForce
            let proposed = try await f.register.proposeRulebook(rulebook, rationale: "Annual check: no change proposed", by: f.governance)
            let board = try await f.boardMember()
            try await pages.enablePages(for: board)
            let second = pages.browser()
            _ = try await second.signIn(board.username)
            _ = try await second.state(InclusionQueueTests.board)
            let waiting = try await second.get("/decisions")
            #expect(
                waiting.html.contains("Rulebook version \(proposed.rulebook.version) (decided through the API")
                    && waiting.html.contains("asked by \(f.governance.displayName)"), "\(waiting.html)")
            #expect(!waiting.html.contains("href=\"/api/"))
            try await pages.enablePages(for: f.governance)
            let proposer = pages.browser()
            _ = try await proposer.signIn(f.governance.username)
            _ = try await proposer.state(InclusionQueueTests.board)
            #expect(!(try await proposer.get("/decisions")).html.contains("Rulebook version \(proposed.rulebook.version)"))
        }
    }
}
