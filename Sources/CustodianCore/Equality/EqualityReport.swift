import Foundation

/// What the equality report counts: the stages, with inclusions divided by the band they were
/// given (the bands add up to the inclusions, an equation small-number suppression respects).
public enum EqualityReportStage: String, Sendable, Codable, CaseIterable {
    case recorded, proposed, included
    case red = "band-red"
    case amber = "band-amber"
    case green = "band-green"
    case notScored = "band-not-scored"
    case shared, removed

    public var label: String {
        switch self {
        case .recorded: "Recorded"
        case .proposed: "Proposed for inclusion"
        case .included: "Included"
        case .red: "Included, red band"
        case .amber: "Included, amber band"
        case .green: "Included, green band"
        case .notScored: "Included, not scored"
        case .shared: "Shared with a partner"
        case .removed: "Removed"
        }
    }

    public static let bands: [EqualityReportStage] = [.red, .amber, .green, .notScored]

    /// The report stages one count falls in: its own, and for an inclusion its band.
    static func of(_ count: EqualityCount) -> [EqualityReportStage] {
        switch count.stage {
        case .recorded: [.recorded]
        case .proposed: [.proposed]
        case .included:
            switch count.band {
            case .red?: [.included, .red]
            case .amber?: [.included, .amber]
            case .green?: [.included, .green]
            case nil: [.included, .notScored]
            }
        case .shared: [.shared]
        case .removed: [.removed]
        }
    }
}

/// The disproportionality report (E2, E4): for London and each borough, each stage and each
/// characteristic, every group's count, its rate per 1,000 of the baseline population, and its
/// rate relative to the reference group's with a 95% interval. Outside governance it is
/// published suppressed: no count from 1 to 9 is shown, nor any figure that would give one away.
public struct EqualityReport: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public let group: String
        public let label: String
        public let isReference: Bool
        /// nil where suppressed.
        public let count: Int?
        public let population: Int?
        public let ratePerThousand: Double?
        public let relativeRate: Double?
        public let lower95: Double?
        public let upper95: Double?
    }

    public struct Breakdown: Sendable, Codable, Equatable {
        public let characteristic: EqualityCharacteristic
        public let rows: [Row]
    }

    public struct StageFigures: Sendable, Codable, Equatable {
        public let stage: EqualityReportStage
        /// nil where suppressed.
        public let total: Int?
        public let breakdowns: [Breakdown]
    }

    public struct Area: Sendable, Codable, Equatable {
        /// nil for London as a whole.
        public let borough: Borough?
        public let stages: [StageFigures]
        public var name: String { borough?.name ?? "London" }
    }

    public struct BaselineSummary: Sendable, Codable, Equatable {
        public let id: EqualityBaselineID
        public let name: String
        public let source: String
        public let digest: String
    }

    public let from: LocalDate
    /// The period's last day.
    public let until: LocalDate
    public let baseline: BaselineSummary?
    public let suppressed: Bool
    public let areas: [Area]
    /// No appropriate policy document was in force (s.42): the ethnicity breakdowns are left out,
    /// since counting people by ethnicity is processing it.
    public var ethnicityWithheld: Bool = false

    public static let method =
        "Counts are events in the period: people recorded, proposals made, inclusions approved (by the band given at inclusion), people in disclosures to partners, removals. A rate is the count per 1,000 of the group's population in the baseline. The relative rate is the group's rate divided by the reference group's; its 95% interval is the log-based (Katz) interval for a ratio of proportions, exp(ln RR ± 1.96·√(1/a − 1/Na + 1/b − 1/Nb)); there is no interval where a count is zero. Suppressed reports hide every count from 1 to 9 and, by secondary suppression, enough other figures that no hidden count can be worked out from a total; a rate or relative rate is hidden with the counts behind it."

    /// Where a report starts when no one says: the last twelve months, the annual publication's
    /// span, as whole months (this one so far and the eleven before), as publications count them.
    public static func defaultFrom(_ today: LocalDate) -> LocalDate {
        let monthIndex = today.year * 12 + (today.month - 1) - 11
        return LocalDate(year: monthIndex / 12, month: monthIndex % 12 + 1, day: 1) ?? today.adding(days: -364)
    }

    /// The period asked for, as text from a query or a command line, or the default; each bad
    /// date named. One reading for the API, the page and the command line. A `period` such as
    /// `2026-Q3` or `2025` names a published one; what is `published` defaults to the latest.
    public static func period(
        from: String?, until: String?, period: String? = nil, today: LocalDate, published: Bool = false
    ) throws(RegisterError) -> (LocalDate, LocalDate) {
        if let period {
            guard let named = PublishedPeriod(label: period) else {
                throw .invalid([
                    FieldViolation(
                        field: "period", rule: "equality.published-period",
                        message: "period must be a quarter such as 2026-Q3, or a year such as 2025")
                ])
            }
            return (named.from, named.until)
        }
        if published, from == nil, until == nil {
            let latest = PublishedPeriod.latest(before: today)
            return (latest.from, latest.until)
        }
        var v = Validator()
        let start = LocalDate(iso: from ?? defaultFrom(today).description)
        let end = LocalDate(iso: until ?? today.description)
        v.check(start != nil, "from", "date.format", "from must be a date as YYYY-MM-DD")
        v.check(end != nil, "until", "date.format", "until must be a date as YYYY-MM-DD")
        return try v.finish(start, end)
    }

    public static let caveats = [
        "Officer-defined ethnicity is how an officer saw the person (IC codes, which have no Mixed group), compared with how the census population described itself; it is reported apart from self-defined ethnicity and never merged with it.",
        "People whose ethnicity, age or sex is not recorded are counted in their own row and have no rate.",
        "Baselines from the census age between censuses; a borough's residents are not the only people recorded in it.",
    ]
}

