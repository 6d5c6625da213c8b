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
        struct Cell: Hashable { let r: Int, c: Int }
        var system = SuppressionSystem<Cell>()
        for r in 0...rows { for c in 0...columns { system.values[Cell(r: r, c: c)] = grid[r][c] } }
        // Each equation lists its total first, then its parts.
        for r in 0...rows { system.equations.append([Cell(r: r, c: columns)] + (0..<columns).map { Cell(r: r, c: $0) }) }
        for c in 0...columns { system.equations.append([Cell(r: rows, c: c)] + (0..<rows).map { Cell(r: $0, c: c) }) }
        let hidden = system.hidden()
        func shown(_ r: Int, _ c: Int) -> Int? { hidden.contains(Cell(r: r, c: c)) ? nil : grid[r][c] }
        return SuppressedTable(
            cells: (0..<rows).map { r in (0..<columns).map { shown(r, $0) } }, rowTotals: (0..<rows).map { shown($0, columns) },
            columnTotals: (0..<columns).map { shown(rows, $0) }, total: shown(rows, columns))
    }
}

/// Small-number suppression over any set of published figures linked by additive equations: a
/// total and its parts, the same total in several tables, a stage and the bands that divide it.
/// Each equation lists its total first, then its parts. One hidden figure in an equation could be
/// worked out from the others, so another is hidden, until none has exactly one; and where a
/// hidden total's only hidden part sits among parts shown as zero, the reader learns that everyone
/// counted is in that part, so a zero beside it is hidden too.
public struct SuppressionSystem<Key: Hashable> {
    public var values: [Key: Int] = [:]
    public var equations: [[Key]] = []

    public init() {}

    /// The figures to hide: every count from 1 to 9, and what secondary suppression adds. First
    /// the fast rules (no equation with exactly one hidden figure, no hidden total whose one
    /// hidden part stands among zeros), then a check by elimination that no hidden figure is
    /// determined by several equations together, hiding more until none is.
    ///
    /// `fixed` are figures already hidden where they were published before (a quarter, when its
    /// year is published after it); only figures `hideable` says may be hidden are hidden now.
    public func hidden(fixed: Set<Key> = [], hideable: (Key) -> Bool = { _ in true }) -> Set<Key> {
        var hidden = fixed.union(values.filter { hideable($0.key) && (1..<SuppressedTable.threshold).contains($0.value) }.keys)
        var byKey: [Key: [Int]] = [:]
        for (index, equation) in equations.enumerated() { for key in equation { byKey[key, default: []].append(index) } }
        func exposes(_ equation: [Key]) -> Bool {
            let hiddenCount = equation.filter { hidden.contains($0) }.count
            if hiddenCount == 1 { return true }
            guard hiddenCount == 2, let total = equation.first, hidden.contains(total) else { return false }
            return equation.dropFirst().allSatisfy { hidden.contains($0) || values[$0, default: 0] == 0 }
        }
        func hideNext(in equation: [Key]) -> Key? {
            // The smallest shown figure that describes someone (a zero gives nothing away).
            let candidates = equation.enumerated().filter { !hidden.contains($0.element) && hideable($0.element) }
                .sorted { (values[$0.element, default: 0], $0.offset) < (values[$1.element, default: 0], $1.offset) }
                .map(\.element)
            return candidates.first(where: { values[$0, default: 0] > 0 }) ?? candidates.first
        }
        var pending = Set(hidden.flatMap { byKey[$0] ?? [] })
        while true {
            // Work through the equations touched by a newly hidden figure, in order, so the same
            // figures always give the same published table.
            while !pending.isEmpty {
                let batch = pending.sorted()
                pending = []
                for index in batch where exposes(equations[index]) {
                    guard let next = hideNext(in: equations[index]) else { continue }
                    hidden.insert(next)
                    pending.formUnion(byKey[next] ?? [])
                }
            }
            let exposed = determined(hidden)
            guard !exposed.isEmpty else { return hidden }
            func hiddenCount(_ index: Int) -> Int { equations[index].filter { hidden.contains($0) }.count }
            for key in exposed {
                // Widen the equation around it that hides least.
                let around = (byKey[key] ?? []).min { (hiddenCount($0), $0) < (hiddenCount($1), $1) }
                if let around, let next = hideNext(in: equations[around]) {
                    hidden.insert(next)
                    pending.formUnion(byKey[next] ?? [])
                }
            }
            if pending.isEmpty {
                // Every equation around the exposed figures is hidden whole, yet a chain of other
                // equations still solves them: widen the least-hidden equation that holds both a
                // hidden and a shown figure, one at a time, until nothing can be solved.
                let open = equations.indices.filter { i in
                    equations[i].contains { hidden.contains($0) } && equations[i].contains { !hidden.contains($0) && hideable($0) }
                }
                guard let widest = open.min(by: { (hiddenCount($0), $0) < (hiddenCount($1), $1) }),
                    let next = hideNext(in: equations[widest])
                else { return hidden }  // nothing left to hide: every figure is hidden
                hidden.insert(next)
                pending.formUnion(byKey[next] ?? [])
            }
        }
    }

