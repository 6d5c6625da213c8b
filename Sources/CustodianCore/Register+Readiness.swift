/// Whether this server can do its work, for a load balancer or an orchestrator to ask: each part
/// it depends on, answered or not, in words with no register content in them.
public struct Readiness: Sendable, Equatable {
    public struct Check: Sendable, Equatable {
        public let part: String
        public let answered: Bool
        public let state: String
    }

    public let checks: [Check]
    public var isReady: Bool { checks.allSatisfy(\.answered) }
}

extension Register {
    /// Ready when the register's database, the key store and the audit log answer, and whether a
    /// DPIA is in force is known (without one the server is still ready: it refuses operational
    /// processing by rule, and says so). Nothing here is logged: it reads no one's data.
    public func readiness() async -> Readiness {
        func check(_ part: String, _ body: () async throws -> String) async -> Readiness.Check {
            do {
                return Readiness.Check(part: part, answered: true, state: try await body())
            } catch {
                return Readiness.Check(part: part, answered: false, state: "does not answer: \(String(reflecting: type(of: error)))")
            }
        }
        let today = clock.now().day
        return Readiness(checks: [
            await check("database") {
                let inForce = try await store.lookup { tx in try await tx.approvedDPIAs().contains { $0.isInForce(on: today) } }
                return inForce ? "answers; a DPIA is in force" : "answers; no DPIA is in force, so operational processing is refused"
            },
            await check("key store") {
                // An id no one has: the read reaches the store and finds nothing.
                _ = try await keys.wrappedKey(for: ids.next())
                return "answers"
            },
            await check("audit log") {
                let latest = try await ledger.latestCheckpoint()
                return latest.map { "answers; newest checkpoint at size \($0.checkpoint.size)" } ?? "answers; no checkpoint yet"
            },
        ])
    }
}
