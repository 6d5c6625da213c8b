public import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    static let characteristicColumns: [(EqualityCharacteristic, String)] = [
        (.officerDefinedEthnicity, "officer_ethnicity"), (.selfDefinedEthnicity, "self_ethnicity"), (.ageBand, "age_band"), (.sex, "sex"),
    ]

    func insertEqualityEvents(_ permitted: Permitted<[EqualityEvent]>) async throws {
        try await writeEqualityEvents(permitted.value)
    }

    func writeEqualityEvents(_ events: [EqualityEvent]) async throws {
        guard !events.isEmpty else { return }
        // A thousand rows a statement: well inside SQLite's limit on bound values, and one round trip.
        for chunk in stride(from: 0, to: events.count, by: 1000).map({ events[$0..<min($0 + 1000, events.count)] }) {
            let insert = db.insert(into: "equality_events")
                .columns("on_day", "unit", "stage", "band", "officer_ethnicity", "self_ethnicity", "age_band", "sex")
            for e in chunk {
                insert.values(
                    e.day.description, e.unit.rawValue, e.stage.rawValue, e.band?.rawValue, e.officerDefinedEthnicity?.rawValue,
                    e.selfDefinedEthnicity?.rawValue, e.ageBand.rawValue, e.sex.rawValue)
            }
            try await insert.run()
        }
        // The month's tallies, summed here first and written in key order, so two writers take
        // the same rows' locks in the same order.
        var tallies: [[String]: Int] = [:]
        for e in events {
            let month = String(e.day.description.prefix(7))
            for (characteristic, value) in [
                (EqualityCharacteristic.officerDefinedEthnicity, e.officerDefinedEthnicity?.rawValue),
                (.selfDefinedEthnicity, e.selfDefinedEthnicity?.rawValue), (.ageBand, e.ageBand.rawValue), (.sex, e.sex.rawValue),
            ] {
                tallies[
                    [month, e.unit.rawValue, e.stage.rawValue, e.band?.rawValue ?? "", characteristic.rawValue, value ?? ""], default: 0] +=
                    1
            }
        }
        let ordered = tallies.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        for chunk in stride(from: 0, to: ordered.count, by: 1000).map({ ordered[$0..<min($0 + 1000, ordered.count)] }) {
            let insert = db.insert(into: "equality_month_tallies").columns(
                "month", "unit", "stage", "band", "characteristic", "stored", "n")
            for (key, n) in chunk { insert.values(key[0], key[1], key[2], key[3], key[4], key[5], Int64(n)) }
            try await insert.onConflict(with: ["month", "unit", "stage", "band", "characteristic", "stored"]) {
                $0.set("n", to: SQLRaw("equality_month_tallies.n + excluded.n"))
            }.run()
        }
    }

    /// The period's sums: whole months from the tallies, the part-months at either end from the
    /// events themselves, each characteristic on its own (one statement for each source).
    func equalityCounts(from: LocalDate, until: LocalDate) async throws -> [EqualityCount] {
        // The first whole month in the period and the first day after the last whole month.
        let firstWhole = from.day == 1 ? from : (LocalDate(year: from.year, month: from.month, day: 1) ?? from).addingMonth()
        let endWhole = LocalDate(year: until.year, month: until.month, day: 1) ?? until
        var sums: [EqualityCount] = []
        if firstWhole < endWhole {
            sums += try await db.raw(
                """
                SELECT unit, stage, band, characteristic, stored, CAST(SUM(n) AS BIGINT) AS n FROM equality_month_tallies
                WHERE month >= \(bind: String(firstWhole.description.prefix(7))) AND month < \(bind: String(endWhole.description.prefix(7)))
                GROUP BY unit, stage, band, characteristic, stored
                """
            ).all().map { try Self.count($0, emptyIsNone: true) }
            if from < firstWhole { sums += try await eventSums(from: from, until: firstWhole) }
            if endWhole < until { sums += try await eventSums(from: endWhole, until: until) }
        } else {
            sums = try await eventSums(from: from, until: until)
        }
        return sums
    }

    /// Sums straight from the events of `from` ..< `until`: on PostgreSQL in one scan (grouping
    /// sets, each row saying by GROUPING which characteristic it sums), elsewhere one per characteristic.
    private func eventSums(from: LocalDate, until: LocalDate) async throws -> [EqualityCount] {
        if db.dialect.name == "postgresql" {
            let columns = Self.characteristicColumns.map(\.1)
            let sets = columns.map { "(unit, stage, band, \($0))" }.joined(separator: ", ")
            let flags = columns.map { "GROUPING(\($0)) AS g_\($0)" }.joined(separator: ", ")
            var sql = SQLQueryString("SELECT unit, stage, band, \(columns.joined(separator: ", ")), \(flags), COUNT(*) AS n")
            sql.appendLiteral(" FROM equality_events WHERE on_day >= ")
            sql.appendInterpolation(bind: from.description)
            sql.appendLiteral(" AND on_day < ")
            sql.appendInterpolation(bind: until.description)
            sql.appendLiteral(" GROUP BY GROUPING SETS (\(sets))")
            return try await db.raw(sql).all().map { row in
                guard let (characteristic, column) = try Self.characteristicColumns.first(where: { try row.int64("g_\($0.1)") == 0 }) else {
                    throw StoreError.corrupt("a grouping-sets row with no characteristic")
                }
                return EqualityCount(
                    stage: try row.enumeration("stage", as: EqualityStage.self), unit: try row.borough("unit"),
                    band: try row.optionalText("band").map { raw in
                        guard let band = HarmBand(rawValue: raw) else { throw StoreError.corrupt("band '\(raw)' is not a known band") }
                        return band
                    }, characteristic: characteristic, stored: try row.optionalText(column), count: Int(try row.int64("n")))
            }
        }
        var sql = SQLQueryString("")
        for (i, (characteristic, column)) in Self.characteristicColumns.enumerated() {
            if i > 0 { sql.appendLiteral(" UNION ALL ") }
            sql.appendLiteral(
                "SELECT unit, stage, band, '\(characteristic.rawValue)' AS characteristic, \(column) AS stored, COUNT(*) AS n")
            sql.appendLiteral(" FROM equality_events WHERE on_day >= ")
            sql.appendInterpolation(bind: from.description)
            sql.appendLiteral(" AND on_day < ")
            sql.appendInterpolation(bind: until.description)
            sql.appendLiteral(" GROUP BY unit, stage, band, \(column)")
        }
        return try await db.raw(sql).all().map { try Self.count($0, emptyIsNone: false) }
    }

    private static func count(_ row: any SQLRow, emptyIsNone: Bool) throws -> EqualityCount {
        func text(_ column: String) throws -> String? {
            let raw = try row.optionalText(column)
            return emptyIsNone && raw == "" ? nil : raw
        }
        return EqualityCount(
            stage: try row.enumeration("stage", as: EqualityStage.self), unit: try row.borough("unit"),
            band: try text("band").map { raw in
                guard let band = HarmBand(rawValue: raw) else { throw StoreError.corrupt("band '\(raw)' is not a known band") }
                return band
            }, characteristic: try row.enumeration("characteristic", as: EqualityCharacteristic.self), stored: try text("stored"),
            count: Int(try row.int64("n")))
    }

    func upsertEqualityBaseline(_ baseline: EqualityBaseline) async throws {
        try await upsert("equality_baselines", id: baseline.id.description, lookup: nil, baseline)
    }

    func equalityBaselines() async throws -> [EqualityBaseline] { try await all("equality_baselines", EqualityBaseline.self) }

    func upsertEqualityAlert(_ alert: EqualityAlert) async throws {
        try await upsert("equality_alerts", id: alert.id.description, lookup: alert.key, alert)
    }

    func equalityAlerts() async throws -> [EqualityAlert] { try await all("equality_alerts", EqualityAlert.self) }

    func insertEqualityImpactAssessment(_ assessment: EqualityImpactAssessment) async throws {
        try await upsert(
            "equality_impact_assessments", id: assessment.id.description, lookup: String(assessment.rulebookVersion), assessment)
    }

    func equalityImpactAssessments(rulebookVersion: Int?) async throws -> [EqualityImpactAssessment] {
        try await all("equality_impact_assessments", EqualityImpactAssessment.self, lookup: rulebookVersion.map { String($0) })
    }
}

extension SQLRegisterStore {
    /// For the equality benchmark only: synthetic events loaded straight into the table, as a
    /// register with years of history holds them. No use case reaches this, and no person stands
    /// behind these rows, so there is nothing for the monitor to permit.
    public func loadBenchmarkEqualityEvents(_ events: [EqualityEvent]) async throws {
        try await transaction { tx in
            guard let sql = tx as? SQLRegisterTransaction else { throw RegisterError.conflict("not a SQL register") }
            try await sql.writeEqualityEvents(events)
        }
    }
}
