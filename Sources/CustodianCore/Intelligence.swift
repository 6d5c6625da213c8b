import Foundation

/// A graded piece of intelligence about one subject. Its text and any social-media provenance are
/// personal data and sealed under the subject's key; grade, basis and provenance stay readable so
/// rules over them need no decryption.
public struct IntelligenceItem: Sendable, Equatable {
    public let id: IntelligenceID
    public let subjectID: SubjectID
    public let unit: Borough
    public let grade: IntelligenceGrade
    public let basis: Basis
    public let provenance: Provenance
    public let content: IntelligenceContent
}

public struct IntelligenceContent: Sendable, Codable, Equatable {
    public var text: String
    public var socialMedia: SocialMediaProvenance?
}

/// What makes open-source or social-media material usable as intelligence at all (I4): where it
/// was, when and how it was captured, a hash that pins the captured bytes, why the account is
/// this person's, and the authorisation it was collected under.
public struct SocialMediaProvenance: Sendable, Codable, Equatable {
    public var locator: String
    public var capturedAt: Timestamp
    public var captureMethod: String
    public var contentSHA256: String
    public var attributionBasis: String
    public var authorisationReference: String
}

public struct IntelligenceDraft: Sendable {
    public struct SocialMedia: Sendable {
        public var locator: String?
        public var capturedAt: String?
        public var captureMethod: String?
        public var contentSHA256: String?
        public var attributionBasis: String?
        public var authorisationReference: String?
        public init(
            locator: String?, capturedAt: String?, captureMethod: String?, contentSHA256: String?,
            attributionBasis: String?, authorisationReference: String?
        ) {
            self.locator = locator
            self.capturedAt = capturedAt
            self.captureMethod = captureMethod
            self.contentSHA256 = contentSHA256
            self.attributionBasis = attributionBasis
            self.authorisationReference = authorisationReference
        }
    }

    public var subjectID: String
    public var text: String
    public var grade: GradeDraft
    public var basis: String
    public var sourceType: String
    /// The id of the registered source the item cites, if any (see `Provenance`).
    public var sourceID: String?
    public var socialMedia: SocialMedia?

    public init(
        subjectID: String, text: String, grade: GradeDraft, basis: String = "assessment", sourceType: String,
        sourceID: String? = nil,
        socialMedia: SocialMedia? = nil
    ) {
        self.subjectID = subjectID
        self.text = text
        self.grade = grade
        self.basis = basis
        self.sourceType = sourceType
        self.sourceID = sourceID
        self.socialMedia = socialMedia
    }

    /// Returns the subject the item is about and the item's parts; the caller supplies the
    /// subject's borough once it has found the subject.
    public func validated(now: Timestamp) throws(RegisterError) -> Validated {
        var v = Validator()
        let subject = SubjectID(subjectID)
        if subject == nil { v.fail("subjectId", "id.format", "subjectId must be a UUID") }
        let text = v.text(text, "text", max: 4000)
        let grade = grade.validated(&v)
        let basis = Basis(rawValue: basis)
        if basis == nil { v.fail("basis", "basis.known", "basis must be fact or assessment") }
        let sourceType = SourceType(rawValue: sourceType)
        if sourceType == nil {
            v.fail(
                "sourceType", "source-type.known",
                "sourceType must be one of \(SourceType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let source = Self.sourceID(sourceID, &v)
        var social: SocialMediaProvenance?
        if sourceType == .socialMedia {
            social = Self.socialMedia(socialMedia, now: now, &v)
        } else if socialMedia != nil {
            v.fail("socialMedia", "social-media.only-for-source", "social-media provenance goes with sourceType social-media only")
        }
        let (subjectValue, gradeValue, basisValue, sourceValue, textValue) = try v.finish(subject, grade, basis, sourceType, text)
        return Validated(
            subjectID: subjectValue, grade: gradeValue, basis: basisValue, sourceType: sourceValue, source: source,
            content: IntelligenceContent(text: textValue, socialMedia: social))
    }

    public struct Validated: Sendable {
        public let subjectID: SubjectID
        public let grade: IntelligenceGrade
        public let basis: Basis
        public let sourceType: SourceType
        public let source: SourceID?
        public let content: IntelligenceContent
    }

    /// A cited source must be given by its id in the source register: a label such as
    /// "CHIS-0001" is refused here, and an id the register does not hold when it is recorded.
    static func sourceID(_ text: String?, _ v: inout Validator) -> SourceID? {
        guard let text = text?.trimmedWhiteSpace, !text.isEmpty else { return nil }
        guard let id = SourceID(text) else {
            v.fail("sourceId", "source.registered", "sourceId must be the id of a registered source (a UUID), not a label or reference")
            return nil
        }
        return id
    }

    private static func socialMedia(_ draft: SocialMedia?, now: Timestamp, _ v: inout Validator) -> SocialMediaProvenance? {
        let d =
            draft
            ?? SocialMedia(
                locator: nil, capturedAt: nil, captureMethod: nil, contentSHA256: nil, attributionBasis: nil, authorisationReference: nil)
        var sv = Validator(prefix: "socialMedia.")
        let locator = sv.line(d.locator, "locator", max: 500)
        var captured: Timestamp?
        if let text = d.capturedAt, !text.isEmpty {
            if let date = try? Date(text, strategy: .iso8601) {
                captured = Timestamp(date)
                if Timestamp(date) > now { sv.fail("capturedAt", "date.not-future", "capturedAt cannot be in the future") }
            } else {
                sv.fail("capturedAt", "datetime.format", "capturedAt must be an ISO 8601 date-time such as 2026-01-31T14:05:00Z")
            }
        } else {
            sv.fail("capturedAt", "required", "capturedAt is required for social-media intelligence")
        }
        let method = sv.line(d.captureMethod, "captureMethod", max: 200)
        let hash = sv.line(d.contentSHA256, "contentSHA256", max: 64)?.lowercased()
        if let hash, hash.count != 64 || !hash.allSatisfy(\.isHexDigit) {
            sv.fail("contentSHA256", "sha256.hex", "contentSHA256 must be the 64 hex digits of the captured content's SHA-256")
        }
        let attribution = sv.text(d.attributionBasis, "attributionBasis", max: 1000)
        let authorisation = sv.line(d.authorisationReference, "authorisationReference", max: 100)
        v.merge(sv)
        guard let locator, let captured, let method, let hash, let attribution, let authorisation else { return nil }
        return SocialMediaProvenance(
            locator: locator, capturedAt: captured, captureMethod: method, contentSHA256: hash,
            attributionBasis: attribution, authorisationReference: authorisation)
    }
}
