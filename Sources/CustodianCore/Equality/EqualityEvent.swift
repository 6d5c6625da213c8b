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

extension EqualityEvent {
    /// The same event with no ethnicity: what is written while no appropriate policy document is
    /// in force, so the counts of age and sex go on and ethnicity is not processed.
    public var withoutEthnicity: EqualityEvent {
        EqualityEvent(
            stage: stage, unit: unit, day: day, band: band, officerDefinedEthnicity: nil, selfDefinedEthnicity: nil, ageBand: ageBand,
            sex: sex)
    }

    /// The group this event falls in for one characteristic.
    public func group(_ characteristic: EqualityCharacteristic) -> String {
        switch characteristic {
        case .officerDefinedEthnicity: EthnicGroup(officerDefinedEthnicity).rawValue
        case .selfDefinedEthnicity: EthnicGroup(selfDefinedEthnicity).rawValue
        case .ageBand: ageBand.rawValue
        case .sex: sex.rawValue
        }
    }
}

/// How many events of one stage, borough and band fall in one group of one characteristic in a
/// period: what storage sums, one characteristic at a time, so the report reads a few thousand
/// sums rather than any event (or any combination of a person's groups).
public struct EqualityCount: Sendable, Equatable {
    public let stage: EqualityStage
    public let unit: Borough
    public let band: HarmBand?
    public let characteristic: EqualityCharacteristic
    public let group: String
    public let count: Int

    public init(stage: EqualityStage, unit: Borough, band: HarmBand?, characteristic: EqualityCharacteristic, group: String, count: Int) {
        (self.stage, self.unit, self.band, self.characteristic, self.group, self.count) = (stage, unit, band, characteristic, group, count)
    }

    /// From the value storage holds for the characteristic (an IC code, a census category, an age
    /// band, a sex; nil where not recorded), mapped to the report's group.
    public init(stage: EqualityStage, unit: Borough, band: HarmBand?, characteristic: EqualityCharacteristic, stored: String?, count: Int) {
        let group: String
        switch characteristic {
        case .officerDefinedEthnicity: group = EthnicGroup(stored.flatMap(OfficerDefinedEthnicity.init(rawValue:))).rawValue
        case .selfDefinedEthnicity: group = EthnicGroup(stored.flatMap(SelfDefinedEthnicity.init(rawValue:))).rawValue
        case .ageBand: group = stored.flatMap(AgeBand.init(rawValue:))?.rawValue ?? AgeBand.unknown.rawValue
        case .sex: group = stored.flatMap(Sex.init(rawValue:))?.rawValue ?? Sex.notKnown.rawValue
        }
        self.init(stage: stage, unit: unit, band: band, characteristic: characteristic, group: group, count: count)
    }

    /// The counts `n` events like `event` make, one per characteristic (for tests and small sums).
    public static func of(_ event: EqualityEvent, _ n: Int = 1) -> [EqualityCount] {
        EqualityCharacteristic.allCases.map {
            EqualityCount(stage: event.stage, unit: event.unit, band: event.band, characteristic: $0, group: event.group($0), count: n)
        }
    }
}
