import Crypto
import Foundation

/// A correction made at a person's request (s.46), or a supplementary statement where accuracy is
/// contested rather than wrong: what it touched, the value before and after (sealed under the
/// person's key with the record), who made it and under which request.
public struct Rectification: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case personalDetails = "personal-details"
        case matter
        case linkCategory = "link-category"
        case intelligence
        case statement
    }

    public let requestID: RightsRequestID
    public let ref: AuditResource
    public let kind: Kind
    public let before: String?
    public let after: String?
    public let by: UserID
    public let at: Timestamp
}

/// What the rights team asks to change.
public enum RectificationChange: Sendable {
    /// The person's details replaced as a whole: names, aliases, date of birth, addresses, PNC id, sex.
    case personalDetails(SubjectDraft)
    /// A matter the person is linked to corrected: kind, reference, offence, date, basis and grade.
    /// Who recorded it and from which source stays as it was.
    case matter(MatterID, MatterDraft)
    /// The s.38(3) category of the person on one matter corrected (a victim recorded as a suspect).
    case linkCategory(LinkID, category: String)
    /// An intelligence item's text and grade corrected.
    case intelligence(IntelligenceID, text: String, grade: GradeDraft)
    /// A statement recorded beside an item whose accuracy the person contests (`ref` names it).
    case statement(ref: String, text: String)
}

