/// A person held on the register. Only the fields of the approved data dictionary (R1): no
/// free-text notes. Personal and sensitive parts are sealed under the subject's own key at rest.
public struct Subject: Sendable, Equatable {
    public let id: SubjectID
    /// The borough that holds the record. Central analysts read across boroughs; nobody writes across.
    public let unit: Borough
    public var personal: PersonalDetails
    public var sensitive: SensitiveDetails
    public let provenance: Provenance

    public init(id: SubjectID, unit: Borough, personal: PersonalDetails, sensitive: SensitiveDetails, provenance: Provenance) {
        self.id = id
        self.unit = unit
        self.personal = personal
        self.sensitive = sensitive
        self.provenance = provenance
    }
}

public struct PersonName: Hashable, Sendable, Codable {
    public var given: String
    public var family: String
    public init(given: String, family: String) { (self.given, self.family) = (given, family) }
    public var full: String { "\(given) \(family)" }
}

public enum Sex: String, CaseIterable, Sendable, Codable {
    case male, female
    case notKnown = "not-known"
}

/// Personal data of a subject: sealed under the subject key, gone when the key is destroyed.
public struct PersonalDetails: Sendable, Codable, Equatable {
    public var names: [PersonName]
    public var aliases: [String]
    public var nickname: String?
    public var dateOfBirth: LocalDate?
    public var addresses: [String]
    public var pncID: String?
    public var sex: Sex

    public init(
        names: [PersonName], aliases: [String] = [], nickname: String? = nil, dateOfBirth: LocalDate?,
        addresses: [String] = [], pncID: String? = nil, sex: Sex
    ) {
        self.names = names
        self.aliases = aliases
        self.nickname = nickname
        self.dateOfBirth = dateOfBirth
        self.addresses = addresses
        self.pncID = pncID
        self.sex = sex
    }

    public var displayName: String { names.first?.full ?? "(no name)" }

    /// Age-derived safeguards (C4): a child is under 18; under 10 is below the age of criminal
    /// responsibility and carries its own marker.
    public func safeguarding(on day: LocalDate) -> Safeguarding {
        guard let dob = dateOfBirth else { return Safeguarding(age: nil) }
        return Safeguarding(age: dob.age(on: day))
    }
}

public struct Safeguarding: Sendable, Equatable, Codable {
    public let age: Int?
    public init(age: Int?) { self.age = age }
    /// Unknown age is treated as a child: not knowing must not lower the bar.
    public var isChild: Bool { (age ?? 0) < 18 }
    public var isAgeUnknown: Bool { age == nil }
    public var isUnder10: Bool { (age ?? 10) < 10 }
}

/// Officer-defined ethnicity: the Home Office IC codes, as an officer perceived it.
public enum OfficerDefinedEthnicity: String, CaseIterable, Sendable, Codable {
    case ic1 = "IC1"
    case ic2 = "IC2"
    case ic3 = "IC3"
    case ic4 = "IC4"
    case ic5 = "IC5"
    case ic6 = "IC6"
    case unknown

    public var label: String {
        switch self {
        case .ic1: "IC1 White, North European"
        case .ic2: "IC2 White, South European"
        case .ic3: "IC3 Black"
        case .ic4: "IC4 Asian"
        case .ic5: "IC5 Chinese, Japanese or South East Asian"
        case .ic6: "IC6 Arab or North African"
        case .unknown: "Unknown"
        }
    }
}

/// Self-defined ethnicity: the 2021 census categories for England and Wales, as the person stated it.
public enum SelfDefinedEthnicity: String, CaseIterable, Sendable, Codable {
    case asianBangladeshi = "asian-bangladeshi"
    case asianChinese = "asian-chinese"
    case asianIndian = "asian-indian"
    case asianPakistani = "asian-pakistani"
    case asianOther = "asian-other"
    case blackAfrican = "black-african"
    case blackCaribbean = "black-caribbean"
    case blackOther = "black-other"
    case mixedWhiteAsian = "mixed-white-asian"
    case mixedWhiteBlackAfrican = "mixed-white-black-african"
    case mixedWhiteBlackCaribbean = "mixed-white-black-caribbean"
    case mixedOther = "mixed-other"
    case whiteBritish = "white-british"
    case whiteIrish = "white-irish"
    case whiteGypsyIrishTraveller = "white-gypsy-irish-traveller"
    case whiteRoma = "white-roma"
    case whiteOther = "white-other"
    case otherArab = "other-arab"
    case otherAny = "other-any"
    case notStated = "not-stated"
}

/// Who recorded an ethnicity and when: the two kinds are never merged or mapped onto each other.
public struct EthnicityRecord<Code: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    public var code: Code
    public var recordedBy: UserID
    public var recordedAt: Timestamp
    public init(code: Code, recordedBy: UserID, recordedAt: Timestamp) {
        (self.code, self.recordedBy, self.recordedAt) = (code, recordedBy, recordedAt)
    }
}

/// Special-category data (s.35(8)): readable only with the sensitive-data permission, never an
/// input to any score.
public struct SensitiveDetails: Sendable, Codable, Equatable {
    public var officerDefinedEthnicity: EthnicityRecord<OfficerDefinedEthnicity>?
    public var selfDefinedEthnicity: EthnicityRecord<SelfDefinedEthnicity>?
    public init(
        officerDefinedEthnicity: EthnicityRecord<OfficerDefinedEthnicity>? = nil,
        selfDefinedEthnicity: EthnicityRecord<SelfDefinedEthnicity>? = nil
    ) {
        self.officerDefinedEthnicity = officerDefinedEthnicity
        self.selfDefinedEthnicity = selfDefinedEthnicity
    }
}

/// Where an item came from (R3): the kind of source, the borough it originated in, its author, when.
public struct Provenance: Sendable, Codable, Equatable {
    public var sourceType: SourceType
    public var originatingUnit: Scope
    public var author: UserID
    public var recordedAt: Timestamp
    /// The registered source the item cites (`RegisteredSource`), where it has one; without one
    /// the item is its originating unit's own. Never a label typed at recording.
    public var source: SourceID?
    public init(sourceType: SourceType, originatingUnit: Scope, author: UserID, recordedAt: Timestamp, source: SourceID? = nil) {
        self.sourceType = sourceType
        self.originatingUnit = originatingUnit
        self.author = author
        self.recordedAt = recordedAt
        self.source = source
    }
}

public enum SourceType: String, CaseIterable, Sendable, Codable {
    case police, partner, community
    case socialMedia = "social-media"
}

/// Fact or personal assessment (s.38(2)): shown wherever the item is shown.
public enum Basis: String, CaseIterable, Sendable, Codable {
    case fact, assessment
}
