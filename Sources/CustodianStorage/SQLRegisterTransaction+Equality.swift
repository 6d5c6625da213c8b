import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    func insertEqualityEvents(_ events: [EqualityEvent]) async throws {
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
    }

    /// One sum per stage, borough, band and stored value of each characteristic, in one statement:
    /// a few thousand rows at national scale, where grouping by every characteristic at once would
    /// return one row for nearly every combination of a person's groups.
    func equalityCounts(from: LocalDate, until: LocalDate) async throws -> [EqualityCount] {
        let columns: [(EqualityCharacteristic, String)] = [
            (.officerDefinedEthnicity, "officer_ethnicity"), (.selfDefinedEthnicity, "self_ethnicity"), (.ageBand, "age_band"),
            (.sex, "sex"),
        ]
        var sql = SQLQueryString("")
        for (i, (characteristic, column)) in columns.enumerated() {
            if i > 0 { sql.appendLiteral(" UNION ALL ") }
            sql.appendLiteral(
                "SELECT unit, stage, band, '\(characteristic.rawValue)' AS characteristic, \(column) AS stored, COUNT(*) AS n")
            sql.appendLiteral(" FROM equality_events WHERE on_day >= ")
            sql.appendInterpolation(bind: from.description)
            sql.appendLiteral(" AND on_day < ")
            sql.appendInterpolation(bind: until.description)
            sql.appendLiteral(" GROUP BY unit, stage, band, \(column)")
        }
        return try await db.raw(sql).all().map { row in
            EqualityCount(
                stage: try row.enumeration("stage", as: EqualityStage.self), unit: try row.borough("unit"),
                band: try row.optionalText("band").map { raw in
                    guard let band = HarmBand(rawValue: raw) else { throw StoreError.corrupt("band '\(raw)' is not a known band") }
                    return band
                }, characteristic: try row.enumeration("characteristic", as: EqualityCharacteristic.self),
                stored: try row.optionalText("stored"), count: Int(try row.int64("n")))
        }
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
