/// The period a rights request must be answered in (DPA 2018 s.54: one month from the relevant
/// time), counted as the ICO counts it: from the day the clock starts to the corresponding
/// calendar date of the next month, or that month's last day when it has no such date; a
/// deadline on a Saturday or Sunday moves to the Monday. Bank holidays are not modelled: a
/// deadline can fall on one, which errs on the early side.
public enum StatutoryPeriod {
    /// The day the answer is due for a clock that starts on `start`.
    public static func deadline(startingOn start: LocalDate) -> LocalDate {
        let (year, month) = start.month == 12 ? (start.year + 1, 1) : (start.year, start.month + 1)
        let day = min(start.day, LocalDate.days(inMonth: month, of: year))
        let due = LocalDate(knownValid: year, month, day)
        switch due.weekday {
        case .saturday: return due.adding(days: 2)
        case .sunday: return due.adding(days: 1)
        default: return due
        }
    }
}

extension LocalDate {
    public enum Weekday: Int, Sendable {
        case monday = 0
        case tuesday, wednesday, thursday, friday, saturday, sunday
    }

    /// 1970-01-01 was a Thursday.
    public var weekday: Weekday {
        let offset = ((daysSinceEpoch % 7) + 7 + 3) % 7
        return Weekday(rawValue: offset) ?? .monday
    }
}
