import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Sharing through the API, down to a package opened with the stock `age` tool and a manifest
/// signature checked by pyca/cryptography's Ed25519 (not our code).
@Suite struct SharingAPITests {
    static let databases = TestDatabase.available
    let tools = AgePackageTests()

    @Test(arguments: databases) func aPackageOpensWithAgeAndItsManifestVerifiesWithAStandardEd25519(_ db: TestDatabase) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-share-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (keyFile, recipient) = try tools.identity(in: dir)
        try await withLiveAPI(db) { api in
            let f = api.fixture
            let registered = try await api.send(
                .post, "/api/partners", as: f.governance,
                json: [
                    "name": "Hackney Council Youth Offending Team", "kind": "youth-offending-team", "statutory": true,
                    "recipientIds": [f.partner.id.description], "ageRecipient": recipient.description,
                ])
            let partner = try #require(registered.object["id"] as? String, "\(registered)")
            let today = f.register.clock.now().day
            let drafted = try await api.send(
                .post, "/api/agreements", as: f.governance,
                json: [
                    "title": "Hackney YOT diversion", "partnerIds": [partner], "purpose": "Diverting young people from violence",
                    "legalPower": "Crime and Disorder Act 1998 s.115", "fields": ["name", "date-of-birth", "matters"],
                    "categories": ["suspect", "convicted"],
                    "bands": ["red", "amber"], "safeguarding": false, "onwardSharing": false, "retentionDays": 60,
                    "securityTerms": "YOT case system only",
                    "signatories": ["Borough Commander", "YOT Manager"], "startsOn": today.adding(days: -1).description,
                    "reviewOn": today.adding(days: 90).description, "expiresOn": today.adding(days: 180).description,
                ])
            let agreement = try #require(drafted.object["id"] as? String, "\(drafted)")

            // A subject included on two sources.
            let created = try await api.send(
                .post, "/api/subjects", as: f.hackneyOfficer,
                json: [
                    "names": [["given": "Perpetua", "family": "Ravensworth"]], "dateOfBirth": "2003-03-03", "sex": "female",
                    "addresses": ["9 Invented Close, London E8 0ZZ"],
                ])
            let subject = try #require(created.object["id"] as? String)
            let matter = try await api.send(
                .post, "/api/matters", as: f.hackneyOfficer,
                json: ["kind": "offence", "reference": "CRIS-RAV", "offence": "robbery", "occurredOn": today.adding(days: -10).description])
            let matterID = try #require(matter.object["id"] as? String)
            _ = try await api.send(
                .post, "/api/links", as: f.hackneyOfficer, json: ["subjectId": subject, "matterId": matterID, "category": "suspect"])
            let intel = try await api.send(
                .post, "/api/intelligence", as: f.hackneyColleague,
                json: [
                    "subjectId": subject, "text": "Partner report of robberies", "sourceType": "partner",
                    "sourceId": try await f.partnerSource().description, "grade": ["source": "2", "assessment": "B", "handling": "P"],
                ])
            let proposal = try await api.send(
                .post, "/api/inclusions", as: f.hackneyOfficer,
                json: [
                    "subjectId": subject, "matterIds": [matterID], "intelligenceIds": [try #require(intel.object["id"] as? String)],
                    "rationale": "Two sources",
                ])
            _ = try await api.send(
                .post, "/api/inclusions/\(try #require(proposal.object["id"] as? String))/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Threshold met at panel"])

            // Not yet approved: nothing may go.
            let early = try await api.send(
                .post, "/api/shares", as: f.hackneyOfficer, json: ["agreementId": agreement, "partnerId": partner, "subjectIds": [subject]])
            #expect(early.status == 201 && early.object["status"] as? String == "rejected", "\(early)")
            #expect(early.text.contains("share.agreement-inactive"))

            _ = try await api.send(.post, "/api/agreements/\(agreement)/approval", as: f.governance)
            let second = try await f.boardMember()
            _ = try await f.register.approveAgreement(try #require(AgreementID(agreement)), by: second)

            let request = try await api.send(
                .post, "/api/shares", as: f.hackneyOfficer, json: ["agreementId": agreement, "partnerId": partner, "subjectIds": [subject]])
            let share = try #require(request.object["id"] as? String, "\(request)")
            let own = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.hackneyOfficer,
                json: ["approve": true, "reason": "approving my own (recorded at panel)"])
            #expect(own.status == 403, "\(own)")
            let approved = try await api.send(
                .post, "/api/shares/\(share)/decision", as: f.hackneySPOC,
                json: ["approve": true, "reason": "Proportionate (recorded at panel)"])
            let disclosure = try #require(approved.object["disclosureId"] as? String, "\(approved)")

            // The package: opened by age with the partner's identity, unpacked by tar.
            let package = try await api.send(.get, "/api/disclosures/\(disclosure)/package", as: f.hackneySPOC)
            #expect(package.status == 200 && package.headers[.contentType] == "application/octet-stream", "\(package.status)")
            let opened = try tools.run("age", ["-d", "-i", keyFile], input: package.body)
            #expect(opened.status == 0, "\(opened.error)")
            let tarFile = dir.appendingPathComponent("package.tar")
            try opened.output.write(to: tarFile)
            let unpacked = dir.appendingPathComponent("package")
            try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
            #expect(try tools.run("tar", ["-xf", tarFile.path, "-C", unpacked.path]).status == 0)
            let names = try FileManager.default.contentsOfDirectory(atPath: unpacked.path).sorted()
            #expect(names == ["README.txt", "manifest.json", "manifest.sig", "records.csv", "records.json"])
            let records = try String(contentsOf: unpacked.appendingPathComponent("records.json"), encoding: .utf8)
            #expect(records.contains("Perpetua Ravensworth") && records.contains("CRIS-RAV") && records.contains("CUSTODIAN-"))
            #expect(!records.contains("Invented Close") && !records.contains("Partner report"), "a field outside the allow-list left")
            let manifest =
                try JSONSerialization.jsonObject(with: Data(contentsOf: unpacked.appendingPathComponent("manifest.json"))) as? [String: Any]
                ?? [:]
            #expect(manifest["disclosureId"] as? String == disclosure && manifest["agreementId"] as? String == agreement)
            #expect(manifest["recipientOrganisation"] as? String == "Hackney Council Youth Offending Team")
            #expect(
                (manifest["recipientUsers"] as? [String]) == ["partner-recipient"]
                    && (manifest["watermark"] as? String)?.hasPrefix("CUSTODIAN-") == true)

