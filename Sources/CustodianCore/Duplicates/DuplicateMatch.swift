/// How alike two records of people held by different boroughs are, and why: a sum of weights of
/// agreement and disagreement on each identifier (Fellegi-Sunter in integer points), so that a
/// person deciding sees every reason the method counted, for and against.
public struct DuplicateMatch: Sendable, Equatable {
    public let score: Int
    public let evidence: [DuplicateEvidence]

    /// A match as stored: the reasons, and their sum.
    public init(score: Int, evidence: [DuplicateEvidence]) {
        self.score = score
        self.evidence = evidence
    }

    /// Pairs scoring at least this reach the queue; below it the identifiers disagree too much.
    public static let queueThreshold = 5

    /// Compares two people's identifiers. Neither record is changed or merged.
    public static func compare(_ a: PersonalDetails, _ b: PersonalDetails) -> DuplicateMatch {
        var evidence: [DuplicateEvidence] = []
        if let x = a.pncID.flatMap(NameSearch.pnc), let y = b.pncID.flatMap(NameSearch.pnc) {
            evidence.append(x == y ? .pncSame : .pncDiffers)
        }
        switch (a.dateOfBirth, b.dateOfBirth) {
        case (let x?, let y?):
            if x == y {
                evidence.append(.dateOfBirthSame)
            } else if isTransposition(x, y) {
                evidence.append(.dateOfBirthTransposed)
            } else {
                evidence.append(.dateOfBirthDiffers)
            }
        default: evidence.append(.dateOfBirthUnknown)
        }
        evidence.append(contentsOf: nameEvidence(a, b))
        if a.sex != .notKnown, b.sex != .notKnown, a.sex != b.sex { evidence.append(.sexDiffers) }
        return DuplicateMatch(score: evidence.reduce(0) { $0 + $1.weight }, evidence: evidence)
    }

    /// Day and month swapped, or one digit of the day or month or year mistyped: the errors of
    /// entry between two spreadsheets, not two different birthdays.
    static func isTransposition(_ x: LocalDate, _ y: LocalDate) -> Bool {
        if x.year == y.year, x.month == y.day, x.day == y.month { return true }
        return zip(x.description, y.description).filter { $0 != $1 }.count == 1
    }

    /// The best agreement on family name and given name over every name each record holds, and
    /// whether an alias or nickname of one is a name of the other.
    static func nameEvidence(_ a: PersonalDetails, _ b: PersonalDetails) -> [DuplicateEvidence] {
        func best(_ xs: [String], _ ys: [String]) -> NameAgreement {
            var result = NameAgreement.differs
            for x in xs.flatMap(NameSearch.words) {
                for y in ys.flatMap(NameSearch.words) {
                    if x == y { return .same }
                    if NameSearch.soundex(x) == NameSearch.soundex(y) { result = .soundsAlike }
                }
            }
            return result
        }
        var evidence: [DuplicateEvidence] = []
        switch best(a.names.map(\.family), b.names.map(\.family)) {
        case .same: evidence.append(.familyNameSame)
        case .soundsAlike: evidence.append(.familyNameSoundsAlike)
        case .differs: evidence.append(.familyNameDiffers)
        }
        switch best(a.names.map(\.given), b.names.map(\.given)) {
        case .same: evidence.append(.givenNameSame)
        case .soundsAlike: evidence.append(.givenNameSoundsAlike)
        case .differs: evidence.append(.givenNameDiffers)
        }
        let aliasesA = Set((a.aliases + [a.nickname].compactMap { $0 }).flatMap(NameSearch.words))
        let aliasesB = Set((b.aliases + [b.nickname].compactMap { $0 }).flatMap(NameSearch.words))
        let namesA = Set(a.names.flatMap { NameSearch.words($0.full) })
        let namesB = Set(b.names.flatMap { NameSearch.words($0.full) })
        if !aliasesA.isDisjoint(with: namesB) || !aliasesB.isDisjoint(with: namesA) || !aliasesA.isDisjoint(with: aliasesB) {
            evidence.append(.aliasMatches)
        }
        return evidence
    }

    enum NameAgreement { case same, soundsAlike, differs }
}

/// One reason counted in a match, with its weight: positive for agreement, negative against.
public enum DuplicateEvidence: String, CaseIterable, Sendable, Codable {
    case pncSame = "pnc.same"
    case pncDiffers = "pnc.differs"
    case dateOfBirthSame = "dob.same"
    case dateOfBirthTransposed = "dob.transposed"
    case dateOfBirthDiffers = "dob.differs"
    case dateOfBirthUnknown = "dob.unknown"
    case familyNameSame = "family.same"
    case familyNameSoundsAlike = "family.sounds-alike"
    case familyNameDiffers = "family.differs"
    case givenNameSame = "given.same"
    case givenNameSoundsAlike = "given.sounds-alike"
    case givenNameDiffers = "given.differs"
    case aliasMatches = "alias.matches"
    case sexDiffers = "sex.differs"

    /// Weights in points: a PNC id is near-certain either way; a date of birth strong; names, which
    /// are shared by strangers and spelt many ways, weaker.
    public var weight: Int {
        switch self {
        case .pncSame: 8
        case .pncDiffers: -8
        case .dateOfBirthSame: 4
        case .dateOfBirthTransposed: 1
        case .dateOfBirthDiffers: -5
        case .dateOfBirthUnknown: 0
        case .familyNameSame: 3
        case .familyNameSoundsAlike: 2
        case .familyNameDiffers: -2
        case .givenNameSame: 2
        case .givenNameSoundsAlike: 1
        case .givenNameDiffers: -2
        case .aliasMatches: 2
        case .sexDiffers: -4
        }
    }

    /// In words, for the person deciding.
    public var explanation: String {
        switch self {
        case .pncSame: "the same PNC id"
        case .pncDiffers: "different PNC ids"
        case .dateOfBirthSame: "the same date of birth"
        case .dateOfBirthTransposed: "dates of birth one keying error apart (a digit, or day and month swapped)"
        case .dateOfBirthDiffers: "different dates of birth"
        case .dateOfBirthUnknown: "a date of birth missing on one or both records"
        case .familyNameSame: "the same family name"
        case .familyNameSoundsAlike: "family names that sound alike (the same Soundex code)"
        case .familyNameDiffers: "family names that neither match nor sound alike"
        case .givenNameSame: "the same given name"
        case .givenNameSoundsAlike: "given names that sound alike (the same Soundex code)"
        case .givenNameDiffers: "given names that neither match nor sound alike"
        case .aliasMatches: "an alias or nickname of one is a name or alias of the other"
        case .sexDiffers: "a different recorded sex"
        }
    }
}
