import CustodianAPI
import CustodianCore
import Foundation

/// Domain values in the contract's shapes. One direction only: requests are parsed by the domain's drafts.
typealias Schemas = Components.Schemas

extension Schemas.User {
    init(_ u: User) {
        self.init(id: u.id.description, username: u.username, displayName: u.displayName, role: u.role.rawValue, unit: u.unit.code,
                  trainingCompletedOn: u.trainingCompletedOn?.description, trainingRefresherDue: u.trainingLapsesOn?.description,
                  vettingLevel: u.vetting.flatMap { .init(rawValue: $0.level.rawValue) }, vettingExpiresOn: u.vetting.map { $0.expiresOn.description },
                  permissions: u.permissions.map(\.rawValue).sorted(), active: u.isActive, awaitingGrant: u.awaitingGrant)
    }
}

extension Schemas.PendingGrant {
    init(_ g: PendingGrant, user: User) {
        self.init(userId: g.userID.description, username: user.username, displayName: user.displayName, role: g.role.rawValue, unit: g.unit.code, permissions: g.permissions.map(\.rawValue).sorted(),
                  requestedBy: g.requestedBy.description, requestedAt: g.requestedAt.date)
    }
}

extension Schemas.Provenance {
    init(_ p: Provenance) {
        self.init(sourceType: p.sourceType.rawValue, originatingUnit: p.originatingUnit.code, author: p.author.description, recordedAt: p.recordedAt.date,
                  sourceReference: p.sourceReference)
    }
}

extension Schemas.Link {
    init(_ l: SubjectMatterLink) {
        self.init(id: l.id.description, subjectId: l.subjectID.description, matterId: l.matterID.description, category: l.category.rawValue,
                  label: l.category.label, basis: l.basis.rawValue, provenance: .init(l.provenance))
    }
}

extension Schemas.Matter {
    init(_ m: Matter) {
        self.init(id: m.id.description, unit: m.unit.rawValue, kind: m.kind.rawValue, reference: m.reference, offence: m.offence?.rawValue,
                  occurredOn: m.occurredOn.description, basis: m.basis.rawValue, provenance: .init(m.provenance), grade: m.grade.map(Schemas.Grade.init))
    }
}

extension Schemas.Grade {
    init(_ g: IntelligenceGrade) {
        switch g {
        case .current(let c):
            self.init(scheme: "3x5x2", source: c.source.rawValue, assessment: c.assessment.rawValue, handling: c.handling.rawValue,
                      conditions: c.conditions, code: g.code, legacy: false)
        case .legacy(let l):
            self.init(scheme: "5x5x5", source: l.source, assessment: l.intelligence, handling: l.handling, conditions: nil, code: g.code, legacy: true)
        }
    }
}

extension Schemas.Intelligence {
    init(_ i: IntelligenceItem) {
        self.init(id: i.id.description, subjectId: i.subjectID.description, unit: i.unit.rawValue, text: i.content.text, grade: .init(i.grade),
                  basis: i.basis.rawValue, provenance: .init(i.provenance),
                  socialMedia: i.content.socialMedia.map {
                      .init(locator: $0.locator, capturedAt: $0.capturedAt.date, captureMethod: $0.captureMethod, contentSHA256: $0.contentSHA256,
                            attributionBasis: $0.attributionBasis, authorisationReference: $0.authorisationReference)
                  })
    }
}

extension Schemas.Flag {
    init(_ f: Flag) {
        self.init(id: f.id.description, subjectId: f.subjectID.description, kind: f.kind.rawValue, label: f.kind.label, basis: f.basis.rawValue,
                  evidence: f.evidence.map {
                      switch $0 {
                      case .intelligence(let id): .init(kind: "intelligence", id: id.description)
                      case .matter(let id): .init(kind: "matter", id: id.description)
                      }
                  },
                  provenance: .init(f.provenance))
    }
}

extension Schemas.Subject {
    init(_ s: SubjectView) {
        let p = s.personal
        self.init(id: s.id.description, unit: s.unit.rawValue, names: p.names.map { .init(given: $0.given, family: $0.family) },
                  aliases: p.aliases, nickname: p.nickname, dateOfBirth: p.dateOfBirth?.description, addresses: p.addresses, pncId: p.pncID,
                  sex: p.sex.rawValue,
                  categories: s.categories.map { .init(category: $0.category.rawValue, label: $0.category.label, matterIds: $0.matters.map(\.description)) },
                  protectedOnly: CategoryStanding(s.categories.map(\.category)).isProtectedOnly,
                  safeguarding: .init(age: s.safeguarding.age, child: s.safeguarding.isChild, under10: s.safeguarding.isUnder10),
                  matters: s.matters.map { .init(link: .init($0.link), matter: .init($0.matter)) },
                  intelligence: s.intelligence.map(Schemas.Intelligence.init), flags: s.flags.map(Schemas.Flag.init),
                  provenance: .init(s.provenance))
    }
}

extension Schemas.SubjectSummary {
    init(_ s: SubjectSummary) {
        self.init(id: s.id.description, unit: s.unit.rawValue, displayName: s.displayName, dateOfBirth: s.dateOfBirth?.description,
                  categories: s.categories.map { .init(category: $0.rawValue, label: $0.label) })
    }
}

extension Schemas.AuditEntry {
    init(_ r: RecordedAuditEntry) {
        let e = r.entry
        self.init(sequence: r.sequence, at: e.at.date, operation: e.operation.rawValue, action: e.action, actor: e.actor.description,
                  role: e.role.rawValue, unit: e.unit.code, purpose: e.purpose?.rawValue, justification: e.justification,
                  subjects: e.subjects.map(\.description), recipient: e.recipient, touched: e.touched, outcome: e.outcome)
    }
}

extension Schemas.Checkpoint {
    init(_ c: StoredCheckpoint) {
        self.init(origin: c.checkpoint.origin, treeSize: c.checkpoint.size, rootHash: c.checkpoint.root.base64EncodedString(), note: c.note,
                  publishedAt: c.publishedAt.date)
    }
}

extension SubjectDraft {
    init(_ i: Schemas.SubjectInput) {
        self.init(names: i.names.map { .init(given: $0.given, family: $0.family) }, aliases: i.aliases ?? [], nickname: i.nickname,
                  dateOfBirth: i.dateOfBirth, addresses: i.addresses ?? [], pncID: i.pncId, sex: i.sex, sourceType: i.sourceType ?? "police",
                  officerDefinedEthnicity: i.officerDefinedEthnicity, selfDefinedEthnicity: i.selfDefinedEthnicity)
    }
}

extension IntelligenceDraft {
    init(_ i: Schemas.IntelligenceInput) {
        self.init(subjectID: i.subjectId, text: i.text,
                  grade: GradeDraft(scheme: i.grade.scheme ?? "3x5x2", source: i.grade.source, assessment: i.grade.assessment,
                                    handling: i.grade.handling, conditions: i.grade.conditions),
                  basis: i.basis ?? "assessment", sourceType: i.sourceType, sourceReference: i.sourceReference,
                  socialMedia: i.socialMedia.map {
                      .init(locator: $0.locator, capturedAt: $0.capturedAt, captureMethod: $0.captureMethod, contentSHA256: $0.contentSHA256,
                            attributionBasis: $0.attributionBasis, authorisationReference: $0.authorisationReference)
                  })
    }
}