extension Register {
    /// Rectifies one person's record under an open rectification request: the change in place, the
    /// before and after kept sealed, logged as alteration (s.62), and a correction recall raised to
    /// every recipient that received the old version.
    public func rectify(
        _ requestID: RightsRequestID, subject: SubjectID, change: RectificationChange, by actor: User, for purpose: StatedPurpose
    ) async throws -> Rectification {
        try await perform(actor, purpose, action: .rightsRectify) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.rightsRequest, requestID), .subject(subject)]
            guard let request = try await tx.rightsRequest(requestID) else {
                throw RegisterError.notFound(kind: "rights request", id: requestID.description)
            }
            guard request.kind == .rectification, request.status == .open, request.subjects.contains(subject) else {
                throw RegisterError.conflict("a correction is made under an open rectification request confirmed for this person")
            }
            let sealed = try await loadSubject(subject, tx)
            let key = try await subjectKey(subject, tx)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
            let made: Rectification
            // Whose disclosures carried the old version: the person, and for a matter everyone linked to it.
            var carriers = [subject]
            switch change {
            case .personalDetails(let draft):
                let before = try openPersonal(sealed, key: key)
                let corrected = try draft.validated(id: subject, unit: sealed.unit, author: actor.id, now: gate.now).personal
                try await tx.updateSubjectPersonal(
                    subject, sealed: try keyring.seal(corrected, key: key, subject: subject, label: "personal"))
                try await keys.replaceSearchTokens(
                    subject: subject, unit: sealed.unit,
                    tokens: Array(Set(NameSearch.terms(for: corrected).map(keyring.searchToken))).sorted())
                made = Rectification(
                    requestID: requestID, ref: .subject(subject, part: "personal"), kind: .personalDetails, before: try json(before),
                    after: try json(corrected), by: actor.id, at: gate.now)
            case .matter(let id, let draft):
                guard try await tx.links(subject: subject).contains(where: { $0.matterID == id }), let old = try await tx.matter(id) else {
                    throw RegisterError.notFound(kind: "matter", id: id.description)
                }
                let validated = try draft.validated(id: id, unit: old.unit, author: old.provenance.author, now: gate.now)
                let corrected = Matter(
                    id: id, unit: old.unit, kind: validated.kind, reference: validated.reference, offence: validated.offence,
                    occurredOn: validated.occurredOn, basis: validated.basis, provenance: old.provenance, grade: validated.grade)
                try await tx.updateMatter(corrected)
                carriers = Array(Set(try await tx.links(matter: id).map(\.subjectID))).sorted { $0.description < $1.description }
                made = Rectification(
                    requestID: requestID, ref: .matter(id), kind: .matter, before: try json(old), after: try json(corrected),
                    by: actor.id, at: gate.now)
            case .linkCategory(let id, let raw):
                let links = try await tx.links(subject: subject)
                guard let link = links.first(where: { $0.id == id }) else { throw RegisterError.notFound(kind: "link", id: id.description) }
                guard let category = Category(rawValue: raw) else {
                    throw RegisterError.invalid([
                        FieldViolation(
                            field: "category", rule: "category.known",
                            message: "category must be one of \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
                    ])
                }
                if links.contains(where: { $0.matterID == link.matterID && $0.category == category }) {
                    throw RegisterError.conflict("this person is already linked to this matter as \(category.label.lowercased())")
                }
                try await tx.updateLinkCategory(id, to: category)
                // Someone included who is left with no enforcement category has no basis to stay:
                // a removal review is forced, as the sweep does for a score that has fallen away.
                let remaining = links.map { $0.id == id ? category : $0.category }
                if !remaining.contains(where: \.isEnforcement) {
                    for sealedInclusion in try await tx.inclusions(subject: subject) where sealedInclusion.status == .included {
                        var inclusion = try openInclusion(sealedInclusion, key: key)
                        guard !inclusion.removalReviewRequired else { continue }
                        inclusion.removalReviewRequired = true
                        try await tx.updateInclusion(try seal(inclusion, key: key))
                    }
                }
                made = Rectification(
                    requestID: requestID, ref: .link(id), kind: .linkCategory, before: link.category.rawValue, after: category.rawValue,
                    by: actor.id, at: gate.now)
            case .intelligence(let id, let text, let gradeDraft):
                guard let item = try await tx.intelligence(id), item.subjectID == subject else {
                    throw RegisterError.notFound(kind: "intelligence", id: id.description)
                }
                let old = try openIntelligence(item, key: key)
                var v = Validator()
                let newText = v.text(text, "text", max: 4000)
                let newGrade = gradeDraft.validated(&v)
                let (correctedText, grade) = try v.finish(newText, newGrade)
                let content = IntelligenceContent(text: correctedText, socialMedia: old.content.socialMedia)
                try await tx.updateIntelligence(
                    id, content: try keyring.seal(content, key: key, subject: subject, label: "intelligence:\(id)"), grade: grade)
                made = Rectification(
                    requestID: requestID, ref: .intelligence(id), kind: .intelligence,
                    before: "\(old.grade.code): \(old.content.text)", after: "\(grade.code): \(correctedText)", by: actor.id, at: gate.now)
            case .statement(let ref, let text):
                var v = Validator()
                let statement = v.decisionReason(text, "text")
                let item = v.line(ref, "ref", max: 100)
                let (statementText, itemText) = try v.finish(statement, item)
                // A statement stands beside something the person holds, never beside a label.
                guard let itemRef = AuditResource(logged: itemText), try await heldItems(of: [subject], tx).contains(itemRef) else {
                    throw Shortfall(
                        violations: [
                            FieldViolation(
                                field: "ref", rule: "rights.item-held",
                                message:
                                    "ref must name a matter, intelligence item or flag this person holds (matter/ID, intelligence/ID or flag/ID)"
                            )
                        ], subjects: [subject], touched: touched)
                }
                made = Rectification(
                    requestID: requestID, ref: itemRef, kind: .statement, before: nil, after: statementText, by: actor.id, at: gate.now)
            }
            try await tx.insertRectification(
                SealedEvent(
                    subjectID: subject, unit: sealed.unit, at: gate.now, kind: made.kind.rawValue,
                    sealed: try keyring.seal(made, key: key, subject: subject, label: "rectification")))
            // Every recipient of the old version is told to replace it.
            var recalled = 0
            for carrier in carriers { recalled += try await recallRecords(of: carrier, reason: .correction, tx, gate) }
            try await tx.appendAudit([
                gate.entry(
                    .alteration, subjects: carriers, touched: touched + [made.ref],
                    outcome: "\(made.kind.rawValue) under rights request \(requestID); \(recalled) correction recall(s)")
            ])
            return made
        }
    }

    /// The corrections and statements recorded for a person, oldest first.
    func rectifications(of subject: SubjectID, key: SymmetricKey, _ tx: any RegisterTransaction) async throws -> [Rectification] {
        try await tx.rectifications(subject: subject).map {
            try keyring.open(Rectification.self, from: $0.sealed, key: key, subject: subject, label: "rectification")
        }
    }
}
