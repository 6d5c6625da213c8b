extension EqualityReport {
    /// The published report for `period`, from the counts of each of its quarters.
    ///
    /// The published series is every finished quarter and every finished year. Quarters never
    /// overlap, so each is suppressed on its own, over all its areas, stages and breakdowns, when it
    /// ends. A year overlaps its quarters: it is suppressed with them, as one system of equations
    /// (each of its figures the sum of its quarters'), hiding only the year's own figures, so the
    /// year never reveals what a quarter withheld and a quarter reads the same alone or in its year.
    public static func published(
        _ period: PublishedPeriod, quarterCounts: [[EqualityCount]], baseline: EqualityBaseline?, ethnicity: Bool
    ) -> EqualityReport {
        let quarters = zip(period.quarters, quarterCounts).map { quarter, counts in
            let figures = Self.figures(counts)
            let boroughs = Self.boroughs(counts, baseline)
            return (quarter, counts, figures, boroughs, suppression(figures, boroughs: boroughs).hidden())
        }
        if case .quarter = period, let (quarter, _, figures, boroughs, hidden) = quarters.first {
            return build(
                figures, hidden: hidden, boroughs: boroughs, baseline: baseline, from: quarter.from, until: quarter.until,
                suppressed: true, ethnicity: ethnicity)
        }
        let all = quarterCounts.flatMap { $0 }
        let yearFigures = Self.figures(all)
        let boroughs = Self.boroughs(all, baseline)
        struct Dated: Hashable {
            /// The quarter's index in the year, or nil for the year itself.
            let quarter: Int?
            let key: Key
        }
        var system = SuppressionSystem<Dated>()
        var fixed = Set<Dated>()
        let yearSystem = suppression(yearFigures, boroughs: boroughs)
        for (i, (_, _, figures, _, hidden)) in quarters.enumerated() {
            let own = suppression(figures, boroughs: boroughs)
            for (key, value) in own.values { system.values[Dated(quarter: i, key: key)] = value }
            system.equations += own.equations.map { $0.map { Dated(quarter: i, key: $0) } }
            fixed.formUnion(hidden.map { Dated(quarter: i, key: $0) })
        }
        // A year's figure whose quarters are all shown is published already, as their sum: only
        // one resting on a hidden quarter can be hidden, and only those need be.
        var hideable = Set<Dated>()
        for (key, value) in yearSystem.values {
            let parts = quarters.indices.map { Dated(quarter: $0, key: key) }
            system.values[Dated(quarter: nil, key: key)] = value
            system.equations.append([Dated(quarter: nil, key: key)] + parts)
            if parts.contains(where: fixed.contains) { hideable.insert(Dated(quarter: nil, key: key)) }
        }
        system.equations += yearSystem.equations.map { $0.map { Dated(quarter: nil, key: $0) } }
        let hidden = system.hidden(fixed: fixed, hideable: hideable.contains)
        return build(
            yearFigures, hidden: Set(hidden.filter { $0.quarter == nil }.map(\.key)), boroughs: boroughs, baseline: baseline,
            from: period.from, until: period.until, suppressed: true, ethnicity: ethnicity)
    }
}
