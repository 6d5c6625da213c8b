import CustodianCore
import Foundation
import Testing

/// The disproportionality report from summed counts: figures against hand-computed values, the
/// baseline file read all or nothing, and the published (suppressed) report checked by linear
/// algebra so that no hidden count can be worked out from every figure it shows.
@Suite struct EqualityReportTests {
    static let day = LocalDate(year: 2026, month: 7, day: 1)!
    static let until = LocalDate(year: 2026, month: 10, day: 1)!

    static func count(
        _ stage: EqualityStage, _ unit: Borough, _ officer: OfficerDefinedEthnicity?, _ stated: SelfDefinedEthnicity? = nil,
        age: AgeBand = .eighteenToTwentyFour, sex: Sex = .male, band: HarmBand? = nil, _ n: Int
    ) -> [EqualityCount] {
        EqualityCount.of(
            EqualityEvent(
                stage: stage, unit: unit, day: day, band: band, officerDefinedEthnicity: officer, selfDefinedEthnicity: stated,
                ageBand: age, sex: sex), n)
    }

    static func violations(_ body: () throws(RegisterError) -> Void) -> [FieldViolation] {
        do {
            try body()
            Issue.record("accepted")
        } catch .invalid(let violations) {
            return violations
        } catch {
            Issue.record("refused otherwise: \(error)")
        }
        return []
    }

    static func baseline(_ text: String) throws(RegisterError) -> EqualityBaseline {
        try EqualityBaseline.parse(
            csv: text, name: "Resident population", source: "Synthetic test figures", id: EqualityBaselineID(UUID()),
            by: UserID(UUID()), at: Timestamp(microseconds: 0))
    }

    static let twoBoroughs = """
        borough,characteristic,group,population
        hackney,ethnicity,white,80000
        hackney,ethnicity,black,20000
        hackney,ethnicity,asian,10000
        hackney,ethnicity,mixed,5000
        hackney,ethnicity,other,5000
        newham,ethnicity,white,40000
        newham,ethnicity,black,30000
        newham,ethnicity,asian,50000
        newham,ethnicity,mixed,5000
        newham,ethnicity,other,5000
        hackney,sex,male,60000
        hackney,sex,female,60000
        """

