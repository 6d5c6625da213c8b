import CustodianCore
import Testing

/// An attack on the published equality series, as a reader outside governance would mount it
/// with everything published for a year: its four quarters and the year itself, every area,
/// stage and breakdown. The reader writes down every equation the figures obey (groups to their
/// total, boroughs to London, bands to the inclusions, quarters to the year) and solves them all
/// at once by exact elimination, with a solver written here, not the register's. Nothing hidden
/// may come out, no count from 1 to 9 may be shown, and no hidden total may be pinned to one
/// group by zeros beside it.
@Suite struct PublishedSeriesAttackTests {
    static let year = 2025
    static let boroughs: [Borough] = [.hackney, .newham, .lambeth]

    /// A year of synthetic events, small numbers everywhere, differently in each quarter.
    static func quarterCounts(seed: UInt64) -> [[EqualityCount]] {
        var random = SeededRandom(seed: seed)
        let stages: [(EqualityStage, HarmBand?)] = [
            (.recorded, nil), (.recorded, nil), (.proposed, nil), (.included, .red), (.included, .amber), (.included, .green),
            (.included, nil), (.shared, nil), (.removed, nil),
        ]
        return (0..<4).map { _ in
            var tally: [String: EqualityCount] = [:]
            for borough in boroughs {
                for _ in 0..<Int.random(in: 15...60, using: &random) {
                    let (stage, band) = stages.randomElement(using: &random) ?? (.recorded, nil)
                    for characteristic in EqualityCharacteristic.allCases {
                        // Skewed towards a few groups, as registers are: many cells of 1 to 9, some empty.
                        let groups = characteristic.groups
                        let group = random.chance(0.7) ? groups[0] : groups.randomElement(using: &random) ?? groups[0]
                        let key = "\(stage)|\(band?.rawValue ?? "")|\(borough)|\(characteristic)|\(group)"
                        let count = (tally[key]?.count ?? 0) + 1
                        tally[key] = EqualityCount(
                            stage: stage, unit: borough, band: band, characteristic: characteristic, group: group, count: count)
                    }
                }
            }
            return Array(tally.values)
        }
    }

    /// One published figure: the period (0-3 a quarter, 4 the year), area (nil London), stage,
    /// characteristic and group (both nil for the stage's total).
    struct Figure: Hashable {
        let period: Int
        let area: Borough?
        let stage: EqualityReportStage
        let characteristic: EqualityCharacteristic?
        let group: String?
    }

    static func figures(_ report: EqualityReport, period: Int) -> [Figure: Int?] {
        var out: [Figure: Int?] = [:]
        for area in report.areas {
            for stage in area.stages {
                out[Figure(period: period, area: area.borough, stage: stage.stage, characteristic: nil, group: nil)] = stage.total
                for breakdown in stage.breakdowns {
                    for row in breakdown.rows {
                        out[
                            Figure(
                                period: period, area: area.borough, stage: stage.stage, characteristic: breakdown.characteristic,
                                group: row.group)] = row.count
                    }
                }
            }
        }
        return out
    }

