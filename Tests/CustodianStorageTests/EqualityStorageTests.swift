@_spi(Storage) import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Testing

/// Storage's sums for the equality report, on both databases: whole months read from the monthly
/// tallies kept as events are written, part-months from the events, and every period, aligned to
/// months or not, gives exactly the counts of its events.
@Suite struct EqualityStorageTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func everyPeriodSumsExactlyItsEvents(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let start = LocalDate(year: 2026, month: 1, day: 20)!
            var events: [EqualityEvent] = []
            var random = SystemRandomNumberGenerator()
            for i in 0..<600 {
                events.append(
                    EqualityEvent(
                        stage: [.recorded, .proposed, .included, .shared, .removed][i % 5], unit: [.hackney, .newham, .lambeth][i % 3],
                        day: start.adding(days: Int.random(in: 0..<120, using: &random)),
                        band: i % 5 == 2 ? [.red, .amber, nil][i % 3] : nil,
                        officerDefinedEthnicity: i % 7 == 0 ? nil : [.ic1, .ic3, .ic4][i % 3],
                        selfDefinedEthnicity: i % 2 == 0 ? nil : .blackAfrican,
                        ageBand: [.tenToSeventeen, .eighteenToTwentyFour, .unknown][i % 3], sex: [.male, .female][i % 2]))
            }
            // Written in several transactions, as stages happen.
            for chunk in stride(from: 0, to: events.count, by: 150).map({ Array(events[$0..<min($0 + 150, events.count)]) }) {
                try await SQLRegisterStore(driver: f.store.driver).loadBenchmarkEqualityEvents(chunk)
            }
            let periods: [(LocalDate, LocalDate)] = [
                (LocalDate(year: 2026, month: 2, day: 1)!, LocalDate(year: 2026, month: 4, day: 1)!),  // whole months only
                (LocalDate(year: 2026, month: 1, day: 25)!, LocalDate(year: 2026, month: 4, day: 10)!),  // part, whole, part
                (LocalDate(year: 2026, month: 3, day: 3)!, LocalDate(year: 2026, month: 3, day: 20)!),  // inside one month
                (start, start.adding(days: 200)),
            ]
            for (from, until) in periods {
                let sums = try await f.register.store.lookup { tx in try await tx.equalityCounts(from: from, until: until) }
                let inside = events.filter { $0.day >= from && $0.day < until }
                for characteristic in EqualityCharacteristic.allCases {
                    var expected: [String: Int] = [:]
                    for e in inside {
                        expected["\(e.unit)/\(e.stage)/\(e.band?.rawValue ?? "-")/\(e.group(characteristic))", default: 0] += 1
                    }
                    var found: [String: Int] = [:]
                    for c in sums where c.characteristic == characteristic {
                        found["\(c.unit)/\(c.stage)/\(c.band?.rawValue ?? "-")/\(c.group)", default: 0] += c.count
                    }
                    #expect(found == expected, "\(from) to \(until), \(characteristic)")
                }
            }
        }
    }
}
