/// A matter as a permitted reader sees it: the subjects linked to it, each with its category.
public struct MatterView: Sendable, Equatable {
    public let matter: Matter
    public let subjects: [LinkedSubject]
}

public struct LinkedSubject: Sendable, Equatable {
    public let link: SubjectMatterLink
    public let displayName: String
}

extension Register {
    public func recordMatter(_ draft: MatterDraft, by actor: User, for purpose: StatedPurpose) async throws -> MatterID {
        let id: MatterID = ids.next()
        return try await perform(actor, purpose, action: "matter.create") { tx, gate in
            try gate.require(.record, unit: actor.unit.borough)
            let matter = try draft.validated(id: id, unit: actor.unit.borough!, author: actor.id, now: gate.now)
            try await tx.insertMatter(matter)
            try await tx.appendAudit([gate.entry(.collection, touched: ["matter/\(id)"])])
            return id
        }
    }

    public func matter(_ id: MatterID, by actor: User, for purpose: StatedPurpose) async throws -> MatterView {
        try await perform(actor, purpose, action: "matter.read", .consultation) { tx, gate in
            guard let matter = try await tx.matter(id) else { throw RegisterError.notFound(kind: "matter", id: id.description) }
            try gate.require(.consult, unit: matter.unit, touched: ["matter/\(id)"])
            var subjects: [LinkedSubject] = []
            for link in try await tx.links(matter: id) {
                let sealed = try await loadSubject(link.subjectID, tx)
                let personal = try openPersonal(sealed, key: try await subjectKey(link.subjectID, tx))
                subjects.append(LinkedSubject(link: link, displayName: personal.displayName))
            }
            let ids = Array(Set(subjects.map(\.link.subjectID))).sorted { $0.description < $1.description }
            try await tx.appendAudit([gate.entry(.consultation, subjects: ids, touched: ["matter/\(id)"])])
            return MatterView(matter: matter, subjects: subjects)
        }
    }

    /// Links a subject to a matter with exactly one s.38(3) category. Both must be the
    /// officer's own borough's records.
    public func link(_ draft: LinkDraft, by actor: User, for purpose: StatedPurpose) async throws -> SubjectMatterLink {
        let (subjectID, matterID, category, basis) = try draft.validated()
        let id: LinkID = ids.next()
        return try await perform(actor, purpose, action: "link.create") { tx, gate in
            let subject = try await loadSubject(subjectID, tx)
            guard let matter = try await tx.matter(matterID) else { throw RegisterError.notFound(kind: "matter", id: matterID.description) }
            let touched = ["subject/\(subjectID)", "matter/\(matterID)"]
            try gate.require(.record, unit: subject.unit, subjects: [subjectID], touched: touched)
            try gate.require(.record, unit: matter.unit, subjects: [subjectID], touched: touched)
            if try await tx.links(subject: subjectID).contains(where: { $0.matterID == matterID && $0.category == category }) {
                throw RegisterError.conflict("this subject is already linked to this matter as \(category.label.lowercased())")
            }
            let link = SubjectMatterLink(id: id, subjectID: subjectID, matterID: matterID, category: category, basis: basis,
                                         provenance: Provenance(sourceType: matter.provenance.sourceType, originatingUnit: actor.unit,
                                                                author: actor.id, recordedAt: gate.now))
            try await tx.insertLink(link)
            try await tx.appendAudit([gate.entry(.collection, subjects: [subjectID], touched: ["link/\(id)"] + touched)])
            return link
        }
    }
}
