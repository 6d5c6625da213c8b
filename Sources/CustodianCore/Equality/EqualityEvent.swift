/// The stages of the register a person passes through, as the equality report counts them.
public enum EqualityStage: String, Sendable, Codable, CaseIterable {
    case recorded, proposed, included, shared, removed

    public var label: String {
        switch self {
        case .recorded: "Recorded"
        case .proposed: "Proposed for inclusion"
        case .included: "Included"
        case .shared: "Shared with a partner"
        case .removed: "Removed"
        }
    }
}

/// One person reaching one stage, with only what equality monitoring needs: the day, the borough,
/// the band at inclusion, and the person's groups as the register knew them that day. There is
/// no subject id, name or date of birth in it: like the erasure tally, it counts people without
/// listing them, so the counts outlive an erasure and a removal is counted at all.
public struct EqualityEvent: Sendable, Equatable, Codable {
    public let stage: EqualityStage
    public let unit: Borough
    public let day: LocalDate
    /// The harm band at inclusion; nil at other stages, or when the person had nothing to score.
    public let band: HarmBand?
    public let officerDefinedEthnicity: OfficerDefinedEthnicity?
    public let selfDefinedEthnicity: SelfDefinedEthnicity?
    public let ageBand: AgeBand
    public let sex: Sex

    public init(
        stage: EqualityStage, unit: Borough, day: LocalDate, band: HarmBand? = nil,
        officerDefinedEthnicity: OfficerDefinedEthnicity?, selfDefinedEthnicity: SelfDefinedEthnicity?, ageBand: AgeBand, sex: Sex
    ) {
        self.stage = stage
        self.unit = unit
        self.day = day
        self.band = stage == .included ? band : nil
        self.officerDefinedEthnicity = officerDefinedEthnicity
        self.selfDefinedEthnicity = selfDefinedEthnicity
        self.ageBand = ageBand
        self.sex = sex
    }

    /// The event for a person as recorded: their age on the day, never their date of birth.
    public init(_ stage: EqualityStage, of subject: Subject, on day: LocalDate, band: HarmBand? = nil) {
        self.init(
            stage: stage, unit: subject.unit, day: day, band: band,
            officerDefinedEthnicity: subject.sensitive.officerDefinedEthnicity?.code,
            selfDefinedEthnicity: subject.sensitive.selfDefinedEthnicity?.code,
            ageBand: AgeBand(age: subject.personal.dateOfBirth.map { $0.age(on: day) }), sex: subject.personal.sex)
    }
}

/// How many events share one combination of stage, borough, band and groups in a period: what
/// storage sums, so the report never reads an event one by one.
public struct EqualityCount: Sendable, Equatable {
    public let stage: EqualityStage
    public let unit: Borough
    public let band: HarmBand?
    public let officerDefinedEthnicity: OfficerDefinedEthnicity?
    public let selfDefinedEthnicity: SelfDefinedEthnicity?
    public let ageBand: AgeBand
    public let sex: Sex
    public let count: Int

    public init(
        stage: EqualityStage, unit: Borough, band: HarmBand?, officerDefinedEthnicity: OfficerDefinedEthnicity?,
        selfDefinedEthnicity: SelfDefinedEthnicity?, ageBand: AgeBand, sex: Sex, count: Int
    ) {
        self.stage = stage
        self.unit = unit
        self.band = band
        self.officerDefinedEthnicity = officerDefinedEthnicity
        self.selfDefinedEthnicity = selfDefinedEthnicity
        self.ageBand = ageBand
        self.sex = sex
        self.count = count
    }

    /// The group this count falls in for one characteristic.
    public func group(_ characteristic: EqualityCharacteristic) -> String {
        switch characteristic {
        case .officerDefinedEthnicity: EthnicGroup(officerDefinedEthnicity).rawValue
        case .selfDefinedEthnicity: EthnicGroup(selfDefinedEthnicity).rawValue
        case .ageBand: ageBand.rawValue
        case .sex: sex.rawValue
        }
    }
}