            // The signature, checked by pyca/cryptography against the key the API publishes.
            let key = try await api.send(.get, "/api/audit/public-key", as: f.auditor, purpose: RegisterFixture.auditPurpose)
            let publicKey = try #require(key.object["publicKey"] as? String)
            let script = """
                import base64, sys
                from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
                key = Ed25519PublicKey.from_public_bytes(base64.b64decode(sys.argv[1]))
                key.verify(base64.b64decode(open(sys.argv[3]).read().strip()), open(sys.argv[2], 'rb').read())
                print('verified')
                """
            let checked = try tools.run(
                "python3",
                [
                    "-c", script, publicKey, unpacked.appendingPathComponent("manifest.json").path,
                    unpacked.appendingPathComponent("manifest.sig").path,
                ])
            #expect(String(decoding: checked.output, as: UTF8.self) == "verified\n", "\(checked.error)")

            // The partner sees it in the portal; an officer does not.
            let portal = try await api.send(.get, "/api/portal/disclosures", as: f.partner)
            #expect(portal.status == 200 && portal.array.count == 1 && portal.text.contains("Perpetua Ravensworth"), "\(portal)")
            #expect(try await api.send(.get, "/api/portal/disclosures", as: f.hackneyOfficer).status == 403)
        }
    }
}
