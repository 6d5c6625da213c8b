import Foundation

/// A matter as a permitted reader sees it: the subjects linked to it, each with its category.
public struct MatterView: Sendable, Equatable {
    public let matter: Matter
    public let subjects: [LinkedSubject]
    /// People linked to the matter whose records are restricted, and so not shown: counted, never
    /// named or identified, to anyone but governance.
    public let restricted: Int
}

public struct LinkedSubject: Sendable, Equatable {
    public let link: SubjectMatterLink
    public let displayName: String
}

extension Register {
    public func recordMatter(_ draft: MatterDraft, by actor: User, for purpose: StatedPurpose) async throws -> MatterID {
        let id: MatterID = ids.next()
        return try await perform(actor, purpose, action: .matterCreate) { tx, gate in
            let matter = try await loggingCitations(subjects: [], touched: [.matter(id)]) {
                let matter = try draft.validated(id: id, unit: try actor.unit.recordingBorough(), author: actor.id, now: gate.now)
                var v = Validator()
                try await checkCitations(matter.provenance.source.map { [("sourceId", $0)] } ?? [], tx, &v)
                try v.finish()
                return matter
            }
            try await tx.insertMatter(matter)
            try await tx.appendAudit([gate.entry(.collection, touched: [.matter(id)])])
            return id
        }
    }

    public func matter(_ id: MatterID, by actor: User, for purpose: StatedPurpose) async throws -> MatterView {
        try await perform(actor, purpose, action: .matterRead, .consultation) { tx, gate in
            guard let matter = try await tx.matter(id) else { throw RegisterError.notFound(kind: "matter", id: id.description) }
            try gate.scope(matter.unit, named: .matter(id))
            var subjects: [LinkedSubject] = []
            var restricted = 0
            for link in try await tx.links(matter: id) {
                let sealed = try await loadSubject(link.subjectID, tx)
                if sealed.restricted && !AccessPolicy.readsRestricted(actor) {
                    restricted += 1
                    continue
                }
                let personal = try openPersonal(sealed, key: try await subjectKey(link.subjectID, tx))
                subjects.append(LinkedSubject(link: link, displayName: personal.displayName))
            }
            let ids = Array(Set(subjects.map(\.link.subjectID))).sorted { $0.description < $1.description }
            try await tx.appendAudit([gate.entry(.consultation, subjects: ids, touched: [.matter(id)])])
            return MatterView(matter: matter, subjects: subjects, restricted: restricted)
        }
    }

    /// Records a matter and links a subject to it in one transaction: either both are kept or
    /// neither. The usual way an officer records what happened to or was done by someone.
    public func recordMatter(
        _ draft: MatterDraft, linking subjectID: String, as category: String, basis: String,
        by actor: User, for purpose: StatedPurpose
    ) async throws -> MatterID {
        let id: MatterID = ids.next()
        let linkID: LinkID = ids.next()
        return try await perform(actor, purpose, action: .matterCreate) { tx, gate in
            // Both drafts are checked before anything is written, so one answer names every fault.
            let (matter, subject, linkCategory, linkBasis) = try await loggingCitations(subjects: [], touched: [.matter(id)]) {
                var v = Validator()
                let matter = try v.collect { () throws(RegisterError) in
                    try draft.validated(id: id, unit: try actor.unit.recordingBorough(), author: actor.id, now: gate.now)
                }
                let linked = try v.collect { () throws(RegisterError) in
                    try LinkDraft(subjectID: subjectID, matterID: id.description, category: category, basis: basis).validated()
                }
                try await checkCitations(matter?.provenance.source.map { [("sourceId", $0)] } ?? [], tx, &v)
                let (m, l) = try v.finish(matter, linked)
                return (m, l.0, l.2, l.3)
            }
            try await tx.insertMatter(matter)
            try await tx.appendAudit([gate.entry(.collection, touched: [.matter(id)])])
            try await insertLink(id: linkID, subject, matter, linkCategory, linkBasis, tx, gate)
            return id
        }
    }

    /// Links a subject to a matter with exactly one s.38(3) category. Both must be the
    /// officer's own borough's records.
    public func link(_ draft: LinkDraft, by actor: User, for purpose: StatedPurpose) async throws -> SubjectMatterLink {
        let (subjectID, matterID, category, basis) = try draft.validated()
        let id: LinkID = ids.next()
        return try await perform(actor, purpose, action: .linkCreate) { tx, gate in
            guard let matter = try await tx.matter(matterID) else { throw RegisterError.notFound(kind: "matter", id: matterID.description) }
            return try await insertLink(id: id, subjectID, matter, category, basis, tx, gate)
        }
    }

    /// Links a subject to a matter of the officer's borough named by its reference (crime or
    /// intelligence reference), as officers know matters by those, not by id.
    public func link(
        subjectID: String, matterReference: String, category: String, basis: String,
        by actor: User, for purpose: StatedPurpose
    ) async throws -> SubjectMatterLink {
        var v = Validator()
        let typedReference = v.line(matterReference, "matterReference", max: 64)
        let linked = try v.collect { () throws(RegisterError) in
            try LinkDraft(subjectID: subjectID, matterID: MatterID(UUID()).description, category: category, basis: basis).validated()
        }
        let (reference, (subject, _, linkCategory, linkBasis)) = try v.finish(typedReference, linked)
        let id: LinkID = ids.next()
        return try await perform(actor, purpose, action: .linkCreate) { tx, gate in
            guard let matter = try await tx.matter(reference: reference, unit: try actor.unit.recordingBorough()) else {
                throw RegisterError.invalid([
                    FieldViolation(
                        field: "matterReference", rule: "matter.known",
                        message: "no matter with reference '\(reference)' in \(actor.unit.name); record the matter first")
                ])
            }
            return try await insertLink(id: id, subject, matter, linkCategory, linkBasis, tx, gate)
        }
    }

    private func insertLink(
        id: LinkID, _ subjectID: SubjectID, _ matter: Matter, _ category: Category, _ basis: Basis,
        _ tx: any RegisterTransaction, _ gate: Gate
    ) async throws -> SubjectMatterLink {
        let subject = try await operationalSubject(subjectID, tx, gate)
        let touched: [AuditResource] = [.subject(subjectID), .matter(matter.id)]
        try gate.scope(subject.unit, named: .subject(subjectID))
        try gate.scope(matter.unit, named: .matter(matter.id))
        if try await tx.links(subject: subjectID).contains(where: { $0.matterID == matter.id && $0.category == category }) {
            throw RegisterError.conflict("this subject is already linked to this matter as \(category.label.lowercased())")
        }
        let link = SubjectMatterLink(
            id: id, subjectID: subjectID, matterID: matter.id, category: category, basis: basis,
            provenance: Provenance(
                sourceType: matter.provenance.sourceType, originatingUnit: gate.actor.unit,
                author: gate.actor.id, recordedAt: gate.now))
        try await tx.insertLink(link)
        try await tx.appendAudit([gate.entry(.collection, subjects: [subjectID], touched: [.link(id)] + touched)])
        return link
    }
}
