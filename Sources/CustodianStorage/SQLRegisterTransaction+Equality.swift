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

    func equalityCounts(from: LocalDate, until: LocalDate) async throws -> [EqualityCount] {
        let groups = ["unit", "stage", "band", "officer_ethnicity", "self_ethnicity", "age_band", "sex"]
        let query = db.select().columns(groups.map { SQLColumn($0) })
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("equality_events")
            .where("on_day", .greaterThanOrEqual, from.description).where("on_day", .lessThan, until.description)
        for column in groups { query.groupBy(column) }
        return try await query.all().map { row in
            func optional<T: RawRepresentable>(_ column: String, _: T.Type) throws -> T? where T.RawValue == String {
                try row.optionalText(column).map { raw in
                    guard let value = T(rawValue: raw) else { throw StoreError.corrupt("\(column) '\(raw)' is not a known \(T.self)") }
                    return value
                }
            }
            return EqualityCount(
                stage: try row.enumeration("stage", as: EqualityStage.self), unit: try row.borough("unit"),
                band: try optional("band", HarmBand.self),
                officerDefinedEthnicity: try optional("officer_ethnicity", OfficerDefinedEthnicity.self),
                selfDefinedEthnicity: try optional("self_ethnicity", SelfDefinedEthnicity.self),
                ageBand: try row.enumeration("age_band", as: AgeBand.self), sex: try row.enumeration("sex", as: Sex.self),
                count: Int(try row.int64("n")))
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
