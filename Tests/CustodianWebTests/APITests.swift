import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// The register's rules seen from outside: real HTTP requests to a running server on a loopback
/// port, over a real SQLite file and, when scripts/test provides one, a real PostgreSQL.
@Suite struct APITests {
    static let databases = TestDatabase.available

    static var subjectJSON: [String: Any] {
        [
            "names": [["given": "Ottilie", "family": "Marchbanks"]], "dateOfBirth": "2003-09-12", "sex": "female",
            "addresses": ["4 Imaginary Mews, London E8 0ZZ"], "officerDefinedEthnicity": "IC2",
        ]
    }

    func createSubject(_ api: LiveAPI, as user: User) async throws -> String {
        let created = try await api.send(.post, "/api/subjects", as: user, json: Self.subjectJSON)
        try #require(created.status == 201, "\(created)")
        return try #require(created.object["id"] as? String)
    }

    func createMatter(_ api: LiveAPI, as user: User, reference: String, offence: String) async throws -> String {
        let created = try await api.send(
            .post, "/api/matters", as: user,
            json: ["kind": "offence", "reference": reference, "offence": offence, "occurredOn": "2025-08-01"])
        try #require(created.status == 201, "\(created)")
        return try #require(created.object["id"] as? String)
    }

    /// How many entries the log holds, counted through the API by the auditor (whose own reads are
    /// entries too: the caller accounts for them).
    func auditEntries(_ api: LiveAPI, subject: String) async throws -> [[String: Any]] {
        let page = try await api.send(
            .get, "/api/audit?subject=\(subject)&limit=500", as: api.fixture.auditor, purpose: RegisterFixture.auditPurpose)
        try #require(page.status == 200, "\(page)")
        return page.object["entries"] as? [[String: Any]] ?? []
    }

