/// Small-number suppression for anything published outside governance: a table of counts with
/// its row totals, column totals and grand total, where every count from 1 to 9 is hidden
/// (primary suppression) and further cells are hidden until no row or column equation, totals
/// included, has exactly one hidden entry, so no hidden count can be worked out by subtraction
/// (secondary suppression). Zero is shown: it describes no one.
public struct SuppressedTable: Sendable, Equatable {
    /// nil where hidden.
    public let cells: [[Int?]]
    public let rowTotals: [Int?]
    public let columnTotals: [Int?]
    public let total: Int?

    public static let threshold = 10

    /// `counts` is rows × columns; rows may not be ragged.
    public static func suppressing(_ counts: [[Int]]) -> SuppressedTable {
        let rows = counts.count
        let columns = counts.first?.count ?? 0
        // The table with its margins: row r's total at [r][columns], column c's at [rows][c], the
        // grand total at [rows][columns]. Each row and column of this grid is one equation.
        var grid = counts.map { $0 + [$0.reduce(0, +)] }
        grid.append((0..<columns).map { c in counts.reduce(0) { $0 + $1[c] } } + [counts.joined().reduce(0, +)])
        var hidden = grid.map { row in row.map { (1..<threshold).contains($0) } }
        func equations() -> [[(Int, Int)]] {
            (0...rows).map { r in (0...columns).map { (r, $0) } } + (0...columns).map { c in (0...rows).map { ($0, c) } }
        }
        var changed = true
        while changed {
            changed = false
            for equation in equations() where equation.filter({ hidden[$0.0][$0.1] }).count == 1 {
                // Hide the smallest other entry that describes someone (a zero would give nothing away).
                let candidates = equation.filter { !hidden[$0.0][$0.1] }.sorted { grid[$0.0][$0.1] < grid[$1.0][$1.1] }
                guard let next = candidates.first(where: { grid[$0.0][$0.1] > 0 }) ?? candidates.first else { continue }
                hidden[next.0][next.1] = true
                changed = true
            }
        }
        func shown(_ r: Int, _ c: Int) -> Int? { hidden[r][c] ? nil : grid[r][c] }
        return SuppressedTable(
            cells: (0..<rows).map { r in (0..<columns).map { shown(r, $0) } }, rowTotals: (0..<rows).map { shown($0, columns) },
            columnTotals: (0..<columns).map { shown(rows, $0) }, total: shown(rows, columns))
    }
}
