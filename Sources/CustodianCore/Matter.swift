/// An incident, offence or intelligence report that subjects are linked to.
public struct Matter: Sendable, Equatable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case incident, offence
        case intelligenceReport = "intelligence-report"
    }

    public let id: MatterID
    public let unit: Borough
    public var kind: Kind
    /// The force's own reference (CAD, CRIS or IR number): never a person's name.
    public var reference: String
    public var offence: OffenceType?
    public var occurredOn: LocalDate
    public var basis: Basis
    public let provenance: Provenance
    /// An intelligence report is graded like an intelligence item; ungraded, it is no evidence.
    public var grade: IntelligenceGrade?

    public init(
        id: MatterID, unit: Borough, kind: Kind, reference: String, offence: OffenceType?, occurredOn: LocalDate, basis: Basis,
        provenance: Provenance,
        grade: IntelligenceGrade? = nil
    ) {
        self.id = id
        self.unit = unit
        self.kind = kind
        self.reference = reference
        self.offence = offence
        self.occurredOn = occurredOn
        self.basis = basis
        self.provenance = provenance
        self.grade = grade
    }
}

/// Offence types the register recognises. The harm method (a later rulebook) weighs them; here they
/// only classify.
public enum OffenceType: String, CaseIterable, Sendable, Codable {
    case murder
    case attemptedMurder = "attempted-murder"
    case grievousBodilyHarm = "grievous-bodily-harm"
    case actualBodilyHarm = "actual-bodily-harm"
    case commonAssault = "common-assault"
    case robbery
    case firearmsPossession = "firearms-possession"
    case bladedArticlePossession = "bladed-article-possession"
    case drugSupply = "drug-supply"
    case burglary
    case threatsToKill = "threats-to-kill"
    case other
}

/// The s.38(3) category of a subject on one matter. Exactly one per link; a person may hold
/// different ones on different matters.
public enum Category: String, CaseIterable, Sendable, Codable, Comparable {
    case suspect, convicted
    case victim
    case witness, other

    public var label: String {
        switch self {
        case .suspect: "Suspect"
        case .convicted: "Convicted"
        case .victim: "Victim or potential victim"
        case .witness: "Witness"
        case .other: "Other"
        }
    }

    /// Categories that make a person a possible object of enforcement. Victims and witnesses are
    /// never that (C2, C3).
    public var isEnforcement: Bool { self == .suspect || self == .convicted }

    public static func < (a: Category, b: Category) -> Bool { a.rank < b.rank }

    /// Declaration order: enforcement categories first.
    private var rank: Int {
        switch self {
        case .suspect: 0
        case .convicted: 1
        case .victim: 2
        case .witness: 3
        case .other: 4
        }
    }
}

/// The set of categories a subject holds across its matters, with what follows from it.
public struct CategoryStanding: Sendable, Equatable {
    public let held: Set<Category>
    public init(_ categories: some Sequence<Category>) { held = Set(categories) }

    /// True when nothing the subject holds is a suspect or convicted link: victims and witnesses only.
    public var isProtectedOnly: Bool { !held.contains(where: \.isEnforcement) }
    /// Held on at least one matter, and on every one as a victim or witness (or other), never a suspect or convicted.
    public var isVictimOrWitnessOnly: Bool { !held.isEmpty && isProtectedOnly }
    public var sorted: [Category] { held.sorted() }
}

/// The link between a subject and a matter, carrying its s.38(3) category.
public struct SubjectMatterLink: Sendable, Equatable, Codable {
    public let id: LinkID
    public let subjectID: SubjectID
    public let matterID: MatterID
    public let category: Category
    public let basis: Basis
    public let provenance: Provenance

    public init(id: LinkID, subjectID: SubjectID, matterID: MatterID, category: Category, basis: Basis, provenance: Provenance) {
        self.id = id
        self.subjectID = subjectID
        self.matterID = matterID
        self.category = category
        self.basis = basis
        self.provenance = provenance
    }
}

public struct MatterDraft: Sendable {
    /// The earliest date a matter may carry; published in the API contract.
    public static let earliestMatter = LocalDate(knownValid: 1950, 1, 1)

