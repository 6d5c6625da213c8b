public import Foundation

/// A moment, as integer microseconds since the Unix epoch: exact, and byte-identical on SQLite and
/// PostgreSQL (no driver date mapping, no floating point).
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    public init(_ date: Date) { self.microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }

    public func adding(seconds: Int64) -> Timestamp { Timestamp(microseconds: microseconds + seconds * 1_000_000) }

    /// The day it is in London at this moment: around midnight in summer time the GMT day is a
    /// day behind, and a "today" a day early would date a child's birthday or a deadline wrongly.
    public var day: LocalDate { LondonTime.day(at: self) }

    public var description: String { date.formatted(.iso8601) }

    public init(from decoder: any Decoder) throws {
        microseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(microseconds)
    }
}

/// Where the domain gets "now" from, so tests fix it.
public struct Clock: Sendable {
    private let read: @Sendable () -> Timestamp
    public init(_ read: @escaping @Sendable () -> Timestamp) { self.read = read }
    public func now() -> Timestamp { read() }
    public static let system = Clock { Timestamp(Date()) }
    public static func fixed(_ t: Timestamp) -> Clock { Clock { t } }
}

/// A calendar date without time or zone: dates of birth, training dates, matter dates.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...Self.days(inMonth: month, of: year)).contains(day) else {
            return nil
        }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// ISO 8601 dates are proleptic Gregorian (Foundation's calendar switches to Julian before
    /// 1582), so the rules are written out: plain arithmetic that cannot fail.
    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// A date written in the source and known to be valid (a published limit), without the checks.
    package init(knownValid year: Int, _ month: Int, _ day: Int) { (self.year, self.month, self.day) = (year, month, day) }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The UTC day a moment falls on (Hinnant's civil_from_days). Moments beyond ±1e9 days, which
    /// no timestamp here reaches, are clamped rather than overflowing.
    public init(_ date: Date) {
        let whole = (date.timeIntervalSince1970 / 86_400).rounded(.down)
        let days = whole.isFinite ? Int(max(-1e9, min(1e9, whole))) : 0
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `YYYY-MM-DD`, zero-padded. Written out rather than through `String(format:)`, which goes
    /// through C's printf and was a measurable share of an import's validation.
    public var description: String {
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Whole years from `self` (a birth date) to `on`.
    public func age(on: LocalDate) -> Int {
        var years = on.year - year
        if (on.month, on.day) < (month, day) { years -= 1 }
        return years
    }

    /// The same day of the next month (the first of a month stays the first).
    public func addingMonth() -> LocalDate {
        let (y, m) = month == 12 ? (year + 1, 1) : (year, month + 1)
        return LocalDate(year: y, month: m, day: min(day, Self.days(inMonth: m, of: y))) ?? adding(days: 28)
    }

    /// The date `days` later (earlier when negative).
    public func adding(days: Int) -> LocalDate {
        LocalDate(startOfDay.addingTimeInterval(Double(days) * 86_400))
    }

    /// Midnight UTC at the start of this day.
    public var startOfDay: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Hinnant's days_from_civil):
    /// plain arithmetic, so no calendar lookup can fail.
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
