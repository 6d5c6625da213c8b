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
    /// (the newest loaded unless one is named): in full for governance, suppressed for every other
    /// reader; `published` gives governance the suppressed version too, as it is published.
    /// Aggregates only, but reading them is logged like any other report.
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
            let report = EqualityReport.compile(
                try await tx.equalityCounts(from: from, until: until.adding(days: 1)), baseline: chosen, from: from, until: until,
                suppress: published || !AccessPolicy.readsUnsuppressed(actor), ethnicity: gate.policyDocumentInForce == true)
            try await tx.appendAudit([
                gate.entry(.consultation, touched: touched, outcome: "\(from) to \(until)\(report.suppressed ? ", suppressed" : "")")
            ])
            return report
        }
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

    /// Every alert, newest first, for anyone who may read the report; what they describe is aggregate.
    public func equalityAlerts(by actor: User) async throws -> [EqualityAlert] {
        try await perform(actor, nil, action: .equalityAlerts, .consultation) { tx, gate in
            return try await tx.equalityAlerts().sorted { ($0.raisedAt, $0.key) > ($1.raisedAt, $1.key) }
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
