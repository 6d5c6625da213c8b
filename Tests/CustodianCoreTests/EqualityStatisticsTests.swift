import CustodianCore
import Foundation
import Testing

/// The equality statistics against values computed by hand (and checked in Python), and small-
/// number suppression against the rule that no hidden count can be worked out from what is shown.
@Suite struct EqualityStatisticsTests {
    @Test func theRelativeRateAndItsLogIntervalMatchHandComputedValues() throws {
        // 30 of 10,000 in the group against 20 of 40,000 in the reference group.
        let rr = RelativeRate(count: 30, baseline: 10_000, referenceCount: 20, referenceBaseline: 40_000)
        #expect(rr.ratio == 6)
        #expect(rr.ratePerThousand == 3)
        let ci = try #require(rr.interval95)
        #expect(abs(ci.lower - 3.408905) < 1e-5 && abs(ci.upper - 10.560576) < 1e-5, "\(ci)")
        #expect(rr.whollyAbove(3) && !rr.whollyAbove(3.5))
        // No difference: an interval around 1.
        let even = RelativeRate(count: 12, baseline: 5_000, referenceCount: 48, referenceBaseline: 20_000)
        let evenCI = try #require(even.interval95)
        #expect(abs(try #require(even.ratio) - 1) < 1e-12 && abs(evenCI.lower - 0.531625) < 1e-5 && abs(evenCI.upper - 1.881024) < 1e-5)
        #expect(!even.whollyAbove(1))
    }

    @Test func noIntervalIsInventedWhereTheLogarithmIsUndefined() {
        #expect(RelativeRate(count: 0, baseline: 1_000, referenceCount: 5, referenceBaseline: 1_000).interval95 == nil)
        #expect(RelativeRate(count: 5, baseline: 1_000, referenceCount: 0, referenceBaseline: 1_000).ratio == nil)
        #expect(RelativeRate(count: 5, baseline: 0, referenceCount: 5, referenceBaseline: 1_000).ratePerThousand == nil)
    }

    @Test func aSmallCountIsHiddenAndSoIsWhatWouldRevealIt() {
        // One small cell in a row: its row total would give it away, so a second cell goes too,
        // and then their columns need a second hidden entry each.
        let table = SuppressedTable.suppressing([
            [120, 3, 45],
            [80, 60, 30],
        ])
        #expect(table.cells[0][1] == nil)
        Self.expectNothingDerivable(table, from: [[120, 3, 45], [80, 60, 30]])
        #expect(table.total == 338)
    }

    @Test func suppressionHoldsForEveryTableOfAFewSmallCounts() {
        // Every 2x3 table of counts drawn from {0, 4, 12, 40}: no hidden count can be derived by
        // subtraction from one row or column, totals included, and no shown entry is 1-9.
        let values = [0, 4, 12, 40]
        var checked = 0
        for code in 0..<4096 {
            var digits = code
            var counts = [[Int]](repeating: [Int](repeating: 0, count: 3), count: 2)
            for r in 0..<2 {
                for c in 0..<3 {
                    counts[r][c] = values[digits % 4]
                    digits /= 4
                }
            }
            Self.expectNothingDerivable(SuppressedTable.suppressing(counts), from: counts)
            checked += 1
        }
        #expect(checked == 4096)
    }

    static func expectNothingDerivable(_ t: SuppressedTable, from counts: [[Int]]) {
        let rows = counts.count
        let columns = counts[0].count
        var grid: [[Int?]] = t.cells.enumerated().map { r, row in row + [t.rowTotals[r]] }
        grid.append(t.columnTotals + [t.total])
        for row in grid { for value in row { if let value { #expect(!(1..<10).contains(value), "\(counts) shows \(value)") } } }
        let equations =
            (0...rows).map { r in (0...columns).map { grid[r][$0] } } + (0...columns).map { c in (0...rows).map { grid[$0][c] } }
        for equation in equations {
            #expect(equation.filter { $0 == nil }.count != 1, "\(counts): one hidden entry in \(equation) can be subtracted out")
        }
    }
}