extension EqualityReport {
    /// One figure of the report: a group's count (characteristic and group set) or a stage's
    /// total (both nil), for a borough or for London (borough nil).
    struct Key: Hashable {
        let stage: EqualityReportStage
        let characteristic: EqualityCharacteristic?
        let borough: Borough?
        let group: String?
    }

    /// Builds the report from the period's summed counts; `suppress` for anyone outside governance.
    public static func compile(
        _ counts: [EqualityCount], baseline: EqualityBaseline?, from: LocalDate, until: LocalDate, suppress: Bool,
        ethnicity: Bool = true
    ) -> EqualityReport {
        let figures = figures(counts)
        let boroughs = boroughs(counts, baseline)
        let hidden = suppress ? suppression(figures, boroughs: boroughs).hidden() : []
        return build(
            figures, hidden: hidden, boroughs: boroughs, baseline: baseline, from: from, until: until, suppressed: suppress,
            ethnicity: ethnicity)
    }

    /// Every figure of the report, summed from the period's counts.
    static func figures(_ counts: [EqualityCount]) -> [Key: Int] {
        var figures: [Key: Int] = [:]
        for count in counts where count.count > 0 {
            for stage in EqualityReportStage.of(count) {
                for borough in [count.unit, nil] as [Borough?] {
                    // Every event has a sex (not known included), so its counts give each total once.
                    if count.characteristic == .sex {
                        figures[Key(stage: stage, characteristic: nil, borough: borough, group: nil), default: 0] += count.count
                    }
                    figures[Key(stage: stage, characteristic: count.characteristic, borough: borough, group: count.group), default: 0] +=
                        count.count
                }
            }
        }
        return figures
    }

    /// The boroughs a report shows: those with events, and those the baseline covers.
    static func boroughs(_ counts: [EqualityCount], _ baseline: EqualityBaseline?) -> [Borough] {
        let counted = Set(counts.filter { $0.count > 0 }.map(\.unit))
        let covered = Set(baseline?.coveredBoroughs ?? [])
        return Borough.allCases.filter { counted.contains($0) || covered.contains($0) }
    }

    /// The report of `figures` with `hidden` withheld.
    static func build(
        _ figures: [Key: Int], hidden: Set<Key>, boroughs: [Borough], baseline: EqualityBaseline?, from: LocalDate, until: LocalDate,
        suppressed suppress: Bool, ethnicity: Bool
    ) -> EqualityReport {
        let populations = baseline?.lookup
        func shown(_ key: Key) -> Int? { hidden.contains(key) ? nil : figures[key, default: 0] }

        let areas = ([nil] + boroughs.map { Optional($0) }).map { borough in
            Area(
                borough: borough,
                stages: EqualityReportStage.allCases.map { stage in
                    StageFigures(
                        stage: stage, total: shown(Key(stage: stage, characteristic: nil, borough: borough, group: nil)),
                        breakdowns: EqualityCharacteristic.allCases.filter { ethnicity || !$0.isEthnicity }.map { characteristic in
                            func key(_ group: String) -> Key {
                                Key(stage: stage, characteristic: characteristic, borough: borough, group: group)
                            }
                            let reference = characteristic.referenceGroup
                            return Breakdown(
                                characteristic: characteristic,
                                rows: characteristic.groups.map { group in
                                    let rate = RelativeRate(
                                        count: figures[key(group), default: 0],
                                        baseline: populations?.population(borough, characteristic, group) ?? 0,
                                        referenceCount: figures[key(reference), default: 0],
                                        referenceBaseline: populations?.population(borough, characteristic, reference) ?? 0)
                                    let countShown = shown(key(group)) != nil
                                    // A ratio against a hidden reference count would give that count away.
                                    let ratioShown = countShown && shown(key(reference)) != nil && group != reference
                                    return Row(
                                        group: group, label: characteristic.label(of: group), isReference: group == reference,
                                        count: shown(key(group)), population: populations?.population(borough, characteristic, group),
                                        ratePerThousand: countShown ? rate.ratePerThousand : nil,
                                        relativeRate: ratioShown ? rate.ratio : nil,
                                        lower95: ratioShown ? rate.interval95?.lower : nil,
                                        upper95: ratioShown ? rate.interval95?.upper : nil)
                                })
                        })
                })
        }
        return EqualityReport(
            from: from, until: until,
            baseline: baseline.map { BaselineSummary(id: $0.id, name: $0.name, source: $0.source, digest: $0.digest) },
            suppressed: suppress, areas: areas, ethnicityWithheld: !ethnicity)
    }

