import Foundation
import Logging
import PostgresNIO
import Synchronization

/// One server appends to a PostgreSQL register's audit log at a time. Each append already holds a
/// transaction's lock and a number taken twice fails the primary key, but two servers would each
/// publish checkpoints from their own idea of the log and race each other's migrations; the
/// second is refused at start instead, naming the first. The lease is a session's advisory lock,
/// keyed by the register's schema, held on a connection kept for the server's life; PostgreSQL
/// frees it when that session ends, however the server ends.
///
/// A session can also end under the server: the database restarted, or a cluster failed over to
/// a standby that never saw the lock. The lease is then lost, and taken again, once a second,
/// until it is held or given up; meanwhile `state` says so and the server is not ready.
public final class PostgresAppenderLease: Sendable {
    /// The first half of the lock's two-part key: the log (s.62); the second is the schema's hash.
    static let lockSpace: Int32 = 62

    public enum State: Sendable, Equatable {
        case held
        /// Not held since the session ended; `why` says what the last attempt to take it met.
        case lost(why: String)
    }

    private let shared: Shared
    private let holding: Task<Void, Never>

    private init(shared: Shared, holding: Task<Void, Never>) {
        self.shared = shared
        self.holding = holding
    }

    public var state: State { shared.state.withLock { $0 } }

    /// Takes the lease on the log `driver` writes to, or throws naming the session that holds it.
    /// `holder` is how this process is named to the next one refused (`custodian serve, process 42 on host`).
    public static func acquire(_ driver: PostgresDriver, holder: String) async throws -> PostgresAppenderLease {
        let shared = Shared()
        let (taken, answer) = AsyncStream<Result<Void, any Error>>.makeStream()
        let holding = Task {
            // `answered`: the caller has heard whether the lease was taken; `held`: it was, at
            // least once. A lease never held is not tried again: the caller was refused.
            var (answered, held) = (false, false)
            while !shared.releasing.withLock({ $0 }) {
                let ending = await session(driver, holder: holder, shared: shared) { result in
                    if !answered {
                        answer.yield(result)
                        answered = true
                    } else if case .success = result {
                        driver.logger.notice("audit log lease taken again")
                    }
                    if case .success = result { held = true }
                }
                guard held else {
                    if !answered {
                        answer.yield(.failure(ending ?? StoreError.refusedWrite("the audit log's lease was neither taken nor refused")))
                    }
                    break
                }
                guard let ending else { break }
                // The server closed its pool without letting go: there is no one to hold it for.
                if driver.closed.load(ordering: .relaxed) { break }
                shared.state.withLock { $0 = .lost(why: String(describing: ending)) }
                driver.logger.warning("audit log lease lost; taking it again", metadata: ["reason": "\(ending)"])
                try? await Task.sleep(for: .seconds(1))
            }
            answer.finish()
        }
        for await result in taken {
            try result.get()
            return PostgresAppenderLease(shared: shared, holding: holding)
        }
        throw StoreError.refusedWrite("the audit log's lease was neither taken nor refused")
    }

    /// One session holding the lock: returns nil when released, or why it ended otherwise.
    /// `taken` hears once whether the lock was taken.
    private static func session(
        _ driver: PostgresDriver, holder: String, shared: Shared,
        taken: (Result<Void, any Error>) -> Void
    ) async -> (any Error)? {
        let logger = driver.logger
        do {
            return try await driver.client.withConnection { connection -> (any Error)? in
                _ = try await connection.query(
                    "SELECT set_config('application_name', \(String(holder.prefix(63))), false)", logger: logger)
                let rows = try await connection.query(
                    "SELECT pg_try_advisory_lock(\(lockSpace), hashtext(current_schema())) AS taken", logger: logger)
                var got = false
                for try await (value) in rows.decode(Bool.self) { got = value }
                guard got else {
                    let refusal = StoreError.heldElsewhere(try await describeHolder(connection, logger))
                    taken(.failure(refusal))
                    return refusal
                }
                shared.state.withLock { $0 = .held }
                taken(.success(()))
                connection.closeFuture.whenComplete { _ in shared.wake() }
                while !shared.releasing.withLock({ $0 }) {
                    await shared.woken()
                    // PostgreSQL freed the lock with the session: nothing to give back.
                    if connection.isClosed, !shared.releasing.withLock({ $0 }) {
                        return SessionEnded()
                    }
                }
                guard !connection.isClosed else { return nil }
                _ = try? await connection.query(
                    "SELECT pg_advisory_unlock(\(lockSpace), hashtext(current_schema()))", logger: logger)
                _ = try? await connection.query("SELECT set_config('application_name', '', false)", logger: logger)
                return nil
            }
        } catch {
            taken(.failure(error))
            return shared.releasing.withLock({ $0 }) ? nil : error
        }
    }

    /// Who holds the lease, as PostgreSQL knows the session: the name it gave, where from, since when.
    private static func describeHolder(_ connection: PostgresConnection, _ logger: Logger) async throws -> String {
        let rows = try await connection.query(
            """
            SELECT coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'a local socket'), to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = \(unescaped: String(lockSpace)) AND l.objsubid = 2
              AND l.objid = (SELECT hashtext(current_schema())::oid) AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, logger: logger)
        var holder = "another session"
        for try await (name, address, since) in rows.decode((String, String, String).self) {
            holder = "\(name.isEmpty ? "a session" : name) connected from \(address) since \(since) UTC"
        }
        return "this register's audit log is held by \(holder): one server appends to a log at a time, "
            + "so it cannot fork; stop that one first"
    }

    /// Gives the lease up and returns its connection to the pool. A lease being taken again is
    /// given up at once: its attempt may be waiting on a database that is not there.
    public func releaseLease() async {
        shared.releasing.withLock { $0 = true }
        shared.wake()
        if state != .held { holding.cancel() }
        await holding.value
    }

    private struct SessionEnded: Error, CustomStringConvertible {
        var description: String { "the session holding the lease ended" }
    }

    private final class Shared: Sendable {
        let state = Mutex<State>(.lost(why: "not taken yet"))
        let releasing = Mutex(false)
        /// A wake-up not yet waited for, or the one waiting for it.
        private let signal = Mutex<(pending: Bool, waiting: CheckedContinuation<Void, Never>?)>((false, nil))

        func wake() {
            signal.withLock { signal -> CheckedContinuation<Void, Never>? in
                guard let waiting = signal.waiting else {
                    signal.pending = true
                    return nil
                }
                signal.waiting = nil
                return waiting
            }?.resume()
        }

        func woken() async {
            await withCheckedContinuation { (waiting: CheckedContinuation<Void, Never>) in
                let pending = signal.withLock { signal in
                    if signal.pending {
                        signal.pending = false
                        return true
                    }
                    signal.waiting = waiting
                    return false
                }
                if pending { waiting.resume() }
            }
        }
    }
}
