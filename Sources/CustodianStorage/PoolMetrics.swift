import Metrics
import Synchronization

/// A PostgreSQL pool's use as an operator watches it: how long work waited for a connection, how
/// many connections are in use now, and statements ended because their connection closed under
/// them. `pool` is `register` or `keys`. A wait that grows while in-use sits at the pool's size is
/// a pool too small for the load; lost statements are a database that went away.
final class PoolMetrics: Sendable {
    let pool: String
    private let inUse = Atomic<Int>(0)
    private let waitTimer: Metrics.Timer
    private let inUseGauge: Gauge

    init(pool: String) {
        self.pool = pool
        waitTimer = Metrics.Timer(label: "custodian_db_connection_wait_seconds", dimensions: [("pool", pool)])
        inUseGauge = Gauge(label: "custodian_db_connections_in_use", dimensions: [("pool", pool)])
    }

    /// A connection leased for work that asked for it at `asked`.
    func leased(askedAt asked: ContinuousClock.Instant) {
        let waited = (ContinuousClock.now - asked).components
        waitTimer.recordNanoseconds(waited.seconds * 1_000_000_000 + waited.attoseconds / 1_000_000_000)
        inUseGauge.record(inUse.add(1, ordering: .relaxed).newValue)
    }

    /// That connection given back.
    func returned() { inUseGauge.record(inUse.subtract(1, ordering: .relaxed).newValue) }

    static func statementLost(pool: String) {
        Counter(label: "custodian_db_statements_lost_total", dimensions: [("pool", pool)]).increment()
    }
}