    @Test func aGroupsRateAndRelativeRateMatchHandComputedValues() throws {
        let base = try Self.baseline(Self.twoBoroughs)
        let report = EqualityReport.compile(
            Self.count(.included, .hackney, .ic3, band: .red, 60) + Self.count(.included, .hackney, .ic1, band: .amber, 40)
                + Self.count(.included, .newham, .ic3, band: .red, 5), baseline: base, from: Self.day, until: Self.until, suppress: false)
        let hackney = try #require(report.areas.first { $0.borough == .hackney })
        let included = try #require(hackney.stages.first { $0.stage == .included })
        #expect(included.total == 100)
        let officer = try #require(included.breakdowns.first { $0.characteristic == .officerDefinedEthnicity })
        let black = try #require(officer.rows.first { $0.group == "black" })
        // 60 of 20,000 Black residents against 40 of 80,000 White: 3 per 1,000, RR 6.0,
        // interval exp(ln 6 ± 1.96·√(1/60 − 1/20000 + 1/40 − 1/80000)) = [4.0228, 8.9489] (computed in Python).
        #expect(black.count == 60 && black.population == 20_000 && black.ratePerThousand == 3)
        #expect(black.relativeRate == 6)
        let (lower, upper) = (try #require(black.lower95), try #require(black.upper95))
        #expect(abs(lower - 4.022822) < 1e-5 && abs(upper - 8.948942) < 1e-5)
        #expect(officer.rows.first { $0.group == "white" }?.isReference == true)
        // London adds the boroughs up, counts and populations alike.
        let london = try #require(report.areas.first { $0.borough == nil })
        let londonBlack = london.stages.first { $0.stage == .included }?.breakdowns.first { $0.characteristic == .officerDefinedEthnicity }?
            .rows.first { $0.group == "black" }
        #expect(londonBlack?.count == 65 && londonBlack?.population == 50_000)
        // The bands divide the inclusions.
        #expect(hackney.stages.first { $0.stage == .red }?.total == 60 && hackney.stages.first { $0.stage == .amber }?.total == 40)
        // Self-defined ethnicity was not recorded: it is counted as not stated, never taken from the officer's code.
        let selfDefined = included.breakdowns.first { $0.characteristic == .selfDefinedEthnicity }
        #expect(selfDefined?.rows.first { $0.group == "not-stated" }?.count == 100)
        #expect(selfDefined?.rows.first { $0.group == "black" }?.count == 0)
        // The alert condition: the whole interval above 4 but not above 4.5.
        #expect(report.findings(above: 4).contains { $0.borough == .hackney && $0.stage == .included && $0.group == "black" })
        #expect(!report.findings(above: 4.5).contains { $0.borough == .hackney && $0.stage == .included && $0.group == "black" })
    }

    @Test func aBaselineFileWithBadRowsLoadsNothingAndNamesEachOne() throws {
        let bad = """
            borough,characteristic,group,population
            hackney,ethnicity,white,80000
            gotham,ethnicity,white,100
            hackney,ethnicity,purple,100
            hackney,income,high,100
            hackney,sex,male,-4
            hackney,ethnicity,white,80000
            hackney,sex
            """
        do {
            let named = Self.violations { () throws(RegisterError) in _ = try Self.baseline(bad) }.map { "\($0.field) \($0.rule)" }
            #expect(
                named == [
                    "row 3, borough baseline.borough", "row 4, group baseline.group", "row 5, characteristic baseline.characteristic",
                    "row 6, population baseline.population", "row 7 baseline.duplicate",
                    // A short row is padded, so its missing fields are named one by one.
                    "row 8, group baseline.group", "row 8, population baseline.population",
                ], "\(named)")
        }
        #expect(
            Self.violations { () throws(RegisterError) in _ = try Self.baseline("area,group,count\nhackney,white,1") }.map(\.rule)
                == ["csv.header"])
        // Quoted fields are read as RFC 4180 says.
        let quoted = try Self.baseline("borough,characteristic,group,population\n\"hackney\",\"ethnicity\",\"white\",\"80000\"\n")
        #expect(quoted.population(.hackney, .selfDefinedEthnicity, "white") == 80_000)
        #expect(quoted.population(nil, .officerDefinedEthnicity, "white") == 80_000)
        #expect(quoted.population(.newham, .officerDefinedEthnicity, "white") == nil)
    }

    @Test func thePublishedReportShowsNoSmallCountAndNothingThatRevealsOne() throws {
        let base = try Self.baseline(Self.twoBoroughs)
        // A fresh seed each run, named in any failure so the very tables can be made again.
        let seed =
            ProcessInfo.processInfo.environment["CUSTODIAN_SUPPRESSION_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let trials = ProcessInfo.processInfo.environment["CUSTODIAN_SUPPRESSION_TRIALS"].flatMap { Int($0) } ?? 25
        var random = SeededRandom(seed: seed)
        for trial in 0..<trials {
            // Counts from 0 to 30 spread over stages, groups and bands: many small numbers.
            var counts: [EqualityCount] = []
            for unit in [Borough.hackney, .newham, .lambeth] {
                for officer in [OfficerDefinedEthnicity.ic1, .ic3, .ic4, nil] {
                    for sex in [Sex.male, .female] {
                        for (stage, band) in [
                            (EqualityStage.recorded, HarmBand?.none), (.proposed, nil), (.included, .red), (.included, .green),
                            (.included, nil), (.removed, nil),
                        ] where Int.random(in: 0..<3, using: &random) > 0 {
                            counts.append(
                                contentsOf: Self.count(
                                    stage, unit, officer, nil, age: trial % 2 == 0 ? .tenToSeventeen : .unknown, sex: sex, band: band,
                                    Int.random(in: 1...30, using: &random)))
                        }
                    }
                }
            }
            let full = EqualityReport.compile(counts, baseline: base, from: Self.day, until: Self.until, suppress: false)
            let published = EqualityReport.compile(counts, baseline: base, from: Self.day, until: Self.until, suppress: true)
            #expect(published.suppressed)
            let (values, shown) = (Self.figures(full), Self.figures(published))
            // No count from 1 to 9 is shown, anywhere.
            #expect(!shown.values.contains { (1...9).contains($0 ?? 0) })
            // No rate or ratio is shown beside a hidden count.
            for area in published.areas {
                for stage in area.stages {
                    for breakdown in stage.breakdowns {
                        for row in breakdown.rows where row.count == nil {
                            #expect(row.ratePerThousand == nil && row.relativeRate == nil && row.lower95 == nil)
                        }
                        let reference = breakdown.rows.first(where: \.isReference)
                        if reference?.count == nil { #expect(breakdown.rows.allSatisfy { $0.relativeRate == nil }) }
                    }
                }
            }
            // And no hidden figure can be solved for from the report's own equations.
            let solvable = Derivation.solvable(values: values, shown: shown, equations: Self.equations(full))
            #expect(solvable.isEmpty, "seed \(seed), trial \(trial): \(solvable.prefix(5))")
        }
    }

    /// Every figure of a report by a readable key: "area/stage/total" or "area/stage/characteristic/group".
    static func figures(_ report: EqualityReport) -> [String: Int?] {
        var out: [String: Int?] = [:]
        for area in report.areas {
            for stage in area.stages {
                out["\(area.name)/\(stage.stage.rawValue)/total"] = stage.total
                for breakdown in stage.breakdowns {
                    for row in breakdown.rows {
                        out["\(area.name)/\(stage.stage.rawValue)/\(breakdown.characteristic.rawValue)/\(row.group)"] = row.count
                    }
                }
            }
        }
        return out
    }

    /// The equations a reader knows, written out again here rather than taken from the code under test:
    /// each is (the total, its parts).
    static func equations(_ report: EqualityReport) -> [(String, [String])] {
        var out: [(String, [String])] = []
        let boroughs = report.areas.filter { $0.borough != nil }.map(\.name)
        for area in report.areas {
            for stage in area.stages {
                for breakdown in stage.breakdowns {
                    out.append(
                        (
                            "\(area.name)/\(stage.stage.rawValue)/total",
                            breakdown.rows.map { "\(area.name)/\(stage.stage.rawValue)/\(breakdown.characteristic.rawValue)/\($0.group)" }
                        ))
                    if area.borough == nil {
                        for row in breakdown.rows {
                            out.append(
                                (
                                    "London/\(stage.stage.rawValue)/\(breakdown.characteristic.rawValue)/\(row.group)",
                                    boroughs.map { "\($0)/\(stage.stage.rawValue)/\(breakdown.characteristic.rawValue)/\(row.group)" }
                                ))
                        }
                    }
                }
                if area.borough == nil {
                    out.append(("London/\(stage.stage.rawValue)/total", boroughs.map { "\($0)/\(stage.stage.rawValue)/total" }))
                }
            }
            let bands = ["band-red", "band-amber", "band-green", "band-not-scored"]
            out.append(("\(area.name)/included/total", bands.map { "\(area.name)/\($0)/total" }))
            for characteristic in EqualityCharacteristic.allCases {
                for group in characteristic.groups {
                    out.append(
                        (
                            "\(area.name)/included/\(characteristic.rawValue)/\(group)",
                            bands.map { "\(area.name)/\($0)/\(characteristic.rawValue)/\(group)" }
                        ))
                }
            }
        }
        return out
    }
}

/// Whether a hidden figure is determined by shown ones: it is exactly when its unit vector lies in
/// the row space of the equations over the hidden figures (exact rational elimination).
enum Derivation {
    static func solvable(values: [String: Int?], shown: [String: Int?], equations: [(String, [String])]) -> [String] {
        let hidden = shown.filter { $0.value == nil }.map(\.key).sorted()
        let column = Dictionary(uniqueKeysWithValues: hidden.enumerated().map { ($0.element, $0.offset) })
        var rows: [[Int: Double]] = []
        for (total, parts) in equations {
            var row: [Int: Double] = [:]
            if let c = column[total] { row[c, default: 0] += 1 }
            for part in parts { if let c = column[part] { row[c, default: 0] -= 1 } }
            row = row.filter { $0.value != 0 }
            if !row.isEmpty { rows.append(row) }
        }
        // Reduce to row echelon form; then a variable is determined when some reduced row has only it.
        var pivots: [Int: [Int: Double]] = [:]
        for var row in rows {
            while let lead = row.keys.min(), let pivot = pivots[lead] {
                let factor = row[lead]! / pivot[lead]!
                for (k, v) in pivot {
                    let next = row[k, default: 0] - factor * v
                    row[k] = abs(next) < 1e-9 ? nil : next
                }
            }
            if let lead = row.keys.min() { pivots[lead] = row }
        }
        // Back-substitute to reduced form so a determined variable shows as a row of one entry.
        for lead in pivots.keys.sorted(by: >) {
            guard var row = pivots[lead] else { continue }
            for k in row.keys.sorted() where k != lead {
                if let other = pivots[k], row[k] != nil {
                    let factor = row[k]! / other[k]!
                    for (kk, v) in other {
                        let next = row[kk, default: 0] - factor * v
                        row[kk] = abs(next) < 1e-9 ? nil : next
                    }
                }
            }
            pivots[lead] = row
        }
        _ = values
        return pivots.values.filter { $0.count == 1 }.map { hidden[$0.keys.first!] }.sorted()
    }
}