    /// Every equation the reader knows, each as a total followed by its parts.
    static func equations(over figures: [Figure: Int?]) -> [[Figure]] {
        var equations: [[Figure]] = []
        let areas: [Borough?] = [nil] + boroughs.map { Optional($0) }
        for period in 0...4 {
            for stage in EqualityReportStage.allCases {
                for area in areas {
                    let total = Figure(period: period, area: area, stage: stage, characteristic: nil, group: nil)
                    for c in EqualityCharacteristic.allCases {
                        equations.append(
                            [total] + c.groups.map { Figure(period: period, area: area, stage: stage, characteristic: c, group: $0) })
                    }
                }
                let cells: [(EqualityCharacteristic?, String?)] =
                    [(nil, nil)] + EqualityCharacteristic.allCases.flatMap { c in c.groups.map { (Optional(c), Optional($0)) } }
                for (c, g) in cells {
                    equations.append(
                        [Figure(period: period, area: nil, stage: stage, characteristic: c, group: g)]
                            + boroughs.map { Figure(period: period, area: $0, stage: stage, characteristic: c, group: g) })
                }
            }
            for area in areas {
                let cells: [(EqualityCharacteristic?, String?)] =
                    [(nil, nil)] + EqualityCharacteristic.allCases.flatMap { c in c.groups.map { (Optional(c), Optional($0)) } }
                for (c, g) in cells {
                    equations.append(
                        ([.included] + EqualityReportStage.bands).map {
                            Figure(period: period, area: area, stage: $0, characteristic: c, group: g)
                        })
                }
            }
        }
        for figure in figures.keys where figure.period == 4 {
            equations.append(
                [figure]
                    + (0..<4).map {
                        Figure(
                            period: $0, area: figure.area, stage: figure.stage, characteristic: figure.characteristic, group: figure.group)
                    })
        }
        return equations.filter { $0.allSatisfy { figures[$0] != nil } }
    }

    @Test(arguments: [UInt64(1), 7, 2018]) func nothingHiddenComesOutOfTheWholePublishedYear(_ seed: UInt64) {
        let counts = Self.quarterCounts(seed: seed)
        let truth = EqualityReport.compile(
            counts.flatMap { $0 }, baseline: nil, from: PublishedPeriod.year(Self.year).from, until: PublishedPeriod.year(Self.year).until,
            suppress: false)
        var published: [Figure: Int?] = [:]
        for (i, quarter) in PublishedPeriod.year(Self.year).quarters.enumerated() {
            let report = EqualityReport.published(.quarter(quarter), quarterCounts: [counts[i]], baseline: nil, ethnicity: true)
            published.merge(Self.figures(report, period: i)) { a, _ in a }
        }
        let year = EqualityReport.published(.year(Self.year), quarterCounts: counts, baseline: nil, ethnicity: true)
        published.merge(Self.figures(year, period: 4)) { a, _ in a }
        // The year alone reads the same as its quarters' figures summed, where both are shown.
        let yearTruth = Self.figures(truth, period: 4)

        let shown = published.compactMapValues { $0 }
        #expect(!shown.values.contains { (1...9).contains($0) }, "a count from 1 to 9 is published")
        for (figure, value) in shown where figure.period == 4 { #expect(yearTruth[figure] == value, "\(figure)") }
        let hidden = Set(published.filter { $0.value == nil }.keys)
        #expect(hidden.count > 50, "the series hides something: \(hidden.count)")

        let equations = Self.equations(over: published)
        let solved = ExactSolver.determined(equations: equations, hidden: hidden, shown: shown)
        #expect(
            solved.isEmpty,
            "recovered by elimination, by period \(Dictionary(grouping: solved, by: \.period).mapValues(\.count)): \(solved.prefix(3).map { "\($0.period) \($0.area?.rawValue ?? "L") \($0.stage.rawValue) \($0.characteristic?.rawValue ?? "-") \($0.group ?? "-")" })"
        )
        // Within a period: a year's cell equal to the one quarter not shown as zero says nothing the
        // quarters had not said already.
        for equation in equations where Set(equation.map(\.period)).count == 1 {
            let hiddenParts = equation.dropFirst().filter { hidden.contains($0) }
            let zerosBeside = equation.dropFirst().allSatisfy { hidden.contains($0) || shown[$0] == 0 }
            #expect(
                !(hidden.contains(equation[0]) && hiddenParts.count == 1 && zerosBeside),
                "a hidden total is pinned to one part by zeros: \(equation.map { "\($0.period) \($0.area?.rawValue ?? "L") \($0.stage.rawValue) \($0.characteristic?.rawValue ?? "-") \($0.group ?? "-")=\(shown[$0].map(String.init) ?? "?")" })"
            )
        }
    }

    @Test func onlyWholeQuartersAndYearsArePublishedPeriods() {
        let q3 = LocalDate(iso: "2026-07-01")!
        #expect(PublishedPeriod(from: q3, until: LocalDate(iso: "2026-09-30")!) == .quarter(Quarter(containing: q3)))
        #expect(PublishedPeriod(from: LocalDate(iso: "2025-01-01")!, until: LocalDate(iso: "2025-12-31")!) == .year(2025))
        for (from, until) in [
            ("2026-07-01", "2026-09-29"), ("2026-07-02", "2026-09-30"), ("2026-07-01", "2026-07-31"), ("2025-01-01", "2026-12-31"),
        ] {
            #expect(PublishedPeriod(from: LocalDate(iso: from)!, until: LocalDate(iso: until)!) == nil, "\(from) to \(until)")
        }
        #expect(PublishedPeriod(label: "2026-Q3") == .quarter(Quarter(containing: q3)) && PublishedPeriod(label: "2025") == .year(2025))
        #expect(PublishedPeriod(label: "2026-Q5") == nil && PublishedPeriod(label: "last week") == nil)
        #expect(!PublishedPeriod.quarter(Quarter(containing: q3)).isOver(on: LocalDate(iso: "2026-09-30")!))
        #expect(PublishedPeriod.latest(before: LocalDate(iso: "2026-10-01")!) == .quarter(Quarter(containing: q3)))
    }
}