    /// The hidden figures a reader could solve for: with the shown figures moved to the right-hand
    /// side, each equation is a linear equation in the hidden ones; a hidden figure is determined
    /// when the fully reduced system has a row with it alone. The arithmetic is exact, modulo the
    /// prime 2^61 - 1: floating point loses small pivots in a system of thousands of figures and
    /// with them the very figures it should find, while coefficients of 0 and ±1 lose nothing
    /// modulo so large a prime.
    func determined(_ hidden: Set<Key>) -> [Key] {
        var column: [Key: Int] = [:]
        var keys: [Key] = []
        var pivots: [Int: [Int: UInt64]] = [:]
        for equation in equations {
            // The first entry is the total: total - parts = 0.
            var row: [Int: UInt64] = [:]
            for (offset, key) in equation.enumerated() where hidden.contains(key) {
                let c =
                    column[key]
                    ?? {
                        keys.append(key)
                        column[key] = keys.count - 1
                        return keys.count - 1
                    }()
                row[c] = Modular.add(row[c] ?? 0, offset == 0 ? 1 : Modular.p - 1)
            }
            row = row.filter { $0.value != 0 }
            // Gauss-Jordan as rows arrive: clear every known pivot from the row, then the row's
            // own pivot from every earlier row.
            for (lead, pivot) in pivots where row[lead] != nil { Modular.eliminate(&row, by: pivot, at: lead) }
            guard let lead = row.keys.min(), let value = row[lead] else { continue }
            let scale = Modular.inverse(value)
            row = row.mapValues { Modular.multiply($0, scale) }
            for other in Array(pivots.keys) where pivots[other]?[lead] != nil {
                if var reduced = pivots[other] {
                    Modular.eliminate(&reduced, by: row, at: lead)
                    pivots[other] = reduced
                }
            }
            pivots[lead] = row
        }
        return pivots.values.compactMap { row in row.count == 1 ? row.keys.first.map { keys[$0] } : nil }
    }
}

/// Arithmetic modulo the Mersenne prime 2^61 - 1.
enum Modular {
    static let p: UInt64 = (1 << 61) - 1

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 { (a + b) % p }

    static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return (UInt128(high) << 64 | UInt128(low)).remainder(dividingBy: p)
    }

    static func inverse(_ a: UInt64) -> UInt64 {
        var (result, base, exponent) = (UInt64(1), a, p - 2)
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return result
    }

    /// Subtracts `pivot` (1 at `lead`) from `row` as many times as clears `row` at `lead`.
    static func eliminate(_ row: inout [Int: UInt64], by pivot: [Int: UInt64], at lead: Int) {
        guard let factor = row[lead] else { return }
        for (k, v) in pivot {
            let next = add(row[k] ?? 0, p - multiply(factor, v))
            row[k] = next == 0 ? nil : next
        }
    }
}

extension UInt128 {
    fileprivate func remainder(dividingBy p: UInt64) -> UInt64 { UInt64(self % UInt128(p)) }
}
