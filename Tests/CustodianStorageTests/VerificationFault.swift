import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Testing

/// After an edit behind the log's back, verification must fail, naming a fault that starts with
/// `fault`: the one check both tamper suites make of every edit they try.
func expectVerification(of f: RegisterFixture, toName fault: String, after edit: String) async throws {
    do {
        _ = try await f.ledger.verify()
        Issue.record("verify passed after \(edit); it should name: \(fault)")
    } catch let found as LogFault {
        #expect(found.description.hasPrefix(fault), "\(found)")
    }
}
