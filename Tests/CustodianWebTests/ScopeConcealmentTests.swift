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
        let user: (RegisterFixture) -> User
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
                .init(name: "subject.history", user: \.hackneyOfficer, method: .get, path: { "/api/subjects/\($0)/history" }, body: nil),
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

            var cells: [String] = []
            for (operations, known) in [
                (subjectOperations, newham.subject), (subjectOperations, restricted.subject), (inclusionOperations, newham.inclusion),
            ] {
                for op in operations {
                    try await Self.answersAsNoOnes(api, op, known)
                    cells.append(op.name)
                }
            }
            #expect(cells.count == 2 * subjectOperations.count + inclusionOperations.count)
            #expect(Set(cells) == Self.first, "the list of use cases this test covers is out of date")
        }
    }

    /// Calls `op` with another borough's id and with one no one holds: the same status and body
    /// (the id aside), never success, and the first attempt on the log as a scope refusal.
    static func answersAsNoOnes(_ api: LiveAPI, _ op: Operation, _ known: String) async throws {
        let f = api.fixture
        let unknown = UUID().uuidString.lowercased()
        let user = op.user(f)
        let before = try await scopeRefusals(f, user)
        let theirs = try await api.send(op.method, op.path(known), as: user, json: op.body?(known))
        let logged = try await scopeRefusals(f, user)
        let nobodys = try await api.send(op.method, op.path(unknown), as: user, json: op.body?(unknown))
        #expect(theirs.status == nobodys.status, "\(op.name): \(theirs.status) for another borough's, \(nobodys.status) for no one's")
        #expect(
            theirs.text.replacingOccurrences(of: known, with: "ID") == nobodys.text.replacingOccurrences(of: unknown, with: "ID"),
            "\(op.name): \(theirs.text) / \(nobodys.text)")
        #expect(theirs.status != 200 && theirs.status != 201, "\(op.name) acted on another borough's record")
        #expect(logged == before + 1, "\(op.name): the attempt is not on the log as a scope refusal")
    }

    static func scopeRefusals(_ f: RegisterFixture, _ actor: User) async throws -> Int {
        try await f.refusals(of: actor).filter { $0.refusedUnder == AccessPolicy.scopeRule }.count
    }
}

