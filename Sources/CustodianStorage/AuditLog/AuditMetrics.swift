import CustodianCore
import Metrics

/// The audit log's appends as an operator watches them: entries made durable by operation,
/// refusals by the rule they cite, how many entries each flush carried and how long a caller
/// waited for its entry to be durable. Counts and codes only: never an actor, subject or word.
enum AuditMetrics {
    static func flushed(_ entries: [AuditEntry]) {
        Recorder(label: "custodian_audit_flush_entries").record(entries.count)
        var byOperation: [String: Int] = [:]
        var byRule: [String: Int] = [:]
        for entry in entries {
            byOperation[entry.operation.rawValue, default: 0] += 1
            if let rule = entry.refusedUnder { byRule[rule.rawValue, default: 0] += 1 }
        }
        for (operation, n) in byOperation {
            Counter(label: "custodian_audit_entries_total", dimensions: [("operation", operation)]).increment(by: n)
        }
        for (rule, n) in byRule { Counter(label: "custodian_refusals_total", dimensions: [("rule", rule)]).increment(by: n) }
    }

    static func waited(since start: ContinuousClock.Instant) {
        let waited = (ContinuousClock.now - start).components
        Metrics.Timer(label: "custodian_audit_commit_wait_seconds")
            .recordNanoseconds(waited.seconds * 1_000_000_000 + waited.attoseconds / 1_000_000_000)
    }
}
