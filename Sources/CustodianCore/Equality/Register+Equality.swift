import Crypto
import Foundation

extension Register {
    /// The equality event for a person reaching a stage, read from their record as it is now; their
    /// ethnicity is opened only while an appropriate policy document is in force.
    func equalityEvent(
        _ stage: EqualityStage, _ sealed: SealedSubject, key: SymmetricKey, on day: LocalDate, band: HarmBand? = nil, _ gate: Gate
    ) throws -> EqualityEvent {
        let sensitive =
            gate.policyDocumentInForce == true
            ? try keyring.open(SensitiveDetails.self, from: sealed.sensitive, key: key, subject: sealed.id, label: "sensitive")
            : SensitiveDetails()
        let subject = Subject(
            id: sealed.id, unit: sealed.unit, personal: try openPersonal(sealed, key: key), sensitive: sensitive,
            provenance: sealed.provenance)
        return EqualityEvent(stage, of: subject, on: day, band: band)
    }

    /// Governance loads a baseline population from a CSV, all or nothing, with its source named.
    public func loadEqualityBaseline(csv: String, name: String, source: String, by actor: User) async throws -> EqualityBaseline {
        let id: EqualityBaselineID = ids.next()
        return try await perform(actor, nil, action: .equalityBaselineLoad) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.equalityBaseline, id)]
            let baseline = try EqualityBaseline.parse(csv: csv, name: name, source: source, id: id, by: actor.id, at: gate.now)
            try await tx.upsertEqualityBaseline(baseline)
            try await tx.appendAudit([
                gate.entry(.configurationChange, touched: touched, outcome: "\(baseline.figures.count) figures, sha256 \(baseline.digest)")
            ])
            return baseline
        }
    }

    /// The baselines loaded, newest last, for anyone who may read the report.
    public func equalityBaselines(by actor: User) async throws -> [EqualityBaseline] {
        try await perform(actor, nil, action: .equalityBaselines, .consultation) { tx, gate in
            return try await tx.equalityBaselines().sorted { $0.loadedAt < $1.loadedAt }
        }
    }

    /// The disproportionality report over `from`...`until` (both days included) against a baseline
    /// (the newest loaded unless one is named): in full for governance, for any period; for every
    /// other reader, and for governance asking for what is `published`, only a whole finished
    /// quarter or year of the published series (`PublishedPeriod`), suppressed with the rest of
    /// it. Aggregates only, but reading them is logged like any other report, as is a refusal.
    public func equalityReport(
        from: LocalDate, until: LocalDate, baseline: EqualityBaselineID? = nil, published: Bool = false, by actor: User
    ) async throws -> EqualityReport {
        var v = Validator()
        v.check(from <= until, "until", "date.order", "until must not be before from")
        v.check(until.daysSinceEpoch - from.daysSinceEpoch <= 3 * 366, "from", "equality.period", "a report covers at most three years")
        try v.finish()
        return try await perform(actor, nil, action: .equalityReport, .consultation) { tx, gate in
            let touched: [AuditResource] = [.whole(.equalityReport)]
            let chosen = try await Self.baseline(baseline, tx)
            let ethnicity = gate.policyDocumentInForce == true
            let report: EqualityReport
            if published || !AccessPolicy.readsUnsuppressed(actor) {
                let period = try Self.publishedPeriod(from: from, until: until, today: gate.now.day, touched: touched)
                var quarterCounts: [[EqualityCount]] = []
                for quarter in period.quarters {
                    quarterCounts.append(try await tx.equalityCounts(from: quarter.from, until: quarter.until.adding(days: 1)))
                }
                report = EqualityReport.published(period, quarterCounts: quarterCounts, baseline: chosen, ethnicity: ethnicity)
            } else {
                report = EqualityReport.compile(
                    try await tx.equalityCounts(from: from, until: until.adding(days: 1)), baseline: chosen, from: from, until: until,
                    suppress: false, ethnicity: ethnicity)
            }
            try await tx.appendAudit([
                gate.entry(.consultation, touched: touched, outcome: "\(from) to \(until)\(report.suppressed ? ", suppressed" : "")")
            ])
            return report
        }
    }

    /// The published period `from`...`until` is, once it is over; any other span is refused and
    /// logged, since a span chosen to the day is how small counts are recovered by differencing.
    static func publishedPeriod(from: LocalDate, until: LocalDate, today: LocalDate, touched: [AuditResource]) throws -> PublishedPeriod {
        guard let period = PublishedPeriod(from: from, until: until) else {
            throw Shortfall(
                violations: [
                    FieldViolation(
                        field: "from", rule: "equality.published-period",
                        message:
                            "figures outside governance are published for whole calendar quarters and years only (such as 2026-07-01 to 2026-09-30, or 2025-01-01 to 2025-12-31), not \(from) to \(until)"
                    )
                ], subjects: [], touched: touched)
        }
        guard period.isOver(on: today) else {
            throw Shortfall(
                violations: [
                    FieldViolation(
                        field: "until", rule: "equality.period-over",
                        message:
                            "\(period) is published once it is over, from \(period.until.adding(days: 1)); the latest is \(PublishedPeriod.latest(before: today))"
                    )
                ], subjects: [], touched: touched)
        }
        return period
    }

    static func baseline(_ id: EqualityBaselineID?, _ tx: any RegisterTransaction) async throws -> EqualityBaseline? {
        let all = try await tx.equalityBaselines().sorted { $0.loadedAt < $1.loadedAt }
        guard let id else { return all.last }
        guard let found = all.first(where: { $0.id == id }) else { throw RegisterError.notFound(kind: "baseline", id: id.description) }
        return found
    }

    /// Raises an alert for each relative rate whose interval lies wholly above the rulebook's
    /// threshold, in the quarter so far and the last full quarter; an alert already raised is not
    /// raised twice. Part of the daily sweep, and run before a rulebook is approved.
    func raiseEqualityAlerts(_ tx: any RegisterTransaction, _ gate: Gate) async throws -> [EqualityAlert] {
        let rulebook = try await rulebook(tx)
        guard let baseline = try await Self.baseline(nil, tx) else { return [] }
        let existing = Set(try await tx.equalityAlerts().map(\.key))
        var raised: [EqualityAlert] = []
        let current = Quarter(containing: gate.now.day)
        for quarter in [current.previous, current] {
            let report = EqualityReport.compile(
                try await tx.equalityCounts(from: quarter.from, until: quarter.until.adding(days: 1)), baseline: baseline,
                from: quarter.from, until: quarter.until, suppress: false, ethnicity: gate.policyDocumentInForce == true)
            for finding in report.findings(above: rulebook.equality.alertThreshold)
            where rulebook.equality.alertOn.contains(finding.characteristic) {
                let alert = EqualityAlert(
                    id: ids.next(), from: quarter.from, until: quarter.until, finding: finding,
                    threshold: rulebook.equality.alertThreshold, rulebookVersion: rulebook.version, raisedAt: gate.now)
                guard !existing.contains(alert.key), !raised.contains(where: { $0.key == alert.key }) else { continue }
                try await tx.upsertEqualityAlert(alert)
                raised.append(alert)
            }
        }
        if !raised.isEmpty {
            try await tx.appendAudit(
                raised.map {
                    gate.entry(.configurationChange, touched: [AuditResource(.equalityAlert, $0.id)], outcome: "raised: \($0.headline)")
                })
        }
        return raised
    }

    /// The alert check on its own, by the scheduler: run before a rulebook approval, in its own
    /// transaction, so alerts raised stay raised whether or not the approval goes ahead.
    @discardableResult
    public func raiseEqualityAlerts() async throws -> [EqualityAlert] {
        try await perform(Self.scheduler, nil, action: .equalityAlertsRaise) { tx, gate in try await raiseEqualityAlerts(tx, gate) }
    }

    /// Every alert, newest first, for anyone who may read the report; what they describe is
    /// aggregate. Outside governance, only alerts whose figures the published series shows: an
    /// alert's count and interval are figures too, and one on a quarter not yet over, or on a
    /// figure the published quarter withholds, would give away what suppression hid.
    public func equalityAlerts(by actor: User) async throws -> [EqualityAlert] {
        try await perform(actor, nil, action: .equalityAlerts, .consultation) { tx, gate in
            let all = try await tx.equalityAlerts().sorted { ($0.raisedAt, $0.key) > ($1.raisedAt, $1.key) }
            if AccessPolicy.readsUnsuppressed(actor) { return all }
            let baseline = try await Self.baseline(nil, tx)
            var published: [Quarter: EqualityReport] = [:]
            var shown: [EqualityAlert] = []
            for alert in all {
                let quarter = Quarter(containing: alert.from)
                guard quarter.from == alert.from, quarter.until < gate.now.day else { continue }
                if published[quarter] == nil {
                    published[quarter] = EqualityReport.published(
                        .quarter(quarter),
                        quarterCounts: [try await tx.equalityCounts(from: quarter.from, until: quarter.until.adding(days: 1))],
                        baseline: baseline, ethnicity: gate.policyDocumentInForce == true)
                }
                let f = alert.finding
                let row = published[quarter]?.areas.first { $0.borough == f.borough }?.stages.first { $0.stage == f.stage }?
                    .breakdowns.first { $0.characteristic == f.characteristic }?.rows.first { $0.group == f.group }
                if row?.count != nil && row?.relativeRate != nil { shown.append(alert) }
            }
            return shown
        }
    }

    /// Governance answers an alert with its documented response.
    public func answerEqualityAlert(
        _ id: EqualityAlertID, reason: String, action: String, reviewOn: String, by actor: User
    ) async throws -> EqualityAlert {
        try await perform(actor, nil, action: .equalityAlertAnswer) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.equalityAlert, id)]
            guard let alert = try await tx.equalityAlerts().first(where: { $0.id == id }) else {
                throw RegisterError.notFound(kind: "equality alert", id: id.description)
            }
            let answered = try gate.refusals(touched: touched) { () throws(RegisterError) in
                try alert.answering(reason: reason, action: action, reviewOn: reviewOn, by: actor, at: gate.now)
            }
            try await tx.upsertEqualityAlert(answered)
            try await tx.appendAudit([gate.entry(.configurationChange, touched: touched, outcome: "answered")])
            return answered
        }
    }
}
