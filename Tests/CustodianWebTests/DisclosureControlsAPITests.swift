@_spi(Storage) import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Controls that must hold once data has left: each test performs the abuse through the API, on
/// both databases, and shows the refusal and its audit entry.
@Suite struct DisclosureControlsAPITests {
    static let databases = TestDatabase.available
    static let governancePurpose = StatedPurpose(purpose: .registerReview, justification: "Board: reviewing disclosures made this month")

    /// A partner (the fixture's recipient, with an age key), an approved agreement, and helpers to
    /// include people and share them.
    struct Scene {
        let api: LiveAPI
        let partner: String
        let agreement: String
        let identity: AgeIdentity
        var f: RegisterFixture { api.fixture }

        /// A Hackney person included on a robbery (as suspect) and a partner's 2B report.
        func person(_ family: String, dob: String = "2001-04-17") async throws -> String {
            try await included(family, dob: dob).subject
        }

        func included(_ family: String, dob: String = "2001-04-17") async throws -> (subject: String, inclusion: String) {
            let today = f.register.clock.now().day
            let created = try await api.send(
                .post, "/api/subjects", as: f.hackneyOfficer,
                json: ["names": [["given": "Test", "family": family]], "dateOfBirth": dob, "sex": "female"])
            let subject = try #require(created.object["id"] as? String, "\(created)")
            let matter = try await api.send(
                .post, "/api/matters", as: f.hackneyOfficer,
                json: [
                    "kind": "offence", "reference": "CRIS-\(family)", "offence": "robbery",
                    "occurredOn": today.adding(days: -10).description,
                ])
            let matterID = try #require(matter.object["id"] as? String, "\(matter)")
            _ = try await api.send(
                .post, "/api/links", as: f.hackneyOfficer, json: ["subjectId": subject, "matterId": matterID, "category": "suspect"])
            let intel = try await intelligence(
                subject, "Partner report about \(family)", ["source": "2", "assessment": "B", "handling": "P"])
            let child = ChildSafeguards.route(age: LocalDate(iso: dob)!.age(on: today), .first) != .adult
            var proposal: [String: Any] = [
                "subjectId": subject, "matterIds": [matterID], "intelligenceIds": [intel], "rationale": "Two sources",
            ]
            if child { proposal["safeguardingRationale"] = "Referral to the YOT protects this child from exploitation" }
            let proposed = try await api.send(.post, "/api/inclusions", as: f.hackneyOfficer, json: proposal)
            let inclusion = try #require(proposed.object["id"] as? String, "\(proposed)")
            let decided = try await api.send(
                .post, "/api/inclusions/\(inclusion)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Threshold met at the borough panel"])
            #expect(decided.status == 200, "\(decided)")
            if child {
                let central = try await api.send(
                    .post, "/api/inclusions/\(inclusion)/decision", as: f.governance, purpose: governancePurpose,
                    json: ["approve": true, "reason": "Safeguarding rationale and referral checked centrally"])
                #expect(central.status == 200, "\(central)")
            }
            return (subject, inclusion)
        }

        @discardableResult
        func intelligence(_ subject: String, _ text: String, _ grade: [String: String]) async throws -> String {
            let made = try await api.send(
                .post, "/api/intelligence", as: f.hackneyColleague,
                json: [
                    "subjectId": subject, "text": text, "sourceType": "partner", "sourceId": try await f.partnerSource().description,
                    "grade": grade,
                ])
            return try #require(made.object["id"] as? String, "\(made)")
        }

        func request(_ subjects: [String], acknowledging: [String] = [], rationale: String? = nil) async throws -> APIResponse {
            var body: [String: Any] = [
                "agreementId": agreement, "partnerId": partner, "subjectIds": subjects, "acknowledgedConditions": acknowledging,
            ]
            if let rationale { body["safeguardingRationale"] = rationale }
            return try await api.send(.post, "/api/shares", as: f.hackneyOfficer, json: body)
        }

        /// Requests and approves a share; returns the disclosure id.
        func disclose(_ subjects: [String], acknowledging: [String] = []) async throws -> String {
            let requested = try await request(subjects, acknowledging: acknowledging)
            let share = try #require(requested.object["id"] as? String, "\(requested)")
            let approved = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Proportionate: amber band, review up to date"])
            return try #require(approved.object["disclosureId"] as? String, "\(approved)")
        }

