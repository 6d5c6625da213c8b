import Synchronization

/// Whether this server can do its work, for a load balancer or an orchestrator to ask: each part
/// it depends on, answered or not, in words with no register content in them.
public struct Readiness: Sendable, Equatable {
    public struct Check: Sendable, Equatable {
        public let part: String
        public let answered: Bool
        public let state: String
        public init(part: String, answered: Bool, state: String) { (self.part, self.answered, self.state) = (part, answered, state) }
    }

    public let checks: [Check]
    public init(checks: [Check]) { self.checks = checks }
    public var isReady: Bool { checks.allSatisfy(\.answered) }
}

extension Register {
    /// Ready when the register's database, the key store and the audit log answer, and whether a
    /// DPIA is in force is known (without one the server is still ready: it refuses operational
    /// processing by rule, and says so). Nothing here is logged: it reads no one's data.
    public func readiness(within seconds: Int = 2) async -> Readiness {
        let today = clock.now().day
        async let database = Self.check("database", within: seconds) {
            let inForce = try await store.lookup { tx in try await tx.approvedDPIAs().contains { $0.isInForce(on: today) } }
            return inForce ? "answers; a DPIA is in force" : "answers; no DPIA is in force, so operational processing is refused"
        }
        async let keyStore = Self.check("key store", within: seconds) {
            // An id no one has: the read reaches the store and finds nothing.
            _ = try await keys.wrappedKey(for: ids.next())
            return "answers"
        }
        async let auditLog = Self.check("audit log", within: seconds) {
            let latest = try await ledger.latestCheckpoint()
            return latest.map { "answers; newest checkpoint at size \($0.checkpoint.size)" } ?? "answers; no checkpoint yet"
        }
        return Readiness(checks: await [database, keyStore, auditLog])
    }

    /// A part that has not answered within `seconds` does not answer: a stopped database makes a
    /// pool wait for a connection that never comes, and a probe must not wait with it. The read
    /// left waiting ends when the pool gives up or the database is back.
    public static func check(
        _ part: String, within seconds: Int, _ body: @escaping @Sendable () async throws -> String
    ) async -> Readiness.Check {
        await withCheckedContinuation { (answer: CheckedContinuation<Readiness.Check, Never>) in
            let once = FirstAnswer(answer)
            Task {
                do {
                    once.give(Readiness.Check(part: part, answered: true, state: try await body()))
                } catch {
                    once.give(
                        Readiness.Check(part: part, answered: false, state: "does not answer: \(String(reflecting: type(of: error)))"))
                }
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                once.give(Readiness.Check(part: part, answered: false, state: "does not answer within \(seconds) s"))
            }
        }
    }
}

/// Resumes its continuation with the first answer given, once.
private final class FirstAnswer: Sendable {
    private let waiting: Mutex<CheckedContinuation<Readiness.Check, Never>?>
    init(_ continuation: CheckedContinuation<Readiness.Check, Never>) { waiting = Mutex(continuation) }
    func give(_ check: Readiness.Check) { waiting.withLock { $0.take() }?.resume(returning: check) }
}
