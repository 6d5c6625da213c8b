import CustodianAPI
import CustodianCore
import Foundation

/// Domain values in the contract's shapes. One direction only: requests are parsed by the domain's drafts.
typealias Schemas = Components.Schemas

extension Schemas.User {
    init(_ u: User) throws {
        self.init(
            id: u.id.description, username: u.username, displayName: u.displayName, role: try u.role.wire(), unit: try wire(u.unit.code),
            trainingCompletedOn: u.trainingCompletedOn?.description, trainingRefresherDue: u.trainingLapsesOn?.description,
            vettingLevel: u.vetting.flatMap { .init(rawValue: $0.level.rawValue) },
            vettingExpiresOn: u.vetting.map { $0.expiresOn.description },
            permissions: try u.permissions.map(\.rawValue).sorted().map { try wire($0) }, active: u.isActive, awaitingGrant: u.awaitingGrant
        )
    }
}

extension Schemas.PendingGrant {
    init(_ g: PendingGrant, user: User) throws {
        self.init(
            userId: g.userID.description, username: user.username, displayName: user.displayName, role: try g.role.wire(),
            unit: try wire(g.unit.code),
            permissions: try g.permissions.map(\.rawValue).sorted().map { try wire($0) },
            requestedBy: g.requestedBy.description, requestedAt: g.requestedAt.date, version: g.version)
    }
}

extension Schemas.Provenance {
    init(_ p: Provenance) throws {
        self.init(
            sourceType: try p.sourceType.wire(), originatingUnit: try wire(p.originatingUnit.code), author: p.author.description,
            recordedAt: p.recordedAt.date,
            sourceId: p.source?.description)
    }
}

extension Schemas.Link {
    init(_ l: SubjectMatterLink) throws {
        self.init(
            id: l.id.description, subjectId: l.subjectID.description, matterId: l.matterID.description, category: try l.category.wire(),
            label: l.category.label, basis: try l.basis.wire(), provenance: try .init(l.provenance))
    }
}

extension Schemas.Matter {
    init(_ m: Matter) throws {
        self.init(
            id: m.id.description, unit: try m.unit.wire(), kind: try m.kind.wire(), reference: m.reference,
            offence: try m.offence.map { try $0.wire() }, occurredOn: m.occurredOn.description, basis: try m.basis.wire(),
            provenance: try .init(m.provenance), grade: m.grade.map(Schemas.Grade.init))
    }
}

extension Schemas.Grade {
    init(_ g: IntelligenceGrade) {
        switch g {
        case .current(let c):
            self.init(
                scheme: ._3x5x2, source: c.source.rawValue, assessment: c.assessment.rawValue, handling: c.handling.rawValue,
                conditions: c.conditions, code: g.code, legacy: false)
        case .legacy(let l):
            self.init(
                scheme: ._5x5x5, source: l.source, assessment: l.intelligence, handling: l.handling, conditions: nil, code: g.code,
                legacy: true)
        }
    }
}

extension Schemas.Intelligence {
    init(_ i: IntelligenceItem) throws {
        self.init(
            id: i.id.description, subjectId: i.subjectID.description, unit: try i.unit.wire(), text: i.content.text, grade: .init(i.grade),
            basis: try i.basis.wire(), provenance: try .init(i.provenance),
            socialMedia: i.content.socialMedia.map {
                .init(
                    locator: $0.locator, capturedAt: $0.capturedAt.date, captureMethod: $0.captureMethod, contentSHA256: $0.contentSHA256,
                    attributionBasis: $0.attributionBasis, authorisationReference: $0.authorisationReference)
            })
    }
}

extension Schemas.Flag {
    init(_ f: Flag) throws {
        self.init(
            id: f.id.description, subjectId: f.subjectID.description, kind: try f.kind.wire(), label: f.kind.label,
            basis: try f.basis.wire(),
            evidence: f.evidence.map {
                switch $0 {
                case .intelligence(let id): .init(kind: "intelligence", id: id.description)
                case .matter(let id): .init(kind: "matter", id: id.description)
                }
            },
            provenance: try .init(f.provenance))
    }
}

