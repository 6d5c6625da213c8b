import Metrics

/// The register's own upkeep as an operator watches it: backups and the daily review sweep. Alert
/// on `custodian_backup_last_success_seconds` growing older than the interval, and on failures.
/// Counts and times only: never a person, a user or a path.
enum KeepingMetrics {
    static func backup(succeeded: Bool, entries: Int64?, since start: ContinuousClock.Instant, at now: Double) {
        Counter(label: "custodian_backups_total", dimensions: [("outcome", succeeded ? "taken" : "failed")]).increment()
        Metrics.Timer(label: "custodian_backup_duration_seconds").recordNanoseconds(nanoseconds(since: start))
        guard succeeded else { return }
        Gauge(label: "custodian_backup_last_success_seconds").record(now)
        if let entries { Gauge(label: "custodian_backup_log_entries").record(Double(entries)) }
    }

    static func sweep(succeeded: Bool, examined: Int, suspended: Int, forced: Int, since start: ContinuousClock.Instant) {
        Counter(label: "custodian_sweeps_total", dimensions: [("outcome", succeeded ? "done" : "failed")]).increment()
        Metrics.Timer(label: "custodian_sweep_duration_seconds").recordNanoseconds(nanoseconds(since: start))
        guard succeeded else { return }
        Gauge(label: "custodian_sweep_examined").record(Double(examined))
        Counter(label: "custodian_sweep_suspensions_total").increment(by: suspended)
        Counter(label: "custodian_sweep_removal_reviews_total").increment(by: forced)
    }

    private static func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = (ContinuousClock.now - start).components
        return elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
    }
}
