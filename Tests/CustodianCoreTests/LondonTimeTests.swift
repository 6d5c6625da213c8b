import CustodianCore
import Foundation
import Testing

/// What day it is, as London counts days: the register's "today" for ages, deadlines and defaults.
@Suite struct LondonTimeTests {
    static func at(_ iso: String) -> Timestamp { Timestamp(try! Date(iso, strategy: .iso8601)) }

    @Test func halfPastElevenOnASummerNightIsTomorrowInLondon() {
        #expect(Self.at("2026-07-15T23:30:00Z").day.description == "2026-07-16")
        #expect(Self.at("2026-07-15T22:59:59Z").day.description == "2026-07-15")
        #expect(Self.at("2026-01-15T23:30:00Z").day.description == "2026-01-15")
    }

    @Test func summerTimeStartsAndEndsAtOneInTheMorningGMTOnTheLastSundays() {
        #expect(LondonTime.offset(at: Self.at("2026-03-29T00:59:59Z")) == 0)
        #expect(LondonTime.offset(at: Self.at("2026-03-29T01:00:00Z")) == 3_600)
        #expect(LondonTime.offset(at: Self.at("2026-10-25T00:59:59Z")) == 3_600)
        #expect(LondonTime.offset(at: Self.at("2026-10-25T01:00:00Z")) == 0)
        #expect(LondonTime.offset(at: Self.at("2028-03-26T01:00:00Z")) == 3_600, "2028: the last Sunday is the 26th")
    }

    /// Every hour from 2019 to 2031 gives the day the zone database gives, where the
    /// machine has one: the written-out rule is the law the database records.
    @Test func theRuleAgreesWithTheZoneDatabase() throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var t = Self.at("2019-01-01T00:00:00Z")
        let end = Self.at("2031-01-01T00:00:00Z")
        var checked = 0
        while t < end {
            let parts = calendar.dateComponents([.year, .month, .day], from: t.date)
            let expected = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
            if t.day != expected || LondonTime.offset(at: t) != Int64(zone.secondsFromGMT(for: t.date)) {
                Issue.record("\(t): \(t.day) against \(String(describing: expected))")
                return
            }
            checked += 1
            t = t.adding(seconds: 3_600)
        }
        #expect(checked > 100_000)
    }
}