extension Schemas.Subject {
    init(_ s: SubjectView) throws {
        let p = s.personal
        self.init(
            id: s.id.description, unit: try s.unit.wire(), names: p.names.map { .init(given: $0.given, family: $0.family) },
            aliases: p.aliases, nickname: p.nickname, dateOfBirth: p.dateOfBirth?.description, addresses: p.addresses, pncId: p.pncID,
            sex: try p.sex.wire(),
            categories: try s.categories.map {
                .init(category: try $0.category.wire(), label: $0.category.label, matterIds: $0.matters.map(\.description))
            },
            protectedOnly: CategoryStanding(s.categories.map(\.category)).isProtectedOnly,
            safeguarding: .init(age: s.safeguarding.age, child: s.safeguarding.isChild, under10: s.safeguarding.isUnder10),
            matters: try s.matters.map { .init(link: try .init($0.link), matter: try .init($0.matter)) },
            intelligence: try s.intelligence.map(Schemas.Intelligence.init), flags: try s.flags.map(Schemas.Flag.init),
            provenance: try .init(s.provenance), sameAs: s.sameAs.isEmpty ? nil : try s.sameAs.map(Schemas.SameSubject.init))
    }
}

extension Schemas.SubjectSummary {
    init(_ s: SubjectSummary) throws {
        self.init(
            id: s.id.description, unit: try s.unit.wire(), displayName: s.displayName, dateOfBirth: s.dateOfBirth?.description,
            categories: try s.categories.map { .init(category: try $0.wire(), label: $0.label) })
    }
}

extension Schemas.AuditEntry {
    init(_ r: RecordedAuditEntry) throws {
        let e = r.entry
        self.init(
            sequence: r.sequence, at: e.at.date, operation: try e.operation.wire(), action: e.action, actor: e.actor.description,
            role: try e.role.wire(), unit: e.unit.code, purpose: try e.purpose.map { try $0.wire() }, justification: e.justification,
            subjects: e.subjects.map(\.description), recipient: e.recipient, touched: e.touched.map(\.description), outcome: e.outcome)
    }
}

extension Schemas.Checkpoint {
    init(_ c: StoredCheckpoint) {
        self.init(
            origin: c.checkpoint.origin, treeSize: c.checkpoint.size, rootHash: c.checkpoint.root.base64EncodedString(), note: c.note,
            publishedAt: c.publishedAt.date)
    }
}

extension MatterDraft {
    init(_ b: Schemas.MatterInput) {
        self.init(
            kind: b.kind.rawValue, reference: b.reference, offence: b.offence?.rawValue, occurredOn: b.occurredOn,
            basis: b.basis?.rawValue ?? "fact", sourceType: b.sourceType?.rawValue ?? "police", sourceID: b.sourceId,
            grade: b.grade.map {
                GradeDraft(
                    scheme: $0.scheme?.rawValue ?? "3x5x2", source: $0.source, assessment: $0.assessment, handling: $0.handling,
                    conditions: $0.conditions)
            })
    }
}

extension SubjectDraft {
    init(_ i: Schemas.SubjectInput) {
        self.init(
            names: i.names.map { .init(given: $0.given, family: $0.family) }, aliases: i.aliases ?? [], nickname: i.nickname,
            dateOfBirth: i.dateOfBirth, addresses: i.addresses ?? [], pncID: i.pncId, sex: i.sex.rawValue,
            sourceType: i.sourceType?.rawValue ?? "police", officerDefinedEthnicity: i.officerDefinedEthnicity?.rawValue,
            selfDefinedEthnicity: i.selfDefinedEthnicity?.rawValue)
    }
}

extension IntelligenceDraft {
    init(_ i: Schemas.IntelligenceInput) {
        self.init(
            subjectID: i.subjectId, text: i.text,
            grade: GradeDraft(
                scheme: i.grade.scheme?.rawValue ?? "3x5x2", source: i.grade.source, assessment: i.grade.assessment,
                handling: i.grade.handling, conditions: i.grade.conditions),
            basis: i.basis?.rawValue ?? "assessment", sourceType: i.sourceType.rawValue, sourceID: i.sourceId,
            socialMedia: i.socialMedia.map {
                .init(
                    locator: $0.locator, capturedAt: $0.capturedAt?.formatted(.iso8601), captureMethod: $0.captureMethod,
                    contentSHA256: $0.contentSHA256,
                    attributionBasis: $0.attributionBasis, authorisationReference: $0.authorisationReference)
            })
    }
}