extension ChildRouteDoorsTests {
    /// An adult (a Newham one unless `officer` says otherwise) suspected of a robbery, with a
    /// partner's 2B item and a proposed inclusion.
    static func newhamSuspect(_ api: LiveAPI, family: String = "Elsewhere", by officer: User? = nil) async throws -> (
        subject: String, inclusion: String, matter: String, item: String
    ) {
        let f = api.fixture
        let today = f.register.clock.now().day
        let created = try await api.send(
            .post, "/api/subjects", as: officer ?? f.newhamOfficer,
            json: ["names": [["given": "Test", "family": family]], "dateOfBirth": "1998-05-05", "sex": "male"])
        let subject = try #require(created.object["id"] as? String, "\(created)")
        let matter = try await api.send(
            .post, "/api/matters", as: officer ?? f.newhamOfficer,
            json: [
                "kind": "offence", "reference": "CRIS-\(family)", "offence": "robbery", "occurredOn": today.adding(days: -8).description,
            ])
        let matterID = try #require(matter.object["id"] as? String, "\(matter)")
        _ = try await api.send(
            .post, "/api/links", as: officer ?? f.newhamOfficer, json: ["subjectId": subject, "matterId": matterID, "category": "suspect"])
        let item = try await api.send(
            .post, "/api/intelligence", as: f.colleague(of: officer ?? f.newhamOfficer),
            json: [
                "subjectId": subject, "text": "Partner report of robberies", "sourceType": "partner",
                "sourceId": try await f.partnerSource().description,
                "grade": ["source": "2", "assessment": "B", "handling": "P"],
            ])
        let itemID = try #require(item.object["id"] as? String, "\(item)")
        let proposed = try await api.send(
            .post, "/api/inclusions", as: officer ?? f.newhamOfficer,
            json: [
                "subjectId": subject, "matterIds": [matterID], "intelligenceIds": [itemID], "rationale": "Robbery and a partner's report",
            ])
        return (subject, try #require(proposed.object["id"] as? String, "\(proposed)"), matterID, itemID)
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

extension ScopeConcealmentTests {
    /// The use cases the first test calls with a person's or an inclusion's id.
    static let first: Set<String> = [
        "subject.read", "subject.history", "subject.ethnicity.read", "harm.assess", "intelligence.create", "link.create", "flag.create",
        "inclusion.propose", "child-action.request", "recall.correction", "inclusion.decide", "review.record", "removal.decide",
    ]
    /// The use cases the second calls with a matter's, an item's, a share's, a disclosure's or a
    /// child action's id.
    static let second: Set<String> = [
        "matter.read", "intelligence.read", "share.request", "share.decide", "share.package", "child-action.decide",
    ]
    /// Use cases about people that borough staff run and that name no one's existing record: the
    /// reason each needs no concealment cell.
    static let namesNoRecord: [String: String] = [
        "subject.create": "records a new person; a duplicate across boroughs is the duplicates queue's business",
        "matter.create": "records a new matter in the officer's own borough",
        "subject.list": "lists the caller's own borough only",
        "subject.search": "searches the caller's reach only; another borough's people are never among the results",
        "review.queue": "the caller's own borough's queue",
        "inclusion.queue": "the caller's own borough's proposals; central governance sees those awaiting the central step",
        "child-action.list": "the caller's own borough's requests",
        "share.list": "the caller's own borough's shares",
        "batch.record": "names records by references inside the batch; a flag's person is scoped (BatchTests)",
        "import.records": "a feed names no existing record; every row lands in the importer's borough",
    ]

    /// Every use case about people that borough staff run is either tried with another borough's
    /// id by one of the two tests, or says here why it names no existing record. A new use case
    /// fails this until it is one or the other.
    @Test func everyUseCaseThatNamesARecordIsTriedWithAnotherBoroughsID() {
        let run = UseCase.allCases.filter { u in
            u.declaration.data.contains(.people) && !u.entitlement.scheduled && u.entitlement.roles.keys.contains(where: \.isBoroughRole)
        }
        let classified = Self.first.union(Self.second).union(Self.namesNoRecord.keys)
        #expect(Set(run.map(\.rawValue)).subtracting(classified).isEmpty, "not tried with another borough's id")
        #expect(classified.subtracting(run.map(\.rawValue)).isEmpty, "listed, but not a use case borough staff run about people")
        #expect(Self.first.isDisjoint(with: Self.second) && Self.first.union(Self.second).isDisjoint(with: Self.namesNoRecord.keys))
    }

    /// The records a person's data lies in (a matter, an item, a share request, a disclosure, a
    /// child's pending action) answer another borough's staff as an unknown id does; the borough
    /// that holds them reads them as usual.
    @Test(arguments: databases) func anotherBoroughsRecordsAnswerAsNoOnesToo(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { base in
            let f = base.fixture
            let newhamSPOC = try await f.directory.admit(
                UserDraft(
                    username: "newham-spoc", displayName: "Newham SPOC", role: "borough-spoc", unit: "newham",
                    trainingCompletedOn: RegisterFixture.trainedOn), approvedBy: f.governance)
            let api = try await base.adding(newhamSPOC)
            let s = try await DisclosureControlsAPITests.scene(api)
            let newham = try await ChildRouteDoorsTests.newhamSuspect(api)
            let pendingShare = try #require(try await s.request([try await s.person("Pending")]).object["id"] as? String)
            let disclosure = try await s.disclose([try await s.person("Disclosed")])
            let child = try await ChildRouteAPITests.person(api, "Fourteen", age: 14)
            let asked = try await api.send(
                .post, "/api/child-actions", as: f.hackneyOfficer,
                json: [
                    "kind": "harm-assessment", "subjectId": child.subject,
                    "safeguardingRationale": "A score is needed for the multi-agency safeguarding panel this week",
                ])
            let childAction = try #require(asked.object["id"] as? String, "\(asked)")

            let decision: (String) -> [String: Any] = { _ in ["approve": true, "reason": "Considered at the borough panel today"] }
            let cells: [(Operation, String, own: User?)] = [
                (
                    .init(name: "matter.read", user: \.hackneyOfficer, method: .get, path: { "/api/matters/\($0)" }, body: nil),
                    newham.matter,
                    f.newhamOfficer
                ),
                (
                    .init(
                        name: "intelligence.read", user: \.hackneyOfficer, method: .get, path: { "/api/intelligence/\($0)" }, body: nil),
                    newham.item, f.newhamOfficer
                ),
                (
                    .init(
                        name: "share.request", user: \.hackneyOfficer, method: .post, path: { _ in "/api/shares" },
                        body: { ["agreementId": s.agreement, "partnerId": s.partner, "subjectIds": [$0]] }), newham.subject, nil
                ),
                (
                    .init(
                        name: "share.decide", user: { _ in newhamSPOC }, method: .post, path: { "/api/shares/\($0)/decision" },
                        body: decision),
                    pendingShare, nil
                ),
                (
                    .init(
                        name: "share.package", user: { _ in newhamSPOC }, method: .get, path: { "/api/disclosures/\($0)/package" },
                        body: nil),
                    disclosure, f.hackneySPOC
                ),
                (
                    .init(
                        name: "child-action.decide", user: { _ in newhamSPOC }, method: .post,
                        path: { "/api/child-actions/\($0)/decision" },
                        body: decision), childAction, nil
                ),
            ]
            for (op, known, own) in cells {
                try await Self.answersAsNoOnes(api, op, known)
                if let own {
                    let home = try await api.send(op.method, op.path(known), as: own, json: op.body?(known))
                    #expect(home.status == 200, "\(op.name) as \(own.username), whose borough holds it: \(home.status)")
                }
            }
            #expect(Set(cells.map(\.0.name)) == Self.second)
        }
    }
}