    /// Every equation a reader could use: a borough's groups add up to its total, the boroughs add
    /// up to London's, the same totals appear under every characteristic, and the bands add up to
    /// the inclusions.
    static func suppression(_ figures: [Key: Int], boroughs: [Borough]) -> SuppressionSystem<Key> {
        var system = SuppressionSystem<Key>()
        let areas: [Borough?] = [nil] + boroughs.map { Optional($0) }
        for stage in EqualityReportStage.allCases {
            for area in areas {
                let total = Key(stage: stage, characteristic: nil, borough: area, group: nil)
                system.values[total] = figures[total, default: 0]
                for characteristic in EqualityCharacteristic.allCases {
                    let parts = characteristic.groups.map { Key(stage: stage, characteristic: characteristic, borough: area, group: $0) }
                    for part in parts { system.values[part] = figures[part, default: 0] }
                    system.equations.append([total] + parts)
                }
            }
            let londonTotal = Key(stage: stage, characteristic: nil, borough: nil, group: nil)
            system.equations.append([londonTotal] + boroughs.map { Key(stage: stage, characteristic: nil, borough: $0, group: nil) })
            for characteristic in EqualityCharacteristic.allCases {
                for group in characteristic.groups {
                    system.equations.append(
                        [Key(stage: stage, characteristic: characteristic, borough: nil, group: group)]
                            + boroughs.map { Key(stage: stage, characteristic: characteristic, borough: $0, group: group) })
                }
            }
        }
        for area in areas {
            let characteristics: [EqualityCharacteristic?] = [nil] + EqualityCharacteristic.allCases.map { Optional($0) }
            for characteristic in characteristics {
                for group in characteristic.map({ $0.groups.map { Optional($0) } }) ?? [nil] {
                    system.equations.append(
                        ([.included] + EqualityReportStage.bands).map {
                            Key(stage: $0, characteristic: characteristic, borough: area, group: group)
                        })
                }
            }
        }
        return system
    }
}

extension EqualityReport {
    /// A relative rate whose whole 95% interval lies above `threshold` (E3): read from the
    /// unsuppressed report, since alerts are governance's.
    public struct Finding: Sendable, Equatable, Codable {
        public let borough: Borough?
        public let stage: EqualityReportStage
        public let characteristic: EqualityCharacteristic
        public let group: String
        public let count: Int
        public let relativeRate: Double
        public let lower95: Double
        public let upper95: Double

        public init(
            borough: Borough?, stage: EqualityReportStage, characteristic: EqualityCharacteristic, group: String, count: Int,
            relativeRate: Double, lower95: Double, upper95: Double
        ) {
            (self.borough, self.stage, self.characteristic, self.group, self.count) = (borough, stage, characteristic, group, count)
            (self.relativeRate, self.lower95, self.upper95) = (relativeRate, lower95, upper95)
        }
    }

    public func findings(above threshold: Double) -> [Finding] {
        areas.flatMap { area in
            area.stages.flatMap { stage in
                stage.breakdowns.flatMap { breakdown in
                    breakdown.rows.compactMap { row -> Finding? in
                        guard !row.isReference, let count = row.count, let ratio = row.relativeRate, let lower = row.lower95,
                            let upper = row.upper95, lower > threshold
                        else { return nil }
                        return Finding(
                            borough: area.borough, stage: stage.stage, characteristic: breakdown.characteristic, group: row.group,
                            count: count, relativeRate: ratio, lower95: lower, upper95: upper)
                    }
                }
            }
        }
    }
}

extension EqualityReport {
    public static let csvColumns = [
        "area", "stage", "characteristic", "group", "count", "population", "rate_per_1000", "relative_rate", "lower_95", "upper_95",
    ]

    /// The report as CSV (RFC 4180), one row per area, stage, characteristic and group, with each
    /// stage's total as group "all". A suppressed count is "[c]", as the ONS marks it; a figure
    /// that does not apply is empty.
    public var csv: String {
        func number(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "" }
        var lines = [Self.csvColumns.joined(separator: ",")]
        for area in areas {
            for stage in area.stages {
                lines.append(
                    [area.name, stage.stage.rawValue, "all", "all", stage.total.map(String.init) ?? "[c]", "", "", "", "", ""]
                        .map(SharePackage.quote).joined(separator: ","))
                for breakdown in stage.breakdowns {
                    for row in breakdown.rows {
                        lines.append(
                            [
                                area.name, stage.stage.rawValue, breakdown.characteristic.rawValue, row.group,
                                row.count.map(String.init) ?? "[c]", row.population.map(String.init) ?? "", number(row.ratePerThousand),
                                number(row.relativeRate), number(row.lower95), number(row.upper95),
                            ].map(SharePackage.quote).joined(separator: ","))
                    }
                }
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
