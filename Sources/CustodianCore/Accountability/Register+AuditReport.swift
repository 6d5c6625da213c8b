import Foundation

extension Register {
    /// The most entries one report reads: a period larger than this is reported on its newest part,
    /// and says so.
    public static let auditReportLimit = 200_000

    /// A period a report can cover: checked before a report starts, wherever it is asked for.
    public static func checkAuditReportPeriod(from: LocalDate, until: LocalDate) throws(RegisterError) {
        var v = Validator()
        v.check(from <= until, "until", "date.order", "until must not be before from")
        v.check(until.daysSinceEpoch - from.daysSinceEpoch <= 366, "from", "audit-report.period", "a report covers at most a year")
        try v.finish()
    }

    /// Governance's routine audit report over a period, generated from the log (self-monitoring,
    /// s.62(4)(b)); the generation itself is logged. Users are named by username beside their id.
    public func auditReport(
        from: LocalDate, until: LocalDate, progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }, by actor: User,
        for purpose: StatedPurpose
    ) async throws
        -> (report: AuditReport, usernames: [UserID: String])
    {
        try Self.checkAuditReportPeriod(from: from, until: until)
        return try await perform(actor, purpose, action: .auditReportGenerate, .consultation) { tx, gate in
            let touched: [AuditResource] = [.whole(.auditLog), .whole(.auditReport)]
            let start = Timestamp(from.startOfDay)
            let end = Timestamp(until.adding(days: 1).startOfDay)
            var entries: [AuditEntry] = []
            var before: Int64?
            var truncated = false
            while true {
                let page = try await tx.auditEntries(AuditQuery(from: start, until: end, before: before, limit: 500))
                entries.append(contentsOf: page.map(\.entry))
                progress(WorkProgress(step: "Reading the log", done: entries.count, total: nil))
                guard page.count == 500, let last = page.last else { break }
                if entries.count >= Self.auditReportLimit {
                    truncated = true
                    break
                }
                before = last.sequence
            }
            let report = AuditReport.compile(entries, from: start, until: end, truncated: truncated)
            let named = Set(
                report.volume.map(\.user) + report.nightBursts.map(\.user) + report.outsideBorough.map(\.user)
                    + report.justifications.map(\.user))
            var usernames: [UserID: String] = [:]
            for id in named { usernames[id] = try await tx.user(id)?.username ?? id.description }
            try await tx.appendAudit([gate.entry(.consultation, touched: touched, outcome: "\(entries.count) entries read")])
            return (report, usernames)
        }
    }
}
