/// The periods equality figures are published for outside governance: whole calendar quarters
/// and whole calendar years, once they are over. A reader choosing the days of a period could
/// recover a small count by differencing two overlapping ones; fixed, finished periods that
/// never overlap except a year and its own quarters leave nothing to difference but what the
/// series' suppression has already weighed (`EqualityReport.publishedSeries`).
public enum PublishedPeriod: Hashable, Sendable, CustomStringConvertible {
    case quarter(Quarter)
    case year(Int)

    /// The published period running exactly from `from` to `until`, if there is one.
    public init?(from: LocalDate, until: LocalDate) {
        let quarter = Quarter(containing: from)
        if quarter.from == from, quarter.until == until {
            self = .quarter(quarter)
        } else if from.month == 1, from.day == 1, until.month == 12, until.day == 31, from.year == until.year {
            self = .year(from.year)
        } else {
            return nil
        }
    }

    /// A period by its label: `2026-Q3` (or `2026 Q3`) for a quarter, `2025` for a year.
    public init?(label: String) {
        let parts = label.trimmedWhiteSpace.uppercased().split(whereSeparator: { $0 == "-" || $0 == " " })
        guard let year = parts.first.flatMap({ Int($0) }), (1900...9999).contains(year) else { return nil }
        if parts.count == 1 {
            self = .year(year)
        } else if parts.count == 2, parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()), (1...4).contains(q) {
            self = .quarter(Quarter(containing: LocalDate(knownValid: year, (q - 1) * 3 + 1, 1)))
        } else {
            return nil
        }
    }

    /// The published periods over by `today`, newest first: the last `quarters` quarters and the
    /// years among them.
    public static func recent(before today: LocalDate, quarters: Int = 8) -> [PublishedPeriod] {
        var out: [PublishedPeriod] = []
        var quarter = Quarter(containing: today).previous
        for _ in 0..<quarters {
            out.append(.quarter(quarter))
            if quarter.from.month == 10 { out.append(.year(quarter.from.year)) }
            quarter = quarter.previous
        }
        return out
    }

    /// The last whole quarter before `today`: what a reader outside governance sees first.
    public static func latest(before today: LocalDate) -> PublishedPeriod { .quarter(Quarter(containing: today).previous) }

    public var from: LocalDate {
        switch self {
        case .quarter(let q): q.from
        case .year(let y): LocalDate(knownValid: y, 1, 1)
        }
    }

    public var until: LocalDate {
        switch self {
        case .quarter(let q): q.until
        case .year(let y): LocalDate(knownValid: y, 12, 31)
        }
    }

    /// The quarters a year is the sum of; a quarter is its own.
    public var quarters: [Quarter] {
        switch self {
        case .quarter(let q): [q]
        case .year: (0..<4).map { i in Quarter(containing: from.adding(days: 1 + 92 * i)) }
        }
    }

    /// Published only once over: a period still running changes from one day to the next.
    public func isOver(on today: LocalDate) -> Bool { until < today }

    /// As a query or command line names it: `2026-Q3`, `2025`.
    public var code: String {
        switch self {
        case .quarter(let q): "\(q.from.year)-Q\((q.from.month - 1) / 3 + 1)"
        case .year(let y): "\(y)"
        }
    }

    public var description: String {
        switch self {
        case .quarter(let q): q.label
        case .year(let y): "\(y)"
        }
    }
}