/// Exact elimination over the integers modulo a large prime (2^61 - 1): each equation, total
/// minus parts equals zero, with the shown figures moved to the right. A hidden figure is
/// recovered when, reduced, some equation holds it alone. The coefficients are 0 and ±1, so
/// working modulo so large a prime loses none of what the rationals would find.
enum ExactSolver {
    static let p: UInt64 = (1 << 61) - 1

    static func mul(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return UInt64((UInt128(high) << 64 | UInt128(low)) % UInt128(p))
    }
    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 { (a + b) % p }
    static func neg(_ a: UInt64) -> UInt64 { a == 0 ? 0 : p - a }
    static func inverse(_ a: UInt64) -> UInt64 {
        var (result, base, exponent) = (UInt64(1), a, p - 2)
        while exponent > 0 {
            if exponent & 1 == 1 { result = mul(result, base) }
            base = mul(base, base)
            exponent >>= 1
        }
        return result
    }

    static func determined<Key: Hashable>(equations: [[Key]], hidden: Set<Key>, shown: [Key: Int]) -> [Key] {
        var index: [Key: Int] = [:]
        var keys: [Key] = []
        var rows: [[Int: UInt64]] = []
        for equation in equations {
            var row: [Int: UInt64] = [:]
            for (offset, key) in equation.enumerated() where hidden.contains(key) {
                let column =
                    index[key]
                    ?? {
                        keys.append(key)
                        index[key] = keys.count - 1
                        return keys.count - 1
                    }()
                row[column] = add(row[column] ?? 0, offset == 0 ? 1 : p - 1)
            }
            row = row.filter { $0.value != 0 }
            if !row.isEmpty { rows.append(row) }
        }
        // Gauss-Jordan: each pivot cleared from every other row.
        var pivots: [Int: [Int: UInt64]] = [:]
        for var row in rows {
            for (column, pivot) in pivots where row[column] != nil { reduce(&row, by: pivot, at: column) }
            guard let lead = row.keys.min(), let value = row[lead] else { continue }
            let scale = inverse(value)
            row = row.mapValues { mul($0, scale) }
            for column in Array(pivots.keys) where pivots[column]?[lead] != nil { reduce(&pivots[column]!, by: row, at: lead) }
            pivots[lead] = row
        }
        return pivots.values.filter { $0.count == 1 }.compactMap { $0.keys.first.map { keys[$0] } }
    }

    static func reduce(_ row: inout [Int: UInt64], by pivot: [Int: UInt64], at column: Int) {
        guard let factor = row[column] else { return }
        for (k, v) in pivot {
            let next = add(row[k] ?? 0, neg(mul(factor, v)))
            row[k] = next == 0 ? nil : next
        }
    }
}
