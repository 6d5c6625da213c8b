import Foundation

/// London's civil time, which decides what "today" is for every date the register keeps: GMT,
/// and British Summer Time (GMT+1) from 01:00 GMT on the last Sunday of March to 01:00 GMT on the
/// last Sunday of October (the Summer Time Order 2002). Written out rather than read from the
/// machine's zone database, so a day never depends on what a server has installed.
public enum LondonTime {
    /// Seconds London is ahead of GMT at the moment `t`: 3600 in summer time, otherwise 0.
    public static func offset(at t: Timestamp) -> Int64 {
        let seconds = t.microseconds >= 0 ? t.microseconds / 1_000_000 : (t.microseconds - 999_999) / 1_000_000
        let year = LocalDate(seconds: seconds).year
        let starts = Int64(lastSunday(of: 3, in: year).daysSinceEpoch) * 86_400 + 3_600
        let ends = Int64(lastSunday(of: 10, in: year).daysSinceEpoch) * 86_400 + 3_600
        return (starts..<ends).contains(seconds) ? 3_600 : 0
    }

    /// The day it is in London at `t`.
    public static func day(at t: Timestamp) -> LocalDate {
        let seconds = t.microseconds >= 0 ? t.microseconds / 1_000_000 : (t.microseconds - 999_999) / 1_000_000
        return LocalDate(seconds: seconds + offset(at: t))
    }

    static func lastSunday(of month: Int, in year: Int) -> LocalDate {
        let last = LocalDate(knownValid: year, month, LocalDate.days(inMonth: month, of: year))
        // 1970-01-01 was a Thursday: days since then, plus 4, modulo 7, counts from Sunday.
        let weekday = ((last.daysSinceEpoch + 4) % 7 + 7) % 7
        return LocalDate(knownValid: year, month, last.day - weekday)
    }
}

extension LocalDate {
    /// The GMT day `seconds` after the epoch falls on.
    init(seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        self.init(Date(timeIntervalSince1970: Double(days) * 86_400))
    }
}
