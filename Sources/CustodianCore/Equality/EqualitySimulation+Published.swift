extension EqualitySimulation {
    /// The simulation as anyone outside governance reads it: no count from 1 to 9 (of people
    /// meeting a threshold, or, with no baseline, of people in a group), nor any figure that would
    /// give one away through a characteristic's groups adding up to the same unpublished total;
    /// rates and ratios resting on a hidden figure go with it.
    public var published: EqualitySimulation {
        enum Key: Hashable {
            case count(Measure, proposed: Bool, EqualityCharacteristic, String)
            case total(Measure, proposed: Bool)
            case denominator(EqualityCharacteristic, String)
            case people
        }
        var system = SuppressionSystem<Key>()
        let simulated = denominator == Self.simulatedDenominator
        for row in rows {
            for proposed in [false, true] {
                let figure = proposed ? row.proposed : row.inForce
                system.values[.count(row.measure, proposed: proposed, row.characteristic, row.group)] = figure.count ?? 0
                system.values[.total(row.measure, proposed: proposed), default: 0] += 0
            }
            if simulated, let d = row.denominator { system.values[.denominator(row.characteristic, row.group)] = d }
        }
        system.values[.people] = people
        for measure in Measure.allCases {
            for proposed in [false, true] {
                for characteristic in EqualityCharacteristic.allCases {
                    let groups = rows.filter { $0.measure == measure && $0.characteristic == characteristic }.map(\.group)
                    system.equations.append(
                        [.total(measure, proposed: proposed)] + groups.map { .count(measure, proposed: proposed, characteristic, $0) })
                }
            }
        }
        if simulated {
            for characteristic in EqualityCharacteristic.allCases {
                let groups = rows.filter { $0.measure == .included && $0.characteristic == characteristic }.map(\.group)
                system.equations.append([.people] + groups.map { .denominator(characteristic, $0) })
            }
        }
        // The totals are never published: each characteristic's groups add up to them all the same.
        let totals = Set(Measure.allCases.flatMap { m in [false, true].map { Key.total(m, proposed: $0) } })
        let hidden = system.hidden(fixed: totals, hideable: { $0 != .people })
        func shown(_ row: Row, proposed: Bool) -> Figure {
            let figure = proposed ? row.proposed : row.inForce
            let reference = row.characteristic.referenceGroup
            let countShown = !hidden.contains(.count(row.measure, proposed: proposed, row.characteristic, row.group))
            let denominatorShown = !hidden.contains(.denominator(row.characteristic, row.group))
            let referenceShown =
                !hidden.contains(.count(row.measure, proposed: proposed, row.characteristic, reference))
                && !hidden.contains(.denominator(row.characteristic, reference))
            return Figure(
                count: countShown ? figure.count : nil, rate: countShown && denominatorShown ? figure.rate : nil,
                relativeRate: countShown && denominatorShown && referenceShown ? figure.relativeRate : nil)
        }
        return EqualitySimulation(
            inForceVersion: inForceVersion, proposedVersion: proposedVersion, asOf: asOf, people: people, denominator: denominator,
            tolerance: tolerance,
            rows: rows.map { row in
                Row(
                    measure: row.measure, characteristic: row.characteristic, group: row.group, isReference: row.isReference,
                    denominator: hidden.contains(.denominator(row.characteristic, row.group)) ? nil : row.denominator,
                    inForce: shown(row, proposed: false), proposed: shown(row, proposed: true), widens: row.widens)
            })
    }
}