    public var kind: String
    public var reference: String
    public var offence: String?
    public var occurredOn: String
    public var basis: String
    public var sourceType: String
    /// The id of the registered source the matter cites, if any (see `Provenance`).
    public var sourceID: String?
    /// For an intelligence report: its 3x5x2 grade.
    public var grade: GradeDraft?

    public init(
        kind: String, reference: String, offence: String?, occurredOn: String, basis: String = "fact", sourceType: String = "police",
        sourceID: String? = nil, grade: GradeDraft? = nil
    ) {
        self.kind = kind
        self.reference = reference
        self.offence = offence
        self.occurredOn = occurredOn
        self.basis = basis
        self.sourceType = sourceType
        self.sourceID = sourceID
        self.grade = grade
    }

    public func validated(id: MatterID, unit: Borough, author: UserID, now: Timestamp) throws(RegisterError) -> Matter {
        var v = Validator()
        let kind = Matter.Kind(rawValue: kind)
        if kind == nil { v.fail("kind", "matter-kind.known", "kind must be one of incident, offence, intelligence-report") }
        let reference = v.line(reference, "reference", max: 40)
        var offence: OffenceType?
        if let text = self.offence, !text.isEmpty {
            offence = OffenceType(rawValue: text)
            if offence == nil {
                v.fail("offence", "offence.known", "offence must be one of \(OffenceType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        } else if kind == .offence {
            v.fail("offence", "required", "an offence matter must name its offence type")
        }
        let date = LocalDate(iso: occurredOn)
        if date == nil {
            v.fail("occurredOn", "date.format", "occurredOn must be a date as YYYY-MM-DD")
        } else if let d = date, d > now.day {
            v.fail("occurredOn", "date.not-future", "occurredOn cannot be in the future")
        } else if let d = date, d < Self.earliestMatter {
            v.fail(
                "occurredOn", "date.plausible",
                "occurredOn must be on or after \(Self.earliestMatter): older matters are outside any review period")
        }
        let basis = Basis(rawValue: basis)
        if basis == nil { v.fail("basis", "basis.known", "basis must be fact or assessment") }
        let source = SourceType(rawValue: sourceType)
        if source == nil {
            v.fail(
                "sourceType", "source-type.known",
                "sourceType must be one of \(SourceType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let cited = IntelligenceDraft.sourceID(sourceID, &v)
        var grade: IntelligenceGrade?
        if let draft = self.grade {
            if kind == .intelligenceReport {
                grade = draft.validated(&v)
            } else {
                v.fail(
                    "grade", "matter.grade-for-reports",
                    "only an intelligence report carries a grade; grade other intelligence as an intelligence item")
            }
        }
        let (kindValue, referenceValue, day, basisValue, sourceValue) = try v.finish(kind, reference, date, basis, source)
        return Matter(
            id: id, unit: unit, kind: kindValue, reference: referenceValue, offence: offence, occurredOn: day, basis: basisValue,
            provenance: Provenance(
                sourceType: sourceValue, originatingUnit: .borough(unit), author: author, recordedAt: now, source: cited),
            grade: grade)
    }
}

public struct LinkDraft: Sendable {
    public var subjectID: String
    public var matterID: String
    public var category: String
    public var basis: String

    public init(subjectID: String, matterID: String, category: String, basis: String = "fact") {
        (self.subjectID, self.matterID, self.category, self.basis) = (subjectID, matterID, category, basis)
    }

    public func validated() throws(RegisterError) -> (SubjectID, MatterID, Category, Basis) {
        var v = Validator()
        let subject = SubjectID(subjectID)
        if subject == nil { v.fail("subjectId", "id.format", "subjectId must be a UUID") }
        let matter = MatterID(matterID)
        if matter == nil { v.fail("matterId", "id.format", "matterId must be a UUID") }
        let category = Category(rawValue: category)
        if category == nil {
            v.fail(
                "category", "s38-category", "category must be exactly one s.38(3) category: suspect, convicted, victim, witness or other")
        }
        let basis = Basis(rawValue: basis)
        if basis == nil { v.fail("basis", "basis.known", "basis must be fact or assessment") }
        return try v.finish(subject, matter, category, basis)
    }
}
