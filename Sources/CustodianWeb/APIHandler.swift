import CustodianAPI
import CustodianCore
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// The HTTP API: each operation parses its input, calls one use case as the signed-in user, and
/// shapes the answer. Refusals are thrown and become problem+json in `ProblemMiddleware`.
struct APIHandler: APIProtocol {
    let register: Register
    let directory: Directory

    init(register: Register, directory: Directory) {
        self.register = register
        self.directory = directory
    }

    func purpose(_ purpose: String?, _ justification: String?) throws -> StatedPurpose {
        try StatedPurpose(purpose: purpose, justification: justification)
    }

    func id<Tag>(_ text: String, _ field: String) throws -> Identifier<Tag> {
        guard let id = Identifier<Tag>(text) else {
            throw RegisterError.invalid([FieldViolation(field: field, rule: "id.format", message: "\(field) must be a UUID")])
        }
        return id
    }

    func getMe(_ input: Operations.getMe.Input) async throws -> Operations.getMe.Output {
        .ok(.init(body: .json(.init(try Identity.required()))))
    }

    func searchSubjects(_ input: Operations.searchSubjects.Input) async throws -> Operations.searchSubjects.Output {
        let h = input.headers
        let found = try await register.searchSubjects(name: input.query.name, dateOfBirth: input.query.dateOfBirth, by: try Identity.required(),
                                                      for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(found.map(Schemas.SubjectSummary.init))))
    }

    func createSubject(_ input: Operations.createSubject.Input) async throws -> Operations.createSubject.Output {
        guard case .json(let body) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let id = try await register.recordSubject(SubjectDraft(body), by: try Identity.required(),
                                                  for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .created(.init(body: .json(.init(id: id.description))))
    }

    func getSubject(_ input: Operations.getSubject.Input) async throws -> Operations.getSubject.Output {
        let h = input.headers
        let view = try await register.subject(try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
                                              for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(view))))
    }

    func getSubjectEthnicity(_ input: Operations.getSubjectEthnicity.Input) async throws -> Operations.getSubjectEthnicity.Output {
        let h = input.headers
        let s = try await register.ethnicity(of: try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
                                             for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(
            officerDefined: s.officerDefinedEthnicity.map { .init(code: $0.code.rawValue, recordedBy: $0.recordedBy.description, recordedAt: $0.recordedAt.date) },
            selfDefined: s.selfDefinedEthnicity.map { .init(code: $0.code.rawValue, recordedBy: $0.recordedBy.description, recordedAt: $0.recordedAt.date) }))))
    }

    func createMatter(_ input: Operations.createMatter.Input) async throws -> Operations.createMatter.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let id = try await register.recordMatter(
            MatterDraft(kind: b.kind, reference: b.reference, offence: b.offence, occurredOn: b.occurredOn, basis: b.basis ?? "fact", sourceType: b.sourceType ?? "police",
                        sourceReference: b.sourceReference,
                        grade: b.grade.map { GradeDraft(scheme: $0.scheme ?? "3x5x2", source: $0.source, assessment: $0.assessment, handling: $0.handling, conditions: $0.conditions) }),
            by: try Identity.required(), for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .created(.init(body: .json(.init(id: id.description))))
    }

    func getMatter(_ input: Operations.getMatter.Input) async throws -> Operations.getMatter.Output {
        let h = input.headers
        let view = try await register.matter(try id(input.path.matterId, "matterId"), by: try Identity.required(),
                                             for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(matter: .init(view.matter),
                                           subjects: view.subjects.map { .init(link: .init($0.link), displayName: $0.displayName) }))))
    }

    func createLink(_ input: Operations.createLink.Input) async throws -> Operations.createLink.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let link = try await register.link(LinkDraft(subjectID: b.subjectId, matterID: b.matterId, category: b.category, basis: b.basis ?? "fact"),
                                           by: try Identity.required(), for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .created(.init(body: .json(.init(link))))
    }

    func createIntelligence(_ input: Operations.createIntelligence.Input) async throws -> Operations.createIntelligence.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let id = try await register.recordIntelligence(IntelligenceDraft(b), by: try Identity.required(),
                                                       for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .created(.init(body: .json(.init(id: id.description))))
    }

    func getIntelligence(_ input: Operations.getIntelligence.Input) async throws -> Operations.getIntelligence.Output {
        let h = input.headers
        let item = try await register.intelligence(try id(input.path.intelligenceId, "intelligenceId"), by: try Identity.required(),
                                                   for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(item))))
    }

    func createFlag(_ input: Operations.createFlag.Input) async throws -> Operations.createFlag.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let flag = try await register.recordFlag(FlagDraft(subjectID: b.subjectId, kind: b.kind, intelligenceIDs: b.intelligenceIds ?? [], matterIDs: b.matterIds ?? []),
                                                 by: try Identity.required(), for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .created(.init(body: .json(.init(flag))))
    }

    func listAuditEntries(_ input: Operations.listAuditEntries.Input) async throws -> Operations.listAuditEntries.Output {
        let h = input.headers, q = input.query
        var v = Validator()
        let operation = q.operation.flatMap { AuditEntry.Operation(rawValue: $0) }
        v.check(q.operation == nil || operation != nil, "operation", "audit.operation", "operation must be one of \(AuditEntry.Operation.allCases.map(\.rawValue).joined(separator: ", "))")
        let actor = q.actor.flatMap(UserID.init)
        v.check(q.actor == nil || actor != nil, "actor", "id.format", "actor must be a user id")
        let subject = q.subject.flatMap(SubjectID.init)
        v.check(q.subject == nil || subject != nil, "subject", "id.format", "subject must be a subject id")
        try v.finish()
        let query = AuditQuery(actor: actor, subject: subject, operation: operation, from: q.from.map(Timestamp.init), until: q.until.map(Timestamp.init),
                               before: q.before, limit: q.limit ?? 50)
        let page = try await register.auditLog(query, by: try Identity.required(), for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(entries: page.map(Schemas.AuditEntry.init),
                                           nextBefore: page.count == query.limit ? page.last?.sequence : nil))))
    }

    func getLatestCheckpoint(_ input: Operations.getLatestCheckpoint.Input) async throws -> Operations.getLatestCheckpoint.Output {
        let h = input.headers
        let c = try await register.latestCheckpoint(by: try Identity.required(), for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(c))))
    }

    func getCheckpoint(_ input: Operations.getCheckpoint.Input) async throws -> Operations.getCheckpoint.Output {
        let h = input.headers
        let c = try await register.checkpoint(size: input.path.treeSize, by: try Identity.required(),
                                              for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(c))))
    }

    func getInclusionProof(_ input: Operations.getInclusionProof.Input) async throws -> Operations.getInclusionProof.Output {
        let h = input.headers, q = input.query
        let (leaf, proof) = try await register.inclusionProof(index: q.index, size: q.treeSize, by: try Identity.required(),
                                                              for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(index: q.index, treeSize: q.treeSize, leafHash: leaf.base64EncodedString(),
                                           proof: proof.map { $0.base64EncodedString() }))))
    }

    func getConsistencyProof(_ input: Operations.getConsistencyProof.Input) async throws -> Operations.getConsistencyProof.Output {
        let h = input.headers, q = input.query
        let proof = try await register.consistencyProof(from: q.from, to: q.to, by: try Identity.required(),
                                                        for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(from: q.from, to: q.to, proof: proof.map { $0.base64EncodedString() }))))
    }

    func getLogEntries(_ input: Operations.getLogEntries.Input) async throws -> Operations.getLogEntries.Output {
        let h = input.headers, q = input.query
        let entries = try await register.logEntries(from: q.start, count: q.count ?? 100, by: try Identity.required(),
                                                    for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(entries: entries.map {
            .init(sequence: $0.recorded.sequence, canonical: $0.canonical.base64EncodedString(), leafHash: $0.leafHash.base64EncodedString(),
                  entry: .init($0.recorded))
        }))))
    }

    func getAuditPublicKey(_ input: Operations.getAuditPublicKey.Input) async throws -> Operations.getAuditPublicKey.Output {
        let h = input.headers
        let key = try await register.auditPublicKey(by: try Identity.required(), for: try purpose(h.Custodian_hyphen_Purpose, h.Custodian_hyphen_Justification))
        return .ok(.init(body: .json(.init(origin: key.name, verifierKey: key.verifierKey, publicKey: key.rawPublicKey.base64EncodedString()))))
    }

    func listUsers(_ input: Operations.listUsers.Input) async throws -> Operations.listUsers.Output {
        let users = try await directory.users(limit: input.query.limit ?? 100, offset: input.query.offset ?? 0, by: try Identity.required())
        return .ok(.init(body: .json(users.map(Schemas.User.init))))
    }

    func createUser(_ input: Operations.createUser.Input) async throws -> Operations.createUser.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let actor = try Identity.required()
        var hash: String?
        if let password = b.password {
            try PasswordPolicy.check(password)
            hash = try await BcryptHasher.hash(password)
        }
        let user = try await directory.createUser(UserDraft(username: b.username, displayName: b.displayName, role: b.role, unit: b.unit,
                                                            trainingCompletedOn: b.trainingCompletedOn, permissions: b.permissions ?? [],
                                                            vettingLevel: b.vettingLevel, vettingExpiresOn: b.vettingExpiresOn),
                                                  passwordHash: hash, by: actor)
        return .created(.init(body: .json(.init(user))))
    }

    func updateUser(_ input: Operations.updateUser.Input) async throws -> Operations.updateUser.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let user = try await directory.updateUser(try id(input.path.userId, "userId"), { draft in
            if let x = b.displayName { draft.displayName = x }
            if let x = b.role { draft.role = x }
            if let x = b.unit { draft.unit = x }
            if let x = b.trainingCompletedOn { draft.trainingCompletedOn = x }
            if let x = b.permissions { draft.permissions = x }
            if let x = b.vettingLevel { draft.vettingLevel = x }
            if let x = b.vettingExpiresOn { draft.vettingExpiresOn = x }
        }, disabled: b.active.map { !$0 }, by: try Identity.required())
        return .ok(.init(body: .json(.init(user))))
    }

    func issueToken(_ input: Operations.issueToken.Input) async throws -> Operations.issueToken.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let token = try await directory.issueToken(for: try id(input.path.userId, "userId"), label: b.label, validForDays: b.validForDays,
                                                   by: try Identity.required())
        return .created(.init(body: .json(.init(token: token))))
    }

    func listGrants(_ input: Operations.listGrants.Input) async throws -> Operations.listGrants.Output {
        .ok(.init(body: .json(try await directory.pendingGrants(by: try Identity.required()).map { Schemas.PendingGrant($0.grant, user: $0.user) })))
    }

    func decideGrant(_ input: Operations.decideGrant.Input) async throws -> Operations.decideGrant.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let user = try await directory.decideGrant(try id(input.path.userId, "userId"), approve: b.approve, reason: b.reason, by: try Identity.required())
        return .ok(.init(body: .json(.init(user))))
    }
}
