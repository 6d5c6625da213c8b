import CustodianCore
import CustodianTestSupport
import Foundation
import HTTPTypes
import Testing

/// Live: the process answers. Ready: the database, the key store and the audit log answer, and
/// the DPIA's state is known. (A stopped database turning ready to 503 and back is shown by
/// `scripts/test` against a real PostgreSQL it stops and starts.)
@Suite struct HealthTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func readyNamesEachPartAndWhetherADPIAIsInForce(_ db: TestDatabase) async throws {
        try await withLiveAPI(db) { api in
            let live = try await api.send(.get, "/health/live", as: nil, purpose: nil)
            #expect(live.status == 200 && live.text == "live\n")
            let ready = try await api.send(.get, "/health/ready", as: nil, purpose: nil)
            #expect(ready.status == 200 && ready.text.hasPrefix("ready\n"), "\(ready)")
            for part in ["database: answers; a DPIA is in force", "key store: answers", "audit log: answers"] {
                #expect(ready.text.contains(part), "\(part) missing from \(ready.text)")
            }
            #expect(ready.headers[.cacheControl] == "no-store")
        }
        try await withRegister(db, baselines: false) { f in
            let readiness = await f.register.readiness()
            #expect(readiness.isReady, "\(readiness)")
            #expect(readiness.checks.first?.state == "answers; no DPIA is in force, so operational processing is refused")
            #expect(readiness.checks.map(\.part) == ["database", "key store", "audit log"])
        }
    }
}
