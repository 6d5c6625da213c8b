import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// To borough staff, another borough's person (or record about a person) answers exactly as an
/// unknown id does, on every operation that names one: reads, writes, scores and decisions alike.
/// Each operation below is called twice by a Hackney officer or SPOC, once with a Newham id and
/// once with an id no one holds; the status and the body (the id aside) must be the same, and the
/// Newham attempt must be on the log as a refusal.
@Suite struct ScopeConcealmentTests {
    static let databases = TestDatabase.available

    struct Operation {
        let name: String
        let user: KeyPath<RegisterFixture, User>
        let method: HTTPRequest.Method
        let path: (String) -> String
        let body: ((String) -> [String: Any])?
    }

    @Test(arguments: databases) func anotherBoroughsPersonAnswersAsNoOneOnEveryOperationThatNamesOne(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let today = f.register.clock.now().day
            // A Newham person, suspect on a robbery, with an intelligence item and a proposed inclusion.
            let newham = try await ChildRouteDoorsTests.newhamSuspect(api)
            let ownMatter = try await api.send(
                .post, "/api/matters", as: f.hackneyOfficer,
                json: ["kind": "offence", "reference": "CRIS-OWN", "offence": "robbery", "occurredOn": today.adding(days: -3).description])
            let matter = try #require(ownMatter.object["id"] as? String, "\(ownMatter)")

            let subjectOperations: [Operation] = [
                .init(name: "subject.read", user: \.hackneyOfficer, method: .get, path: { "/api/subjects/\($0)" }, body: nil),
                .init(
                    name: "subject.ethnicity.read", user: \.hackneyOfficer, method: .get, path: { "/api/subjects/\($0)/ethnicity" },
                    body: nil),
                .init(name: "harm.assess", user: \.hackneyOfficer, method: .post, path: { "/api/subjects/\($0)/harm" }, body: nil),
                .init(
                    name: "intelligence.create", user: \.hackneyOfficer, method: .post, path: { _ in "/api/intelligence" },
                    body: { id in
                        [
                            "subjectId": id, "text": "Seen at the market", "sourceType": "police",
                            "grade": ["source": "1", "assessment": "B", "handling": "P"],
                        ]
                    }),
                .init(
                    name: "link.create", user: \.hackneyOfficer, method: .post, path: { _ in "/api/links" },
                    body: { id in ["subjectId": id, "matterId": matter, "category": "suspect"] }),
                .init(
                    name: "flag.create", user: \.hackneyOfficer, method: .post, path: { _ in "/api/flags" },
                    body: { id in ["subjectId": id, "kind": "knife-carrier", "matterIds": [matter]] }),
                .init(
                    name: "inclusion.propose", user: \.hackneyOfficer, method: .post, path: { _ in "/api/inclusions" },
                    body: { id in ["subjectId": id, "matterIds": [matter], "rationale": "Robbery and a report"] }),
                .init(
                    name: "child-action.request", user: \.hackneyOfficer, method: .post, path: { _ in "/api/child-actions" },
                    body: { id in
                        [
                            "kind": "harm-assessment", "subjectId": id,
                            "safeguardingRationale": "A score is needed for the multi-agency safeguarding panel",
                        ]
                    }),
                .init(
                    name: "recall.correction", user: \.hackneySPOC, method: .post, path: { "/api/subjects/\($0)/recall" }, body: nil),
            ]
            let inclusionOperations: [Operation] = [
                .init(
                    name: "inclusion.decide", user: \.hackneySPOC, method: .post, path: { "/api/inclusions/\($0)/decision" },
                    body: { _ in ["approve": true, "reason": "Threshold met at the borough panel"] }),
                .init(
                    name: "review.record", user: \.hackneyOfficer, method: .post, path: { "/api/inclusions/\($0)/reviews" },
                    body: { _ in ["outcome": "retain", "rationale": "Still active in the area on recent reports"] }),
                .init(
                    name: "removal.decide", user: \.hackneySPOC, method: .post, path: { "/api/inclusions/\($0)/removal" },
                    body: { _ in ["approve": true, "reason": "Agreed at the borough panel"] }),
            ]

            // A second Newham person, restricted by governance: to Hackney as no one, not as restricted.
            let restricted = try await ChildRouteDoorsTests.newhamSuspect(api, family: "Restricted")
            let restriction = try await api.send(
                .post, "/api/subjects/\(restricted.subject)/restriction", as: f.governance,
                purpose: DisclosureControlsAPITests.governancePurpose,
                json: ["reason": "Accuracy contested by the person; held out of use while it is checked"])
            #expect(restriction.status == 204, "\(restriction)")

            var cells = 0
            for (operations, known) in [
                (subjectOperations, newham.subject), (subjectOperations, restricted.subject), (inclusionOperations, newham.inclusion),
            ] {
                for op in operations {
                    let unknown = UUID().uuidString.lowercased()
                    let path = op.path
                    let user = f[keyPath: op.user]
                    let before = try await scopeRefusals(f, user)
                    let theirs = try await api.send(op.method, path(known), as: user, json: op.body?(known))
                    let logged = try await scopeRefusals(f, user)
                    let nobodys = try await api.send(op.method, path(unknown), as: user, json: op.body?(unknown))
                    #expect(theirs.status == nobodys.status, "\(op.name): \(theirs.status) for Newham's, \(nobodys.status) for no one's")
                    #expect(
                        theirs.text.replacingOccurrences(of: known, with: "ID")
                            == nobodys.text.replacingOccurrences(of: unknown, with: "ID"),
                        "\(op.name): \(theirs.text) / \(nobodys.text)")
                    #expect(theirs.status != 200 && theirs.status != 201, "\(op.name) acted on another borough's record")
                    if theirs.status == 404 { #expect(logged == before + 1, "\(op.name): the attempt is not on the log") }
                    cells += 1
                }
            }
            #expect(cells == 2 * subjectOperations.count + inclusionOperations.count)
        }
    }

    func scopeRefusals(_ f: RegisterFixture, _ actor: User) async throws -> Int {
        try await f.refusals(of: actor).filter { $0.outcome?.hasPrefix("scope.own-borough") == true }.count
    }
}