        /// Opens a package as the recipient would: age with the partner's key, then tar, into `dir`.
        func unpack(_ package: Data, into dir: URL) throws {
            let keyFile = dir.appendingPathComponent("partner.agekey")
            try identity.fileContents.write(to: keyFile, atomically: true, encoding: .utf8)
            let tools = AgePackageTests()
            let opened = try tools.run("age", ["-d", "-i", keyFile.path], input: package)
            #expect(opened.status == 0, "\(opened.error)")
            let tar = dir.appendingPathComponent("p.tar")
            try opened.output.write(to: tar)
            #expect(try tools.run("tar", ["-xf", tar.path, "-C", dir.path]).status == 0)
        }

        func portal(as user: User? = nil, purpose: StatedPurpose? = RegisterFixture.partnerPurpose) async throws -> APIResponse {
            try await api.send(.get, "/api/portal/disclosures", as: user ?? f.partner, purpose: purpose)
        }

        /// The newest audit entries of one operation, as the auditor sees them.
        func entries(_ operation: String, actor: User? = nil) async throws -> [AuditEntry] {
            try await f.register.auditPage(
                AuditFilter(actor: actor?.id.description, operation: operation), by: f.auditor,
                for: RegisterFixture.auditPurpose
            ).entries.map(\.entry)
        }
    }

    /// With `sameParty`, a second agreement with the first scene's partner.
    static func scene(
        _ api: LiveAPI, fields: [String] = ["name", "date-of-birth", "matters", "intelligence"],
        weakIntelligence: Bool = false, sameParty: Scene? = nil
    ) async throws -> Scene {
        let f = api.fixture
        let identity = sameParty?.identity ?? AgeIdentity.generate()
        var partner = sameParty?.partner ?? ""
        if sameParty == nil {
            let registered = try await api.send(
                .post, "/api/partners", as: f.governance,
                json: [
                    "name": "Hackney Council Youth Offending Team", "kind": "youth-offending-team", "statutory": true,
                    "recipientIds": [f.partner.id.description], "ageRecipient": identity.recipient.description,
                ])
            partner = try #require(registered.object["id"] as? String, "\(registered)")
        }
        let today = f.register.clock.now().day
        let drafted = try await api.send(
            .post, "/api/agreements", as: f.governance,
            json: [
                "title": "Hackney YOT diversion", "partnerIds": [partner], "purpose": "Diverting young people from violence",
                "legalPower": "Crime and Disorder Act 1998 s.115", "fields": fields, "categories": ["suspect", "convicted"],
                "bands": ["red", "amber"], "safeguarding": false, "onwardSharing": false, "retentionDays": 150,
                "securityTerms": "YOT case system only",
                "signatories": ["Borough Commander", "YOT Manager"], "startsOn": today.adding(days: -1).description,
                "reviewOn": today.adding(days: 90).description, "expiresOn": today.adding(days: 300).description,
                "sharesWeakIntelligence": weakIntelligence,
            ])
        let agreement = try #require(drafted.object["id"] as? String, "\(drafted)")
        _ = try await api.send(.post, "/api/agreements/\(agreement)/approval", as: f.governance)
        let second = try await f.directory.admit(
            UserDraft(
                username: "board-\(UUID().uuidString.prefix(6).lowercased())", displayName: "Board Member",
                role: "governance", unit: "central", trainingCompletedOn: RegisterFixture.trainedOn),
            approvedBy: f.governance)
        _ = try await f.register.approveAgreement(try #require(AgreementID(agreement)), by: second)
        return Scene(api: api, partner: partner, agreement: agreement, identity: identity)
    }

    // MARK: 1, 2: recall and restriction withdraw at once

    @Test(arguments: databases) func aRecalledDisclosureIsWithdrawnAtOnceBeforeAndAfterThePartnerAnswers(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let person = try await s.person("Recallable")
            let disclosure = try await s.disclose([person])
            #expect(try await s.portal().array.count == 1)

            let recalled = try await api.send(.post, "/api/disclosures/\(disclosure)/recall", as: f.governance)
            #expect(recalled.status == 201, "\(recalled)")
            let again = try await api.send(.post, "/api/disclosures/\(disclosure)/recall", as: f.governance)
            #expect(again.status == 409, "a disclosure is recalled once: \(again)")

            // Withdrawn before the partner has even read the recall.
            #expect(try await s.portal().array.isEmpty)
            for user in [f.hackneySPOC, f.partner] {
                let package = try await api.send(.get, "/api/disclosures/\(disclosure)/package", as: user)
                #expect(package.status == 403 && package.object["rule"] as? String == "share.withdrawn", "\(package)")
            }
            let refusals = try await s.entries("refusal").filter { $0.action == "share.package" }
            #expect(refusals.count == 2 && refusals.allSatisfy { $0.outcome?.contains("share.recalled") == true })

            // And after it acknowledges and confirms deletion.
            let recall = try #require(try await api.send(.get, "/api/recalls", as: f.partner).array.first?["id"] as? String)
            #expect(try await api.send(.post, "/api/recalls/\(recall)/acknowledgement", as: f.partner).status == 200)
            #expect(try await api.send(.post, "/api/recalls/\(recall)/deletion", as: f.partner).status == 200)
            #expect(try await s.portal().array.isEmpty)
            #expect(try await api.send(.get, "/api/disclosures/\(disclosure)/package", as: f.partner).status == 403)
        }
    }

    @Test(arguments: databases) func restrictingAPersonRecallsEveryDisclosureThatCarriedThem(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let (restricted, other) = (try await s.person("Restricted"), try await s.person("Unaffected"))
            let first = try await s.disclose([restricted, other])
            let second = try await s.disclose([restricted])
            let done = try await api.send(
                .post, "/api/subjects/\(restricted)/restriction", as: f.governance, purpose: Self.governancePurpose,
                json: ["reason": "Accuracy contested by the person; tribunal pending"])
            #expect(done.status == 204, "\(done)")
            let recalls = try await api.send(.get, "/api/recalls", as: f.governance).array
            #expect(recalls.count == 2 && recalls.allSatisfy { $0["reason"] as? String == "restriction" }, "\(recalls)")
            #expect(Set(recalls.compactMap { $0["disclosureId"] as? String }) == [first, second])

            // The portal keeps the other person and drops the restricted one; the second package has nothing left to send.
            let portal = try await s.portal()
            #expect(portal.array.count == 1 && portal.text.contains("Unaffected") && !portal.text.contains("Restricted"), "\(portal)")
            let package = try await api.send(.get, "/api/disclosures/\(second)/package", as: f.partner)
            #expect(package.status == 403 && package.object["rule"] as? String == "share.withdrawn", "\(package)")
            let read = try #require(try await s.entries("consultation", actor: f.partner).first { $0.action == "portal.list" })
            #expect(read.outcome?.contains("share.recalled") == true, "the withheld record is on the entry: \(read)")
        }
    }

    // MARK: 3: every transmission re-checks

    @Test(arguments: databases) func aPortalReadAndAPackageReCheckEachRecordToday(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let person = try await s.person("Overdue")
            let disclosure = try await s.disclose([person])
            #expect(try await s.portal().array.count == 1)
            clock.advance(seconds: 95 * 86_400)  // the review is now overdue
            #expect(try await s.portal().array.isEmpty, "a frozen copy never goes out unchecked")
            let read = try #require(try await s.entries("consultation", actor: f.partner).first { $0.action == "portal.list" })
            #expect(read.outcome?.contains("share.review-overdue") == true, "\(read)")
            let package = try await api.send(.get, "/api/disclosures/\(disclosure)/package", as: f.hackneySPOC)
            #expect(package.status == 403 && package.text.contains("share.review-overdue"), "\(package)")
        }
    }

    // MARK: 4: handling codes item by item

    @Test(arguments: databases) func handlingCodesAreEnforcedItemByItemWhenRecordsLeave(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let person = try await s.person("Conditioned")
            let conditional = try await s.intelligence(
                person, "Seen carrying a blade (conditioned)",
                ["source": "1", "assessment": "B", "handling": "C", "conditions": "Not for housing decisions"])
            try await s.intelligence(
                person, "Legacy report never to leave", ["scheme": "5x5x5", "source": "B", "assessment": "2", "handling": "4"])
            try await s.intelligence(person, "Rumour suspected false", ["source": "2", "assessment": "E", "handling": "P"])

            let unacknowledged = try await s.request([person])
            let outcome = try #require((unacknowledged.object["outcomes"] as? [[String: Any]])?.first)
            #expect(outcome["included"] as? Bool == false && unacknowledged.text.contains("share.handling-conditions"), "\(unacknowledged)")

            let disclosure = try await s.disclose([person], acknowledging: [conditional])
            let acknowledged = try await s.entries("alteration", actor: f.hackneyOfficer).first {
                $0.action == "share.request" && !$0.touched.isEmpty && $0.touched.count > 1
            }
            #expect(
                acknowledged?.touched.map(\.description).contains("intelligence/\(conditional)/conditions-acknowledged") == true,
                "the acknowledgement is logged item by item")
            let portal = try await s.portal()
            #expect(portal.text.contains("Seen carrying a blade") && portal.text.contains("Not for housing decisions"), "\(portal)")
            #expect(
                !portal.text.contains("Legacy report") && !portal.text.contains("Rumour suspected"),
                "legacy 4 and E-graded items stay behind")
            _ = disclosure

            // Only an agreement that says so explicitly lets E-graded items go; legacy 4 and 5 never.
            let permissive = try await Self.scene(api, weakIntelligence: true, sameParty: s)
            _ = try await permissive.disclose([person], acknowledging: [conditional])
            let both = try await s.portal()
            #expect(both.text.contains("Rumour suspected") && !both.text.contains("Legacy report"), "\(both)")
        }
    }

    // MARK: 5, 6: who receives, and how

    @Test(arguments: databases) func aRecipientFetchesItsOwnPackageAndNoOneElseDoes(_ db: TestDatabase) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-own-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try await withLiveAPI(db) { base in
            let f = base.fixture
            let outsider = try await f.directory.admit(
                UserDraft(
                    username: "housing-recipient", displayName: "Housing Recipient", role: "partner-recipient",
                    unit: "central", trainingCompletedOn: RegisterFixture.trainedOn), approvedBy: f.governance)
            let api = try await base.adding(outsider)
            let s = try await Self.scene(api)
            _ = try await api.send(
                .post, "/api/partners", as: f.governance,
                json: [
                    "name": "Invented Housing Association", "kind": "housing-association", "statutory": false,
                    "recipientIds": [outsider.id.description], "ageRecipient": AgeIdentity.generate().recipient.description,
                ])
            let disclosure = try await s.disclose([try await s.person("Packaged")])
            let taken = try await api.send(
                .post, "/api/partners", as: f.governance,
                json: [
                    "name": "Another Council Team", "kind": "council-department", "statutory": true,
                    "recipientIds": [f.partner.id.description], "ageRecipient": AgeIdentity.generate().recipient.description,
                ])
            #expect(
                taken.status == 422 && taken.violatedRules == ["partner.recipient-taken"],
                "a recipient belongs to one organisation: \(taken)")

            let own = try await api.send(
                .get, "/api/disclosures/\(disclosure)/package", as: f.partner, purpose: RegisterFixture.partnerPurpose)
            #expect(own.status == 200, "\(own)")
            let other = try await api.send(
                .get, "/api/disclosures/\(disclosure)/package", as: outsider, purpose: RegisterFixture.partnerPurpose)
            #expect(other.status == 403 && other.object["rule"] as? String == "share.other-recipient", "\(other)")
            let newham = try await api.send(.get, "/api/disclosures/\(disclosure)/package", as: f.newhamOfficer)
            #expect(newham.status == 404, "another borough's disclosure is not there for Newham: \(newham)")
            let refused = try await s.entries("refusal").filter { $0.action == "share.package" }
            #expect(Set(refused.map(\.actor)) == [outsider.id, f.newhamOfficer.id])

            // The signing key is public, and the package's README prints the same key.
            let keys = try await api.send(.get, "/.well-known/custodian/keys", as: nil, purpose: nil)
            let published = try #require(keys.object["publicKey"] as? String, "\(keys)")
            #expect(published == Data(RegisterFixture.auditPublicKey).base64EncodedString())
            try s.unpack(own.body, into: dir)
            let readme = try String(contentsOf: dir.appendingPathComponent("README.txt"), encoding: .utf8)
            #expect(readme.contains(published) && readme.contains("/.well-known/custodian/keys"))
        }
    }

    @Test(arguments: databases) func aPortalReadNeedsTrainingAPurposeAndAJustificationAndIsLoggedWithThem(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { base in
            let f = base.fixture
            let untrained = try await f.directory.admit(
                UserDraft(
                    username: "untrained-recipient", displayName: "Untrained Recipient",
                    role: "partner-recipient", unit: "central", trainingCompletedOn: nil), approvedBy: f.governance)
            let api = try await base.adding(untrained)
            let s = try await Self.scene(api)
            var partner = try #require(try await f.register.partners(by: f.governance).first)
            partner.recipients.append(untrained.id)
            let widened = partner
            try await f.register.store.transaction { tx in try await tx.upsertPartner(widened) }
            _ = try await s.disclose([try await s.person("Portalled")])

            let noPurpose = try await s.portal(purpose: nil)
            #expect(noPurpose.status == 422 && noPurpose.violatedRules.contains("purpose.required"), "\(noPurpose)")
            let wrongPurpose = try await s.portal(purpose: StatedPurpose(purpose: .investigation, justification: "Looking into an offence"))
            #expect(wrongPurpose.status == 403 && wrongPurpose.object["rule"] as? String == "purpose.role", "\(wrongPurpose)")
            let notTrained = try await s.portal(as: untrained)
            #expect(notTrained.status == 403 && notTrained.object["rule"] as? String == "training.required", "\(notTrained)")
            #expect(try await s.entries("refusal", actor: untrained).contains { $0.action == "portal.list" })

            #expect(try await s.portal().status == 200)
            let read = try #require(try await s.entries("consultation", actor: f.partner).first { $0.action == "portal.list" })
            #expect(
                read.purpose == .safeguarding && read.justification == RegisterFixture.partnerPurpose.justification
                    && !read.subjects.isEmpty)
        }
    }

    // MARK: 10, 9: decisions person by person; children take the child route

    @Test(arguments: databases) func aShareIsDecidedPersonByPersonWithASubstantiveReason(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let (kept, left) = (try await s.person("Keptin"), try await s.person("Leftout"))
            let requested = try await s.request([kept, left])
            let share = try #require(requested.object["id"] as? String)
            let outcomes = try #require(requested.object["outcomes"] as? [[String: Any]])
            #expect(
                outcomes.allSatisfy { ($0["harmShown"] as? String)?.contains("amber band") == true },
                "the decider sees each person's harm: \(outcomes)")

            let terse = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.hackneySPOC, json: ["approve": true, "reason": "ok"])
            #expect(terse.status == 422 && terse.violatedRules == ["decision.reason"], "\(terse)")
            let decided = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Proportionate for one; the other is already engaged", "excludedSubjectIds": [left]])
            let decisions = try #require(decided.object["decisions"] as? [[String: Any]], "\(decided)")
            #expect(decisions.count == 2 && decisions.contains { $0["subjectId"] as? String == left && $0["approved"] as? Bool == false })
            #expect(decisions.allSatisfy { ($0["harmShown"] as? String)?.contains("score") == true })
            let portal = try await s.portal()
            #expect(portal.text.contains("Keptin") && !portal.text.contains("Leftout"), "\(portal)")
        }
    }

    @Test(arguments: databases) func aShareNamingAChildOrSomeoneOfUnknownAgeNeedsARationaleAndCentralGovernance(_ db: TestDatabase)
        async throws
    {
        try await withLiveAPI(db) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let born = f.register.clock.now().day.adding(days: -16 * 366).description
            let child = try await s.person("Youngperson", dob: born)
            let bare = try await s.request([child])
            #expect(bare.status == 422 && bare.violatedRules == ["share.child-rationale"], "\(bare)")
            let requested = try await s.request([child], rationale: "The YOT's diversion offer protects this child from exploitation")
            let share = try #require(requested.object["id"] as? String, "\(requested)")
            let spoc = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Proportionate: safeguarding-led referral"])
            #expect(spoc.object["status"] as? String == "awaiting-central" && spoc.object["disclosureId"] == nil, "\(spoc)")
            #expect(try await s.portal().array.isEmpty, "nothing leaves on the SPOC's word alone")
            let again = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Approving the central step myself"])
            #expect(again.status == 403 && again.object["rule"] as? String == "share.central", "\(again)")
            let central = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.governance, purpose: Self.governancePurpose,
                json: ["approve": true, "reason": "Safeguarding rationale checked by the board"])
            #expect(central.object["status"] as? String == "approved" && central.object["disclosureId"] != nil, "\(central)")
        }
    }

    // MARK: 12: readers do not write

    @Test(arguments: databases) func theAnalystCannotScoreAndEthnicityNeedsThePermissionToWrite(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let person = try await s.person("Scored")
            let analyst = try await api.send(.post, "/api/subjects/\(person)/harm", as: f.analyst)
            #expect(analyst.status == 403 && analyst.object["rule"] as? String == "role.analyst-read-only", "\(analyst)")
            #expect(try await s.entries("refusal", actor: f.analyst).contains { $0.action == "harm.assess" })
            #expect(try await api.send(.post, "/api/subjects/\(person)/harm", as: f.hackneyOfficer).status == 200)

            let marked = try await api.send(
                .post, "/api/subjects", as: f.hackneySPOC,
                json: ["names": [["given": "Test", "family": "Marked"]], "sex": "male", "selfDefinedEthnicity": "white-other"])
            #expect(marked.status == 403 && marked.object["rule"] as? String == "permission.sensitive-data", "\(marked)")
            #expect(try await s.entries("refusal", actor: f.hackneySPOC).contains { $0.action == "subject.create" })
        }
    }

    // MARK: 13: erasure leaves nothing behind (the name index included), and last reviewed is real

    @Test(arguments: databases) func lastReviewedIsTheDateOfTheLastReview(_ db: TestDatabase) async throws {
        let clock = TestClock()
        try await withLiveAPI(db, clock: clock) { api in
            let s = try await Self.scene(api)
            let (person, inclusion) = try await s.included("Reviewed")
            clock.advance(seconds: 40 * 86_400)
            let reviewed = try await api.send(
                .post, "/api/inclusions/\(inclusion)/reviews", as: s.f.hackneyOfficer,
                json: ["outcome": "retain", "rationale": "Still active: new partner intelligence this quarter"])
            #expect(reviewed.status == 200, "\(reviewed)")
            clock.advance(seconds: 10 * 86_400)
            _ = try await s.disclose([person])
            let portal = try await s.portal()
            let record = try #require((portal.array.first?["records"] as? [[String: Any]])?.first)
            #expect(record["lastReviewed"] as? String == clock.clock.now().day.adding(days: -10).description, "\(record)")
        }
    }

    @Test(arguments: databases) func afterRemovalNoTableButTheLogHoldsTheSharedPersonsId(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await Self.scene(api)
            let f = s.f
            let (person, id) = try await s.included("Erased")
            _ = try await s.disclose([person])
            #expect(
                try await f.store.keyStoreTablesMentioning(person) == ["subject_keys", "subject_search"],
                "the name index sits with the keys")
            #expect(try await f.store.tablesMentioning(person).isDisjoint(with: ["subject_search"]), "and not beside the data")
            #expect(try await api.send(.get, "/api/subjects?name=Erased", as: f.hackneyOfficer).array.count == 1)
            _ = try await api.send(
                .post, "/api/inclusions/\(id)/reviews", as: f.hackneyOfficer,
                json: ["outcome": "remove", "rationale": "No offending for a year; propose removal"])
            let removed = try await api.send(
                .post, "/api/inclusions/\(id)/removal", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Agreed at the quarterly review panel"])
            #expect(removed.status == 204, "\(removed)")
            #expect(try await f.store.tablesMentioning(person).isSubset(of: ["audit_log", "audit_log_subjects"]))
            #expect(try await f.store.keyStoreTablesMentioning(person).isEmpty, "the key and the name-search tokens go together")
            #expect(try await api.send(.get, "/api/subjects?name=Erased", as: f.hackneyOfficer).array.isEmpty)
        }
    }
}
