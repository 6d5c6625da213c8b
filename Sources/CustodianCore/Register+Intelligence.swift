import Crypto
extension Register {
    public func recordIntelligence(_ draft: IntelligenceDraft, by actor: User, for purpose: StatedPurpose) async throws -> IntelligenceID {
        let id: IntelligenceID = ids.next()
        return try await perform(actor, purpose, action: .intelligenceCreate) { tx, gate in
            let item = try await loggingCitations(subjects: SubjectID(draft.subjectID).map { [$0] } ?? [], touched: [.intelligence(id)]) {
                let item = try draft.validated(now: gate.now)
                var v = Validator()
                try await checkCitations(item.source.map { [("sourceId", $0)] } ?? [], tx, &v)
                try v.finish()
                return item
            }
            let subject = try await operationalSubject(item.subjectID, tx, gate)
            try gate.scope(subject.unit, named: .subject(subject.id))
            let key = try await subjectKey(subject.id, tx)
            try await tx.insertIntelligence(
                SealedIntelligence(
                    id: id, subjectID: subject.id, unit: subject.unit, grade: item.grade, basis: item.basis,
                    provenance: Provenance(
                        sourceType: item.sourceType, originatingUnit: actor.unit, author: actor.id, recordedAt: gate.now,
                        source: item.source),
                    content: try keyring.seal(item.content, key: key, subject: subject.id, label: "intelligence:\(id)")))
            try await tx.appendAudit([gate.entry(.collection, subjects: [subject.id], touched: [.intelligence(id)])])
            return id
        }
    }

    public func intelligence(_ id: IntelligenceID, by actor: User, for purpose: StatedPurpose) async throws -> IntelligenceItem {
        try await perform(actor, purpose, action: .intelligenceRead, .consultation) { tx, gate in
            guard let sealed = try await tx.intelligence(id) else {
                throw RegisterError.notFound(kind: "intelligence item", id: id.description)
            }
            try gate.scope(sealed.unit, named: .intelligence(id))
            _ = try await operationalSubject(sealed.subjectID, tx, gate)
            let item = try openIntelligence(sealed, key: try await subjectKey(sealed.subjectID, tx))
            try await tx.appendAudit([gate.entry(.consultation, subjects: [sealed.subjectID], touched: [.intelligence(id)])])
            return item
        }
    }

    /// A flag is an assessment: it must cite evidence about the same subject, and cannot be put on
    /// someone held only as a victim or witness.
    public func recordFlag(_ draft: FlagDraft, by actor: User, for purpose: StatedPurpose) async throws -> Flag {
        let (subjectID, kind, evidence) = try draft.validated()
        let id: FlagID = ids.next()
        return try await perform(actor, purpose, action: .flagCreate) { tx, gate in
            let subject = try await operationalSubject(subjectID, tx, gate)
            let links = try await tx.links(subject: subjectID)
            try gate.scope(subject.unit, subjects: [subjectID], touched: [.subject(subjectID)])
            let flag = Flag(
                id: id, subjectID: subjectID, unit: subject.unit, kind: kind, evidence: evidence,
                provenance: Provenance(sourceType: .police, originatingUnit: actor.unit, author: actor.id, recordedAt: gate.now))
            let person = try facts(subject, key: try await subjectKey(subjectID, tx), links: links)
            let permitted = try Monitor.flag(flag, on: person, rulebook: try await rulebook(tx), gate)
            try await checkFlagEvidence(evidence, subject: subjectID, links: links, tx)
            try await tx.insertFlag(permitted)
            try await tx.appendAudit([gate.entry(.collection, subjects: [subjectID], touched: [.flag(id)])])
            return flag
        }
    }
}
