/// The grade of an intelligence item: current 3x5x2, or legacy 5x5x5 kept exactly as recorded.
public enum IntelligenceGrade: Sendable, Equatable, Codable {
    case current(ThreeByFiveByTwo)
    /// Historic 5x5x5 grades are never mapped onto 3x5x2: the evaluation was made under another
    /// scheme, and re-evaluation is a person's job when the item is next used (I2).
    case legacy(FiveByFiveByFive)

    public var isLegacy: Bool { if case .legacy = self { true } else { false } }

    /// Compact display form: `1A P`, `2C C`, or `B2 4 (legacy)`.
    public var code: String {
        switch self {
        case .current(let g): "\(g.source.rawValue)\(g.assessment.rawValue) \(g.handling.rawValue)"
        case .legacy(let g): "\(g.source)\(g.intelligence) \(g.handling) (legacy 5x5x5)"
        }
    }
}

/// College of Policing 3x5x2.
public struct ThreeByFiveByTwo: Sendable, Equatable, Codable {
    public enum Source: String, CaseIterable, Sendable, Codable {
        case reliable = "1"
        case untested = "2"
        case notReliable = "3"
        public var label: String {
            switch self {
            case .reliable: "Reliable"
            case .untested: "Untested"
            case .notReliable: "Not reliable"
            }
        }
    }
    public enum Assessment: String, CaseIterable, Sendable, Codable {
        case a = "A"
        case b = "B"
        case c = "C"
        case d = "D"
        case e = "E"
        public var label: String {
            switch self {
            case .a: "Known directly to the source"
            case .b: "Known indirectly to the source but corroborated"
            case .c: "Known indirectly to the source"
            case .d: "Not known"
            case .e: "Suspected to be false"
            }
        }
    }
    public enum Handling: String, CaseIterable, Sendable, Codable {
        case p = "P"
        case c = "C"
        public var label: String { self == .p ? "Lawful sharing permitted" : "Lawful sharing permitted with conditions" }
    }

    public let source: Source
    public let assessment: Assessment
    public let handling: Handling
    /// Required when handling is C; empty otherwise.
    public let conditions: String?

    public init(source: Source, assessment: Assessment, handling: Handling, conditions: String?) {
        (self.source, self.assessment, self.handling, self.conditions) = (source, assessment, handling, conditions)
    }
}

/// National Intelligence Model 5x5x5, as recorded. Letters and digits are kept as they were.
public struct FiveByFiveByFive: Sendable, Equatable, Codable {
    public let source: String  // A–E
    public let intelligence: String  // 1–5
    public let handling: String  // 1–5

    public init(source: String, intelligence: String, handling: String) {
        (self.source, self.intelligence, self.handling) = (source, intelligence, handling)
    }
}

public struct GradeDraft: Sendable {
    public var scheme: String
    public var source: String
    public var assessment: String
    public var handling: String
    public var conditions: String?

    public init(scheme: String = "3x5x2", source: String, assessment: String, handling: String, conditions: String? = nil) {
        (self.scheme, self.source, self.assessment, self.handling, self.conditions) = (scheme, source, assessment, handling, conditions)
    }

    func validated(_ v: inout Validator) -> IntelligenceGrade? {
        switch scheme {
        case "3x5x2":
            let source = ThreeByFiveByTwo.Source(rawValue: source)
            if source == nil {
                v.fail("grade.source", "grade.source", "source evaluation must be 1 (reliable), 2 (untested) or 3 (not reliable)")
            }
            let assessment = ThreeByFiveByTwo.Assessment(rawValue: assessment.uppercased())
            if assessment == nil { v.fail("grade.assessment", "grade.assessment", "intelligence assessment must be one of A, B, C, D, E") }
            let handling = ThreeByFiveByTwo.Handling(rawValue: handling.uppercased())
            if handling == nil { v.fail("grade.handling", "grade.handling", "handling code must be P or C") }
            let conditions = v.text(conditions, "grade.conditions", max: 500, required: handling == .c)
            if handling == .p, conditions != nil {
                v.fail("grade.conditions", "grade.conditions-with-p", "handling conditions go with handling code C only")
            }
            guard let source, let assessment, let handling else { return nil }
            return .current(ThreeByFiveByTwo(source: source, assessment: assessment, handling: handling, conditions: conditions))
        case "5x5x5":
            let s = source.uppercased()
            let i = assessment
            let h = handling
            v.check(
                ["A", "B", "C", "D", "E"].contains(s), "grade.source", "grade.legacy-source", "a legacy 5x5x5 source evaluation is A to E")
            v.check(
                ["1", "2", "3", "4", "5"].contains(i), "grade.assessment", "grade.legacy-intelligence",
                "a legacy 5x5x5 intelligence evaluation is 1 to 5")
            v.check(
                ["1", "2", "3", "4", "5"].contains(h), "grade.handling", "grade.legacy-handling", "a legacy 5x5x5 handling code is 1 to 5")
            return .legacy(FiveByFiveByFive(source: s, intelligence: i, handling: h))
        default:
            v.fail("grade.scheme", "grade.scheme", "grade scheme must be 3x5x2, or 5x5x5 for legacy items")
            return nil
        }
    }
}