    @Test(arguments: databases) func anOfficerCannotReadAnotherBoroughsSubject(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let id = try await createSubject(api, as: api.fixture.hackneyOfficer)
            let own = try await api.send(.get, "/api/subjects/\(id)", as: api.fixture.hackneyOfficer)
            #expect(own.status == 200)
            // Another borough's record answers exactly as an id that does not exist: no oracle.
            let other = try await api.send(.get, "/api/subjects/\(id)", as: api.fixture.newhamOfficer)
            let unknownID = SubjectID(UUID()).description
            let unknown = try await api.send(.get, "/api/subjects/\(unknownID)", as: api.fixture.newhamOfficer)
            #expect(other.status == 404 && unknown.status == 404)
            #expect(other.headers[.contentType] == "application/problem+json")
            #expect(
                other.text.replacingOccurrences(of: id, with: "ID") == unknown.text.replacingOccurrences(of: unknownID, with: "ID"),
                "\(other) vs \(unknown)")
            #expect(!other.text.lowercased().contains("hackney") && other.object["ethnicity"] == nil && !other.text.contains("Ottilie"))
            // The attempt is on the log for governance, naming the rule.
            let refusals = try await api.fixture.register.auditPage(
                AuditFilter(actor: api.fixture.newhamOfficer.id.description, operation: "refusal"),
                by: api.fixture.auditor, for: RegisterFixture.auditPurpose)
            #expect(refusals.entries.contains { $0.entry.outcome?.hasPrefix("scope.own-borough") == true })
            // The analyst reads across boroughs with a stated purpose.
            #expect(try await api.send(.get, "/api/subjects/\(id)", as: api.fixture.analyst).status == 200)
        }
    }

    @Test(arguments: databases) func aConsultationWithoutPurposeOrJustificationIsRefusedNamingWhatIsMissing(_ db: TestDatabase) async throws
    {
        try await withLiveAPI(db) { api in
            let id = try await createSubject(api, as: api.fixture.hackneyOfficer)
            let bare = try await api.send(.get, "/api/subjects/\(id)", as: api.fixture.hackneyOfficer, purpose: nil)
            #expect(bare.status == 422)
            #expect(bare.violatedFields == ["purpose", "justification"])
            #expect(bare.violatedRules == ["purpose.required", "required"])

            let thin = try await api.send(
                .get, "/api/subjects/\(id)", as: api.fixture.hackneyOfficer,
                purpose: StatedPurpose(purpose: .investigation, justification: "because"))
            #expect(thin.status == 422 && thin.violatedRules == ["justification.min-length"])

            let search = try await api.send(.get, "/api/subjects?name=Marchbanks", as: api.fixture.hackneyOfficer, purpose: nil)
            #expect(search.status == 422 && search.violatedFields == ["purpose", "justification"])
            // Nothing was consulted, so nothing but the collection is in the log.
            #expect(try await auditEntries(api, subject: id).map { $0["operation"] as? String } == ["collection"])
        }
    }

    @Test(arguments: databases) func everyAllowedConsultationLeavesExactlyOneAuditEntry(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let officer = api.fixture.hackneyOfficer
            let id = try await createSubject(api, as: officer)
            let matter = try await createMatter(api, as: officer, reference: "CRIS-0000001/25", offence: "robbery")
            #expect(
                try await api.send(.post, "/api/links", as: officer, json: ["subjectId": id, "matterId": matter, "category": "suspect"])
                    .status == 201)
            let before = try await auditEntries(api, subject: id)

            let reads: [(String, String)] = [
                ("/api/subjects/\(id)", "subject.read"), ("/api/subjects?name=ottilie%20marchbanks", "subject.search"),
                ("/api/matters/\(matter)", "matter.read"), ("/api/subjects/\(id)/ethnicity", "subject.ethnicity.read"),
            ]
            for (path, action) in reads {
                let response = try await api.send(.get, path, as: officer)
                #expect(response.status == 200, "\(path): \(response)")
                let after = try await auditEntries(api, subject: id)
                let new = after.filter { entry in !before.contains { ($0["sequence"] as? Int) == (entry["sequence"] as? Int) } }
                let consultations = new.filter {
                    $0["operation"] as? String == "consultation" && $0["actor"] as? String == officer.id.description
                }
                #expect(consultations.count == reads.firstIndex { $0.1 == action }! + 1, "one more entry after \(path)")
                let last = try #require(consultations.first)
                #expect(last["action"] as? String == action)
                #expect(last["purpose"] as? String == "violence-prevention")
                #expect(last["justification"] as? String == RegisterFixture.purpose.justification)
                #expect(last["subjects"] as? [String] == [id])
            }
            // The log holds ids, never names.
            let log = try await api.send(.get, "/api/audit?limit=500", as: api.fixture.auditor, purpose: RegisterFixture.auditPurpose)
            #expect(log.status == 200 && !log.text.contains("Ottilie") && !log.text.contains("Marchbanks"))
        }
    }

    @Test(arguments: databases) func aVictimOnlyLinkIsLabelledVictimEverywhereItAppears(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let officer = api.fixture.hackneyOfficer
            let id = try await createSubject(api, as: officer)
            let matter = try await createMatter(api, as: officer, reference: "CRIS-0000002/25", offence: "grievous-bodily-harm")
            let link = try await api.send(
                .post, "/api/links", as: officer, json: ["subjectId": id, "matterId": matter, "category": "victim"])
            #expect(
                link.status == 201 && link.object["category"] as? String == "victim"
                    && link.object["label"] as? String == "Victim or potential victim")

            let safeguarding = StatedPurpose(purpose: .safeguarding, justification: "Checking on the victim of the assault")
            let subject = try await api.send(.get, "/api/subjects/\(id)", as: officer, purpose: safeguarding).object
            let categories = subject["categories"] as? [[String: Any]] ?? []
            #expect(categories.map { $0["category"] as? String } == ["victim"])
            #expect(categories.first?["label"] as? String == "Victim or potential victim")
            #expect(subject["protectedOnly"] as? Bool == true)
            let linked = (subject["matters"] as? [[String: Any]] ?? []).compactMap { $0["link"] as? [String: Any] }
            #expect(linked.map { $0["label"] as? String } == ["Victim or potential victim"])

            // A search finds a person held only as a victim under a safeguarding purpose alone
            // (ProtectedPeopleListsTests); there they are labelled as one.
            let hits = try await api.send(
                .get, "/api/subjects?name=Marchbanks", as: officer, purpose: ProtectedPeopleListsTests.safeguarding
            ).array
            #expect(hits.count == 1)
            #expect((hits.first?["categories"] as? [[String: Any]])?.map { $0["label"] as? String } == ["Victim or potential victim"])

            let detail = try await api.send(.get, "/api/matters/\(matter)", as: officer).object
            let onMatter = (detail["subjects"] as? [[String: Any]] ?? []).compactMap { $0["link"] as? [String: Any] }
            #expect(onMatter.map { $0["category"] as? String } == ["victim"])

            // And a victim can carry no enforcement flag.
            let flag = try await api.send(
                .post, "/api/flags", as: officer, json: ["subjectId": id, "kind": "knife-carrier", "matterIds": [matter]])
            #expect(flag.status == 403 && flag.object["rule"] as? String == "category.protected-only")
        }
    }

    @Test(arguments: databases) func aSocialMediaItemWithoutItsProvenanceIsRefused(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let officer = api.fixture.hackneyOfficer
            let id = try await createSubject(api, as: officer)
            let grade: [String: Any] = ["source": "2", "assessment": "C", "handling": "P"]
            let bare = try await api.send(
                .post, "/api/intelligence", as: officer,
                json: ["subjectId": id, "text": "Posted a drill video with a blade", "grade": grade, "sourceType": "social-media"])
            #expect(bare.status == 422)
            #expect(
                Set(bare.violatedFields) == [
                    "socialMedia.locator", "socialMedia.capturedAt", "socialMedia.captureMethod", "socialMedia.contentSHA256",
                    "socialMedia.attributionBasis", "socialMedia.authorisationReference",
                ])
            let partial = try await api.send(
                .post, "/api/intelligence", as: officer,
                json: [
                    "subjectId": id, "text": "Posted a drill video with a blade", "grade": grade, "sourceType": "social-media",
                    "socialMedia": [
                        "locator": "https://video.example/@x/1", "capturedAt": "2025-05-01T10:15:00Z", "captureMethod": "screen capture",
                        "contentSHA256": "not-a-hash", "attributionBasis": "Known handle",
                    ],
                ])
            #expect(
                partial.status == 422 && Set(partial.violatedFields) == ["socialMedia.contentSHA256", "socialMedia.authorisationReference"])
            let complete = try await api.send(
                .post, "/api/intelligence", as: officer,
                json: [
                    "subjectId": id, "text": "Posted a drill video with a blade", "grade": grade, "sourceType": "social-media",
                    "socialMedia": [
                        "locator": "https://video.example/@x/1", "capturedAt": "2025-05-01T10:15:00Z", "captureMethod": "screen capture",
                        "contentSHA256": String(repeating: "0f", count: 32), "attributionBasis": "Known handle, matched custody image",
                        "authorisationReference": "DSA-2025-0099",
                    ],
                ])
            #expect(complete.status == 201, "\(complete)")
            // Only the accepted item was written.
            let subject = try await api.send(.get, "/api/subjects/\(id)", as: officer).object
            #expect((subject["intelligence"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: databases) func anInvalidGradeIsRefusedWithTheFieldNamed(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let officer = api.fixture.hackneyOfficer
            let id = try await createSubject(api, as: officer)
            let response = try await api.send(
                .post, "/api/intelligence", as: officer,
                json: [
                    "subjectId": id, "text": "Seen with a firearm", "grade": ["source": "4", "assessment": "F", "handling": "P"],
                    "sourceType": "police",
                ])
            #expect(response.status == 422)
            #expect(response.violatedFields == ["grade.source", "grade.assessment"])
            #expect(response.text.contains("1 (reliable), 2 (untested) or 3 (not reliable)"))
            let handlingC = try await api.send(
                .post, "/api/intelligence", as: officer,
                json: [
                    "subjectId": id, "text": "Seen with a firearm", "grade": ["source": "1", "assessment": "A", "handling": "C"],
                    "sourceType": "police",
                ])
            #expect(handlingC.status == 422 && handlingC.violatedFields == ["grade.conditions"])
            let subject = try await api.send(.get, "/api/subjects/\(id)", as: officer).object
            #expect((subject["intelligence"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: databases) func anAdministratorCannotReadRegisterContent(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let id = try await createSubject(api, as: api.fixture.hackneyOfficer)
            let admin = api.fixture.administrator
            for path in ["/api/subjects/\(id)", "/api/subjects?name=Marchbanks", "/api/subjects/\(id)/ethnicity"] {
                let response = try await api.send(
                    .get, path, as: admin, purpose: StatedPurpose(purpose: .dataQuality, justification: "Checking a record for a user"))
                #expect(response.status == 403, "\(path)")
                #expect(response.object["rule"] as? String == "role.no-register-content")
            }
            #expect(try await api.send(.get, "/api/audit", as: admin, purpose: RegisterFixture.auditPurpose).status == 403)
            // What an administrator does do.
            #expect(try await api.send(.get, "/api/users", as: admin, purpose: nil).status == 200)
            // And auditors and partners see no register content either.
            #expect(
                try await api.send(.get, "/api/subjects/\(id)", as: api.fixture.auditor, purpose: RegisterFixture.auditPurpose).object[
                    "rule"] as? String == "role.audit-only")
            #expect(try await api.send(.get, "/api/subjects/\(id)", as: api.fixture.partner).object["rule"] as? String == "role.partner")
        }
    }

    @Test(arguments: databases) func untrainedUsersAndMissingTokensAreRefused(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let noToken = try await api.send(.get, "/api/me", as: nil)
            #expect(noToken.status == 401 && noToken.headers[.wwwAuthenticate] == "Bearer")
            let untrained = try await api.send(.post, "/api/subjects", as: api.fixture.untrainedOfficer, json: Self.subjectJSON)
            #expect(untrained.status == 403 && untrained.object["rule"] as? String == "training.required")
        }
    }

    @Test(arguments: databases) func malformedBodiesNameTheFieldAndWriteNothing(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let officer = api.fixture.hackneyOfficer
            let wrong = try await api.send(
                .post, "/api/subjects", as: officer,
                json: [
                    "names": [["given": "", "family": "Pellow"]], "dateOfBirth": "2031-02-30", "sex": "female", "pncId": "ABC",
                ])
            #expect(wrong.status == 422)
            #expect(wrong.violatedFields == ["names[0].given", "dateOfBirth", "pncId"])
            // A value outside the contract's enum is refused at the boundary, naming the field.
            let offContract = try await api.send(
                .post, "/api/subjects", as: officer,
                json: [
                    "names": [["given": "Ann", "family": "Pellow"]], "sex": "unknown",
                ])
            #expect(offContract.status == 400 && offContract.violatedFields == ["sex"], "\(offContract)")
            let hits = try await api.send(.get, "/api/subjects?name=Pellow", as: officer)
            #expect(hits.status == 200 && hits.array.isEmpty)
        }
    }

    @Test func theContractIsServed() async throws {
        try await withLiveAPI(.sqlite) { api in
            let document = try await api.send(.get, "/openapi.yaml", as: nil, purpose: nil)
            #expect(document.status == 200 && document.text.hasPrefix("openapi: 3.1.0"))
            #expect(document.headers[.init("Content-Security-Policy")!] != nil)
        }
    }
}
