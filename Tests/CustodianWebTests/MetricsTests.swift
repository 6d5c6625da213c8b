import CustodianCore
import CustodianTestSupport
import CustodianWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import Testing

/// `/metrics` in Prometheus's text format, to its token alone: requests by route, audit entries by
/// operation, refusals by rule, flush sizes and commit waits. The series move as the register is
/// used, and carry no one's name or id.
@Suite struct MetricsTests {
    static var registry: PrometheusCollectorRegistry { TestMetrics.registry }
    static let token = "a-scraper-token-for-the-tests-0123456789"

    static func value(_ series: String, in text: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test(arguments: TestDatabase.available) func theSeriesMoveAndOnlyTheTokenReadsThem(_ db: TestDatabase) async throws {
        let export = MetricsExport(registry: Self.registry, token: Self.token)
        try await withRegister(db) { f in
            let app = try buildApplication(
                register: f.register, directory: f.directory,
                settings: ServerSettings(host: "127.0.0.1", port: 0, idleConnectionSeconds: 3_600, metrics: export))
            try await app.test(.live) { client in
                func scrape(_ authorization: String?) async throws -> (Int, String) {
                    var headers: HTTPFields = [:]
                    if let authorization { headers[.authorization] = authorization }
                    let r = try await client.executeRequest(uri: "/metrics", method: .get, headers: headers, body: nil)
                    return (Int(r.status.code), String(buffer: r.body))
                }
                #expect(try await scrape(nil).0 == 401)
                #expect(try await scrape("Bearer not-the-token").0 == 401)
                let (status, before) = try await scrape("Bearer \(Self.token)")
                #expect(status == 200)

                _ = try await f.register.listSubjects(before: nil, by: f.hackneyOfficer, for: RegisterFixture.purpose)
                await #expect(throws: RegisterError.self) {
                    try await f.register.listSubjects(before: nil, by: f.administrator, for: RegisterFixture.purpose)
                }
                _ = try await client.executeRequest(uri: "/health/live", method: .get, headers: [:], body: nil)

                let (_, after) = try await scrape("Bearer \(Self.token)")
                let consultations = "custodian_audit_entries_total{operation=\"consultation\"}"
                #expect(Self.value(consultations, in: after) > Self.value(consultations, in: before), "\(after.prefix(3000))")
                #expect(after.contains("custodian_refusals_total{rule=\""), "refusals are counted by rule")
                #expect(
                    after.contains("custodian_audit_flush_entries_bucket") && after.contains("custodian_audit_commit_wait_seconds_bucket"))
                #expect(after.contains("/health/live"), "requests are counted by route")
                // Other tests share the process's registry: their routes (`/admin/users`) are in it too.
                for personal in [f.hackneyOfficer.username, f.hackneyOfficer.id.description, f.administrator.id.description] {
                    #expect(!after.contains(personal), "\(personal) is in the metrics")
                }
            }
        }
    }
}
