import Foundation

/// What the harm method may see: offences from the subject's matters (with the subject's category
/// on each) and weapon-access intelligence (its grade and date). There is no field here for
/// ethnicity, sex, age, address or nickname, so the method cannot use them (SC1).
public struct HarmInputs: Sendable, Equatable {
    public struct Offence: Sendable, Equatable {
        public let matterID: MatterID
        public let reference: String
        public let offence: OffenceType
        public let occurredOn: LocalDate
        public let category: Category
        public init(matterID: MatterID, reference: String, offence: OffenceType, occurredOn: LocalDate, category: Category) {
            (self.matterID, self.reference, self.offence, self.occurredOn, self.category) = (
                matterID, reference, offence, occurredOn, category
            )
        }
    }

    public struct WeaponIntelligence: Sendable, Equatable {
        public let id: IntelligenceID
        public let grade: IntelligenceGrade
        public let recordedOn: LocalDate
        public init(id: IntelligenceID, grade: IntelligenceGrade, recordedOn: LocalDate) {
            (self.id, self.grade, self.recordedOn) = (id, grade, recordedOn)
        }
    }

    public let offences: [Offence]
    public let weaponIntelligence: [WeaponIntelligence]

    public init(offences: [Offence], weaponIntelligence: [WeaponIntelligence]) {
        (self.offences, self.weaponIntelligence) = (offences, weaponIntelligence)
    }

    /// Takes from a subject's record only what the method may use: offence matters with their
    /// links, and intelligence cited as evidence by a weapon flag (knife carrier, firearms).
    public init(matters: [LinkedMatter], intelligence: [IntelligenceItem], flags: [Flag]) {
        offences = matters.compactMap { row in
            row.matter.offence.map {
                Offence(
                    matterID: row.matter.id, reference: row.matter.reference, offence: $0,
                    occurredOn: row.matter.occurredOn, category: row.link.category)
            }
        }
        let cited = Set(flags.flatMap(\.evidence).compactMap { if case .intelligence(let id) = $0 { id } else { nil } })
        weaponIntelligence = intelligence.filter { cited.contains($0.id) }
            .map { WeaponIntelligence(id: $0.id, grade: $0.grade, recordedOn: $0.provenance.recordedAt.day) }
    }
}

public enum HarmBand: String, Sendable, Codable, CaseIterable { case green, amber, red }

/// A score with every input and what it contributed, and the rulebook version it was made under.
/// Advisory: an adverse use needs a recorded human decision.
public struct HarmAssessment: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        /// What the input is, in words: "Robbery, CRIS-1 (2026-03-14), as suspect".
        public let input: String
        public let points: Double
        /// How the points were reached, or why the input counts for nothing.
        public let working: String
        /// When the input happened: a timeline draws it there. Absent from assessments kept
        /// before it was recorded.
        public let on: LocalDate?

        public init(input: String, points: Double, working: String, on: LocalDate? = nil) {
            (self.input, self.points, self.working, self.on) = (input, points, working, on)
        }
    }

    public let rulebookVersion: Int
    public let assessedOn: LocalDate
    public let score: Double
    public let band: HarmBand
    public let lines: [Line]
}

/// The published harm method: severity (days of custody at the guideline starting point) decaying
/// with a half-life, plus weapon-access intelligence graded at least B2-equivalent within the
/// window. Victim and witness links never add to it.
public enum HarmMethod {
    /// Whether the method scores these inputs at all: not for someone held only as a victim or witness.
    public static func scores(_ inputs: HarmInputs) -> Bool {
        inputs.offences.contains(where: \.category.isEnforcement) || !inputs.weaponIntelligence.isEmpty
    }

    public static func assess(_ inputs: HarmInputs, under rulebook: Rulebook, on day: LocalDate) throws(RegisterError) -> HarmAssessment {
        let rules = rulebook.harm
        guard scores(inputs) else { throw .denied(.harmProtectedOnly) }
        var lines: [HarmAssessment.Line] = []
        for o in inputs.offences.sorted(by: { ($0.occurredOn, $0.reference) > ($1.occurredOn, $1.reference) }) {
            let input = "\(o.offence.rawValue), \(o.reference) (\(o.occurredOn)), as \(o.category.rawValue)"
            let age = o.occurredOn.days(until: day)
            let weight = rules.offenceWeights[o.offence] ?? 0
            if !o.category.isEnforcement {
                lines.append(
                    .init(
                        input: input, points: 0, working: "not counted: a \(o.category.label.lowercased()) never adds to a score",
                        on: o.occurredOn))
            } else if age < 0 {
                lines.append(.init(input: input, points: 0, working: "not counted: dated after the assessment", on: o.occurredOn))
            } else if age > rules.lookbackDays {
                lines.append(
                    .init(
                        input: input, points: 0, working: "not counted: \(age) days old, beyond the \(rules.lookbackDays)-day look-back",
                        on: o.occurredOn))
            } else {
                let decay = pow(0.5, Double(age) / Double(rules.halfLifeDays))
                let points = weight * decay
                lines.append(
                    .init(
                        input: input, points: points,
                        working: "weight \(format(weight)) × 0.5^(\(age)/\(rules.halfLifeDays)) = \(format(points))", on: o.occurredOn))
            }
        }
        for item in inputs.weaponIntelligence.sorted(by: { $0.recordedOn > $1.recordedOn }) {
            let input = "weapon-access intelligence \(item.id) graded \(item.grade.code) (\(item.recordedOn))"
            let age = item.recordedOn.days(until: day)
            if !item.grade.isAtLeastB2Equivalent {
                lines.append(.init(input: input, points: 0, working: "not counted: graded below B2-equivalent", on: item.recordedOn))
            } else if age < 0 || age > rules.weaponIntelligenceWindowDays {
                lines.append(
                    .init(
                        input: input, points: 0, working: "not counted: outside the \(rules.weaponIntelligenceWindowDays)-day window",
                        on: item.recordedOn))
            } else {
                lines.append(
                    .init(
                        input: input, points: rules.weaponIntelligenceWeight,
                        working: "fixed weight \(format(rules.weaponIntelligenceWeight))", on: item.recordedOn))
            }
        }
        let score = (lines.map(\.points).reduce(0, +) * 10).rounded() / 10
        let band: HarmBand = score >= rules.redFrom ? .red : score >= rules.amberFrom ? .amber : .green
        return HarmAssessment(rulebookVersion: rulebook.version, assessedOn: day, score: score, band: band, lines: lines)
    }

    static func format(_ x: Double) -> String { String(format: "%.1f", x) }
}

extension IntelligenceGrade {
    /// At least as strong as 5x5x5 B2 (mostly reliable source, known indirectly but corroborated):
    /// 3x5x2 source 1 or 2 with assessment A or B; legacy source A or B with intelligence 1 or 2.
    public var isAtLeastB2Equivalent: Bool {
        switch self {
        case .current(let g): g.source != .notReliable && (g.assessment == .a || g.assessment == .b)
        case .legacy(let g): ["A", "B"].contains(g.source) && ["1", "2"].contains(g.intelligence)
        }
    }
}

extension LocalDate {
    /// Whole days from this date to `other` (negative when `other` is earlier).
    public func days(until other: LocalDate) -> Int {
        Int((other.startOfDay.timeIntervalSince(startOfDay) / 86_400).rounded())
    }
}
