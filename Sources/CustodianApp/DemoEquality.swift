public import CustodianCore
import Foundation

/// The demo's equality monitoring: a synthetic baseline population, clearly marked as such (the
/// demo has no published census table to hand), and recorded people drawn from it with Black
/// people over-recorded in a few boroughs, so the report, its alerts and the simulation show
/// disparities where they were planted and none where they were not.
public enum DemoEquality {
    public static let baselineName = "Resident population (SYNTHETIC demo figures)"
    public static let baselineSource =
        "Synthetic: invented by custodian demo in the shape of the 2021 Census for London (ethnic group, age, sex); not published census data. Load the ONS tables with `custodian baseline load` for real use."

    /// Boroughs where the demo's feeds over-record Black people, and by how much.
    static let plantedBias: [Borough: Double] = [.hackney: 3.5, .lambeth: 3.0, .croydon: 2.5, .newham: 2.5, .southwark: 2]

    /// Each borough's shares of the census's ethnic groups: London's, varied by borough.
    static func ethnicShares(_ borough: Borough) -> [(EthnicGroup, Double)] {
        var r = SeededRandom(seed: UInt64(Borough.allCases.firstIndex(of: borough) ?? 0) &+ 7_919)
        let london: [(EthnicGroup, Double)] = [(.white, 0.54), (.black, 0.135), (.asian, 0.207), (.mixed, 0.057), (.other, 0.063)]
        let varied = london.map { ($0.0, $0.1 * Double.random(in: 0.7...1.3, using: &r)) }
        let sum = varied.map(\.1).reduce(0, +)
        return varied.map { ($0.0, $0.1 / sum) }
    }

    static let ageShares: [(AgeBand, Double)] = [
        (.under10, 0.12), (.tenToSeventeen, 0.10), (.eighteenToTwentyFour, 0.09), (.twentyFiveToThirtyFour, 0.19),
        (.thirtyFiveAndOver, 0.50),
    ]

    public static func baselineCSV() -> String {
        var lines = [EqualityBaseline.columns.joined(separator: ",")]
        for borough in Borough.allCases {
            let people = Int(90_000 * (DemoVocabulary.boroughWeights[borough] ?? 1) + 60_000)
            for (group, share) in ethnicShares(borough) {
                lines.append("\(borough.rawValue),ethnicity,\(group.rawValue),\(Int(Double(people) * share))")
            }
            for (band, share) in ageShares { lines.append("\(borough.rawValue),age,\(band.rawValue),\(Int(Double(people) * share))") }
            lines.append("\(borough.rawValue),sex,male,\(people * 49 / 100)")
            lines.append("\(borough.rawValue),sex,female,\(people * 51 / 100)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The IC code an officer records for a demo person in `borough`: the borough's population,
    /// weighted by the planted bias.
    public static func officerEthnicity(_ borough: Borough, random r: inout SeededRandom) -> String {
        let bias = plantedBias[borough] ?? 1
        let group = r.weighted(ethnicShares(borough).map { ($0.0, $0.0 == .black ? $0.1 * bias : $0.1) })
        switch group {
        case .white: return r.weighted([("IC1", 0.85), ("IC2", 0.15)])
        case .black: return "IC3"
        case .asian: return r.weighted([("IC4", 0.85), ("IC5", 0.15)])
        // An officer has no Mixed code: a person of mixed ethnicity is coded by how they were seen.
        case .mixed: return r.weighted([("IC3", 0.5), ("IC1", 0.4), ("IC4", 0.1)])
        case .other, .notStated: return r.weighted([("IC6", 0.7), ("unknown", 0.3)])
        }
    }

    /// Loads the synthetic baseline as the DPO, before any data.
    static func loadBaseline(_ runtime: Runtime, dpo: User) async throws {
        _ = try await runtime.register.loadEqualityBaseline(csv: baselineCSV(), name: baselineName, source: baselineSource, by: dpo)
    }

    /// After the replay: the alerts the disparities raise, one of them answered by the DPO so both
    /// states show; the rest wait on the dashboard.
    static func answerOneAlert(_ runtime: Runtime, dpo: User) async throws -> (raised: Int, waiting: Int) {
        let r = runtime.register
        try await r.raiseEqualityAlerts()
        let alerts = try await r.equalityAlerts(by: dpo)
        if let first = alerts.first(where: { $0.finding.borough == nil }) ?? alerts.first {
            _ = try await r.answerEqualityAlert(
                first.id,
                reason:
                    "Synthetic demo: the board compared the recorded population with suspects for the relevant offences; the disparity is larger than that baseline explains.",
                action: "Each borough SPOC to dip-sample recordings for the basis of officer-defined ethnicity; report to the next board.",
                reviewOn: r.clock.now().day.adding(days: 90).description, by: dpo)
        }
        return (alerts.count, max(0, alerts.count - 1))
    }
}
