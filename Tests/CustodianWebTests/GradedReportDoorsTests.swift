import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Handling codes and grades travel with the information, not with its carrier: an intelligence
/// report recorded as a matter is withheld exactly as an intelligence item with the same code.
/// Doors that carry a matter out of the register, each tried: the share request's reasons, the
/// portal, and the package's CSV and JSON.
@Suite struct GradedReportDoorsTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func aGradedIntelligenceReportIsWithheldAsAnItemWithTheSameCodeWouldBe(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let s = try await DisclosureControlsAPITests.scene(api)
            let f = api.fixture
            let person = try await s.person("Reported")
            let today = f.register.clock.now().day
            func report(_ reference: String, _ grade: [String: String]) async throws -> String {
                let made = try await api.send(
                    .post, "/api/matters", as: f.hackneyOfficer,
                    json: [
                        "kind": "intelligence-report", "reference": reference, "occurredOn": today.adding(days: -4).description,
                        "grade": grade,
                    ])
                let id = try #require(made.object["id"] as? String, "\(made)")
                let linked = try await api.send(
                    .post, "/api/links", as: f.hackneyOfficer, json: ["subjectId": person, "matterId": id, "category": "suspect"])
                #expect(linked.status == 201, "\(linked)")
                return id
            }
            try await report("IR-NEVER-LEAVES", ["scheme": "5x5x5", "source": "B", "assessment": "2", "handling": "4"])
            try await report("IR-WEAK-GRADE", ["source": "2", "assessment": "E", "handling": "P"])
            let conditioned = try await report(
                "IR-CONDITIONED", ["source": "1", "assessment": "B", "handling": "C", "conditions": "Not for housing decisions"])
            try await report("IR-FINE", ["source": "2", "assessment": "B", "handling": "P"])

            // Unacknowledged conditions on a report stop the person, as on an item.
            let unacknowledged = try await s.request([person])
            let outcome = try #require((unacknowledged.object["outcomes"] as? [[String: Any]])?.first, "\(unacknowledged)")
            #expect(outcome["included"] as? Bool == false, "\(unacknowledged)")
            #expect(unacknowledged.text.contains("share.handling-conditions") && unacknowledged.text.contains(conditioned))

            let disclosure = try await s.disclose([person], acknowledging: [conditioned])
            let portal = try await s.portal()
            #expect(portal.text.contains("IR-FINE") && portal.text.contains("IR-CONDITIONED"), "\(portal)")
            #expect(!portal.text.contains("IR-NEVER-LEAVES"), "a legacy code 4 report left through the portal")
            #expect(!portal.text.contains("IR-WEAK-GRADE"), "an E-graded report left under an agreement that does not say so")
            #expect(portal.text.contains("1B") || portal.text.contains("2B"), "the report's grade does not travel with it: \(portal)")

            let package = try await api.send(
                .get, "/api/disclosures/\(disclosure)/package", as: f.partner, purpose: RegisterFixture.partnerPurpose)
            #expect(package.status == 200, "\(package)")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try s.unpack(package.body, into: dir)
            for file in ["records.csv", "records.json"] {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                #expect(text.contains("IR-FINE") && text.contains("IR-CONDITIONED"), "\(file): \(text)")
                #expect(!text.contains("IR-NEVER-LEAVES") && !text.contains("IR-WEAK-GRADE"), "\(file) carries a withheld report")
            }
        }
    }
}
