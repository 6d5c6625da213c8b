/// The characteristics the register is monitored by (E2). Officer-defined and self-defined
/// ethnicity are two characteristics, never merged and never inferred one from the other (E1).
public enum EqualityCharacteristic: String, Sendable, Codable, CaseIterable {
    case officerDefinedEthnicity = "officer-defined-ethnicity"
    case selfDefinedEthnicity = "self-defined-ethnicity"
    case ageBand = "age-band"
    case sex

    /// Special-category data (s.35(8)): processed only under an appropriate policy document.
    public var isEthnicity: Bool { self == .officerDefinedEthnicity || self == .selfDefinedEthnicity }

    public var label: String {
        switch self {
        case .officerDefinedEthnicity: "Ethnicity (officer-defined)"
        case .selfDefinedEthnicity: "Ethnicity (self-defined)"
        case .ageBand: "Age band"
        case .sex: "Sex"
        }
    }

    /// What a baseline's figures for this characteristic are keyed by. Both ethnicities compare
    /// against the census's ethnic groups: the census asks people, it does not code them by sight.
    public var baselineCharacteristic: String {
        switch self {
        case .officerDefinedEthnicity, .selfDefinedEthnicity: "ethnicity"
        case .ageBand: "age"
        case .sex: "sex"
        }
    }

    /// Every group, in reading order; the last is where people without the characteristic recorded go.
    public var groups: [String] {
        switch self {
        case .officerDefinedEthnicity, .selfDefinedEthnicity: EthnicGroup.allCases.map(\.rawValue)
        case .ageBand: AgeBand.allCases.map(\.rawValue)
        case .sex: Sex.allCases.map(\.rawValue)
        }
    }

    /// The group every other is compared with: the convention of the Race Disparity Unit for
    /// ethnicity (White), and the group least present on registers like this one for age and sex.
    public var referenceGroup: String {
        switch self {
        case .officerDefinedEthnicity, .selfDefinedEthnicity: EthnicGroup.white.rawValue
        case .ageBand: AgeBand.thirtyFiveAndOver.rawValue
        case .sex: Sex.female.rawValue
        }
    }

    public func label(of group: String) -> String {
        switch self {
        case .officerDefinedEthnicity, .selfDefinedEthnicity: EthnicGroup(rawValue: group)?.label ?? group
        case .ageBand: AgeBand(rawValue: group)?.label ?? group
        case .sex: ["male": "Male", "female": "Female", "not-known": "Not known"][group] ?? group
        }
    }
}

/// The census's five high-level ethnic groups, the level at which both codings can be compared
/// with the population. "Not stated" is counted and shown but has no baseline.
public enum EthnicGroup: String, Sendable, Codable, CaseIterable {
    case white, black, asian, mixed, other
    case notStated = "not-stated"

    public var label: String {
        switch self {
        case .white: "White"
        case .black: "Black"
        case .asian: "Asian"
        case .mixed: "Mixed"
        case .other: "Other"
        case .notStated: "Not stated or unknown"
        }
    }

    /// The Home Office's mapping of IC codes to census groups; IC codes have no Mixed group, so a
    /// person of mixed ethnicity is coded by how an officer saw them (a caveat the report states).
    public init(_ code: OfficerDefinedEthnicity?) {
        switch code {
        case .ic1?, .ic2?: self = .white
        case .ic3?: self = .black
        case .ic4?, .ic5?: self = .asian
        case .ic6?: self = .other
        case .unknown?, nil: self = .notStated
        }
    }

    public init(_ category: SelfDefinedEthnicity?) {
        guard let category else {
            self = .notStated
            return
        }
        switch category {
        case .whiteBritish, .whiteIrish, .whiteGypsyIrishTraveller, .whiteRoma, .whiteOther: self = .white
        case .blackAfrican, .blackCaribbean, .blackOther: self = .black
        case .asianBangladeshi, .asianChinese, .asianIndian, .asianPakistani, .asianOther: self = .asian
        case .mixedWhiteAsian, .mixedWhiteBlackAfrican, .mixedWhiteBlackCaribbean, .mixedOther: self = .mixed
        case .otherArab, .otherAny: self = .other
        case .notStated: self = .notStated
        }
    }
}

/// Age on the day of the event. The bands follow the youth-justice line at 18 and put children
/// under 10 (below the age of criminal responsibility) on their own.
public enum AgeBand: String, Sendable, Codable, CaseIterable {
    case under10 = "under-10"
    case tenToSeventeen = "10-17"
    case eighteenToTwentyFour = "18-24"
    case twentyFiveToThirtyFour = "25-34"
    case thirtyFiveAndOver = "35-and-over"
    case unknown

    public init(age: Int?) {
        switch age {
        case nil: self = .unknown
        case let a? where a < 10: self = .under10
        case let a? where a < 18: self = .tenToSeventeen
        case let a? where a < 25: self = .eighteenToTwentyFour
        case let a? where a < 35: self = .twentyFiveToThirtyFour
        default: self = .thirtyFiveAndOver
        }
    }

    public var label: String {
        switch self {
        case .under10: "Under 10"
        case .tenToSeventeen: "10 to 17"
        case .eighteenToTwentyFour: "18 to 24"
        case .twentyFiveToThirtyFour: "25 to 34"
        case .thirtyFiveAndOver: "35 and over"
        case .unknown: "Age not known"
        }
    }
}
