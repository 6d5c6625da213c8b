/// A proposed rulebook re-run over the people on the register today, beside the version in
/// force (E5): per group, how many would meet the inclusion threshold and how many would be red,
/// each as a rate and a rate relative to the reference group. A disparity widens when a group's
/// relative rate is above 1 and would rise by more than the rulebook's tolerance.
public struct EqualitySimulation: Sendable, Codable, Equatable {
    /// One person with an inclusion proposed or in force: their groups, and the case each rulebook
    /// judges (the evidence their inclusion rests on, and what the harm method may see).
    public struct Case: Sendable {
        public let groups: [EqualityCharacteristic: String]
        public let threshold: InclusionThreshold.Case
        public let harm: HarmInputs
        public init(groups: [EqualityCharacteristic: String], threshold: InclusionThreshold.Case, harm: HarmInputs) {
            (self.groups, self.threshold, self.harm) = (groups, threshold, harm)
        }
    }

    public enum Measure: String, Sendable, Codable, CaseIterable {
        case included
        case red = "band-red"
        public var label: String { self == .included ? "Meets the inclusion threshold" : "Red band" }
    }

    public struct Figure: Sendable, Codable, Equatable {
        /// nil where suppressed (`published`).
        public let count: Int?
        /// Per 1,000 of the denominator; nil without one.
        public let rate: Double?
        public let relativeRate: Double?
    }

    public struct Row: Sendable, Codable, Equatable {
        public let measure: Measure
        public let characteristic: EqualityCharacteristic
        public let group: String
        public let isReference: Bool
        /// nil without one, or where suppressed.
        public let denominator: Int?
        public let inForce: Figure
        public let proposed: Figure
        public let widens: Bool
    }

    public let inForceVersion: Int
    public let proposedVersion: Int
    public let asOf: LocalDate
    public let people: Int
    /// What the rates are per 1,000 of: the baseline's London population, or (with no baseline)
    /// the people simulated in each group.
    public let denominator: String
    public let tolerance: Double
    public let rows: [Row]

    public var widened: [Row] { rows.filter(\.widens) }

    /// What rates are per 1,000 of when no baseline is loaded: register counts themselves.
    static let simulatedDenominator = "the people simulated in each group"

    public static func run(
        _ cases: [Case], inForce: Rulebook, proposed: Rulebook, baseline: EqualityBaseline?, on day: LocalDate
    ) -> EqualitySimulation {
        struct Outcome { let included: Bool, red: Bool }
        func outcome(_ c: Case, _ rulebook: Rulebook) -> Outcome {
            let included = InclusionThreshold.shortfalls(c.threshold, under: rulebook).isEmpty
            guard included, HarmMethod.scores(c.harm), let assessment = try? HarmMethod.assess(c.harm, under: rulebook, on: day) else {
                return Outcome(included: included, red: false)
            }
            return Outcome(included: included, red: assessment.band == .red)
        }
        let outcomes = cases.map { (c: $0, old: outcome($0, inForce), new: outcome($0, proposed)) }
        let tolerance = inForce.equality.wideningTolerance
        let populations = baseline?.lookup
        var rows: [Row] = []
        for measure in Measure.allCases {
            for characteristic in EqualityCharacteristic.allCases {
                func count(_ group: String, new: Bool) -> Int {
                    outcomes.filter {
                        let o = new ? $0.new : $0.old
                        return $0.c.groups[characteristic] == group && (measure == .included ? o.included : o.red)
                    }.count
                }
                func denominator(_ group: String) -> Int? {
                    if let populations { return populations.population(nil, characteristic, group) }
                    let people = outcomes.filter { $0.c.groups[characteristic] == group }.count
                    return people > 0 ? people : nil
                }
                func figure(_ group: String, new: Bool) -> Figure {
                    let reference = characteristic.referenceGroup
                    let rate = RelativeRate(
                        count: count(group, new: new), baseline: denominator(group) ?? 0,
                        referenceCount: count(reference, new: new), referenceBaseline: denominator(reference) ?? 0)
                    return Figure(count: rate.count, rate: rate.ratePerThousand, relativeRate: group == reference ? nil : rate.ratio)
                }
                for group in characteristic.groups {
                    let (old, new) = (figure(group, new: false), figure(group, new: true))
                    let widens = new.relativeRate.map { n in n > 1 && old.relativeRate.map { n > $0 * (1 + tolerance) } ?? false } ?? false
                    rows.append(
                        Row(
                            measure: measure, characteristic: characteristic, group: group,
                            isReference: group == characteristic.referenceGroup, denominator: denominator(group), inForce: old,
                            proposed: new, widens: widens))
                }
            }
        }
        return EqualitySimulation(
            inForceVersion: inForce.version, proposedVersion: proposed.version, asOf: day, people: cases.count,
            denominator: baseline.map { "the London population in the baseline '\($0.name)'" } ?? simulatedDenominator,
            tolerance: tolerance, rows: rows)
    }
}