extension ChildRouteDoorsTests {
    /// A Newham adult suspected of a robbery, with a 1B police item and a proposed inclusion.
    static func newhamSuspect(_ api: LiveAPI, family: String = "Elsewhere") async throws -> (subject: String, inclusion: String) {
        let f = api.fixture
        let today = f.register.clock.now().day
        let created = try await api.send(
            .post, "/api/subjects", as: f.newhamOfficer,
            json: ["names": [["given": "Test", "family": family]], "dateOfBirth": "1998-05-05", "sex": "male"])
        let subject = try #require(created.object["id"] as? String, "\(created)")
        let matter = try await api.send(
            .post, "/api/matters", as: f.newhamOfficer,
            json: [
                "kind": "offence", "reference": "CRIS-\(family)", "offence": "robbery", "occurredOn": today.adding(days: -8).description,
            ])
        let matterID = try #require(matter.object["id"] as? String, "\(matter)")
        _ = try await api.send(
            .post, "/api/links", as: f.newhamOfficer, json: ["subjectId": subject, "matterId": matterID, "category": "suspect"])
        let item = try await api.send(
            .post, "/api/intelligence", as: f.newhamOfficer,
            json: [
                "subjectId": subject, "text": "Partner report of robberies", "sourceType": "partner", "sourceReference": "YOT case 9",
                "grade": ["source": "2", "assessment": "B", "handling": "P"],
            ])
        let proposed = try await api.send(
            .post, "/api/inclusions", as: f.newhamOfficer,
            json: [
                "subjectId": subject, "matterIds": [matterID], "intelligenceIds": [try #require(item.object["id"] as? String)],
                "rationale": "Robbery and a partner's report",
            ])
        return (subject, try #require(proposed.object["id"] as? String, "\(proposed)"))
    }
}

extension ScopeConcealmentTests {
    /// Standing before scope before anything: an untrained officer, or an account whose grant is
    /// pending, is refused in the same words whether an id is their borough's, another's or no
    /// one's, so an id tells them nothing. The policy's row is read before any record is looked up.
    @Test(arguments: databases) func anUntrainedOrPendingUserLearnsNothingFromAnID(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { base in
            let f = base.fixture
            let pending = try await f.directory.createUser(
                UserDraft(
                    username: "pending-officer", displayName: "Pending Officer", role: "borough-officer", unit: "hackney",
                    trainingCompletedOn: RegisterFixture.trainedOn), passwordHash: nil, by: f.administrator)
            let api = try await base.adding(pending)
            let own = try await f.register.recordSubject(
                RegisterFixture.draft(family: "Ownborough"), by: f.hackneyOfficer, for: RegisterFixture.purpose)
            let newham = try await ChildRouteDoorsTests.newhamSuspect(api, family: "Otherborough").subject
            let unknown = SubjectID(UUID()).description
            for (user, rule) in [(f.untrainedOfficer, "training.required"), (pending, "grant.pending")] {
                var bodies: Set<String> = []
                for id in [own.description, newham, unknown] {
                    for path in ["/api/subjects/\(id)", "/api/subjects/\(id)/harm"] {
                        let method: HTTPRequest.Method = path.hasSuffix("harm") ? .post : .get
                        let answer = try await api.send(method, path, as: user)
                        #expect(answer.status == 403 && answer.object["rule"] as? String == rule, "\(user.username) \(path): \(answer)")
                        bodies.insert("\(path.hasSuffix("harm") ? "harm" : "read") \(answer.text.replacingOccurrences(of: id, with: "ID"))")
                    }
                }
                #expect(bodies.count == 2, "the answers differ by whose id it is: \(bodies)")
            }
        }
    }
}
