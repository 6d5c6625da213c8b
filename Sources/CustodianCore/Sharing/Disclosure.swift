public import Foundation

public typealias DisclosureID = Identifier<Disclosure>

/// One person's record as it leaves Custodian: only the agreement's fields, and always the
/// grading, categories, fact/assessment markers and last review date (S3), with the recipient's
/// watermark on every record so a leaked copy names its source.
public struct DisclosedRecord: Sendable, Equatable, Codable {
    public struct MatterLine: Sendable, Equatable, Codable {
        public let reference: String, kind: String, offence: String?, occurredOn: String, category: String, basis: String
        /// An intelligence report's grade, which travels with it as an item's does.
        public var grade: String?
    }
    public struct IntelligenceLine: Sendable, Equatable, Codable {
        public let text: String, grade: String, basis: String, handlingConditions: String?
    }
    public struct FlagLine: Sendable, Equatable, Codable {
        public let kind: String, basis: String
    }

    /// A reference for this record in this disclosure only: recalls name it, so Custodian keeps
    /// no link from a recall to a person once they are erased.
    public let recordRef: String
    public let categories: [String]
    public let lastReviewed: String?
    public let watermark: String
    public var name: String?
    public var aliases: [String]?
    public var nickname: String?
    public var dateOfBirth: String?
    public var sex: String?
    public var addresses: [String]?
    public var pncId: String?
    public var harmBand: String?
    /// A band is derived, never a fact (s.38(2)): said beside it wherever it goes.
    public var harmBandBasis: String?
    public var matters: [MatterLine]?
    public var intelligence: [IntelligenceLine]?
    public var flags: [FlagLine]?

    /// Builds the record from what the register holds, copying only the allowed fields.
    /// Matters and categories go only where the agreement's categories reach: a suspect shared
    /// with a youth offending team does not carry the matters where they were a victim.
    /// Graded items in `withholding` stay behind (their handling code or grade forbids it), whether
    /// an intelligence item or an intelligence report among the matters.
    public init(
        _ view: SubjectView, recordRef: String, fields: Set<SharedField>, categories allowed: Set<Category>, lastReviewed: LocalDate?,
        band: HarmBand?, watermark: String, withholding: Set<GradedItem> = []
    ) {
        self.recordRef = recordRef
        categories = view.categories.map(\.category).filter(allowed.contains).map(\.rawValue)
        self.lastReviewed = lastReviewed?.description
        self.watermark = watermark
        let p = view.personal
        if fields.contains(.name) { name = p.displayName }
        if fields.contains(.aliases) { aliases = p.aliases }
        if fields.contains(.nickname) { nickname = p.nickname }
        if fields.contains(.dateOfBirth) { dateOfBirth = p.dateOfBirth?.description }
        if fields.contains(.sex) { sex = p.sex.rawValue }
        if fields.contains(.addresses) { addresses = p.addresses }
        if fields.contains(.pncId) { pncId = p.pncID }
        if fields.contains(.harmBand) {
            harmBand = band?.rawValue
            harmBandBasis = band.map { _ in Basis.assessment.rawValue }
        }
        if fields.contains(.matters) {
            matters = view.matters.filter { allowed.contains($0.link.category) && !withholding.contains(.report($0.matter.id)) }.map {
                MatterLine(
                    reference: $0.matter.reference, kind: $0.matter.kind.rawValue, offence: $0.matter.offence?.rawValue,
                    occurredOn: $0.matter.occurredOn.description, category: $0.link.category.rawValue, basis: $0.link.basis.rawValue,
                    grade: $0.matter.grade?.code)
            }
        }
        if fields.contains(.intelligence) {
            intelligence = view.intelligence.filter { !withholding.contains(.intelligence($0.id)) }.map { item in
                var conditions: String?
                if case .current(let g) = item.grade { conditions = g.conditions }
                return IntelligenceLine(
                    text: item.content.text, grade: item.grade.code, basis: item.basis.rawValue, handlingConditions: conditions)
            }
        }
        if fields.contains(.flags) { flags = view.flags.map { FlagLine(kind: $0.kind.rawValue, basis: $0.basis.rawValue) } }
    }
}

/// A disclosure: the records that passed the checks, for one recipient organisation under one
/// agreement, until its expiry.
public struct Disclosure: Sendable, Equatable, Codable {
    public let id: DisclosureID
    public let agreementID: AgreementID
    public let partnerID: PartnerID
    public let purpose: String
    public let records: [DisclosedRecord]
    public let expiresOn: LocalDate
    public let watermark: String
    public let createdAt: Timestamp

    public init(
        id: DisclosureID, agreementID: AgreementID, partnerID: PartnerID, purpose: String, records: [DisclosedRecord],
        expiresOn: LocalDate, watermark: String, createdAt: Timestamp
    ) {
        self.id = id
        self.agreementID = agreementID
        self.partnerID = partnerID
        self.purpose = purpose
        self.records = records
        self.expiresOn = expiresOn
        self.watermark = watermark
        self.createdAt = createdAt
    }
}
