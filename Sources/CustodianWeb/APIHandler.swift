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

    /// A period given as two query dates, each refused by name when it is not a date.
    func period(_ fromText: String, _ untilText: String) throws -> (LocalDate, LocalDate) {
        var v = Validator()
        let fromInput = LocalDate(iso: fromText)
        let untilInput = LocalDate(iso: untilText)
        v.check(fromInput != nil, "from", "date.format", "from must be a date as YYYY-MM-DD")
        v.check(untilInput != nil, "until", "date.format", "until must be a date as YYYY-MM-DD")
        return try v.finish(fromInput, untilInput)
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

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        .ok(.init(body: .json(try .init(try Identity.required()))))
    }

    func searchSubjects(_ input: Operations.SearchSubjects.Input) async throws -> Operations.SearchSubjects.Output {
        let h = input.headers
        let found = try await register.searchSubjects(
            name: input.query.name ?? "", dateOfBirth: input.query.dateOfBirth, pncID: input.query.pncId, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try found.map(Schemas.SubjectSummary.init))))
    }

    func createSubject(_ input: Operations.CreateSubject.Input) async throws -> Operations.CreateSubject.Output {
        guard case .json(let body) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let id = try await register.recordSubject(
            SubjectDraft(body), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(.init(id: id.description))))
    }

    func getSubject(_ input: Operations.GetSubject.Input) async throws -> Operations.GetSubject.Output {
        let h = input.headers
        let view = try await register.subject(
            try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(view))))
    }

    func getSubjectEthnicity(_ input: Operations.GetSubjectEthnicity.Input) async throws -> Operations.GetSubjectEthnicity.Output {
        let h = input.headers
        let s = try await register.ethnicity(
            of: try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        officerDefined: s.officerDefinedEthnicity.map {
                            .init(code: $0.code.rawValue, recordedBy: $0.recordedBy.description, recordedAt: $0.recordedAt.date)
                        },
                        selfDefined: s.selfDefinedEthnicity.map {
                            .init(code: $0.code.rawValue, recordedBy: $0.recordedBy.description, recordedAt: $0.recordedAt.date)
                        }))))
    }

    func createMatter(_ input: Operations.CreateMatter.Input) async throws -> Operations.CreateMatter.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let id = try await register.recordMatter(
            MatterDraft(b),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(.init(id: id.description))))
    }

    func getMatter(_ input: Operations.GetMatter.Input) async throws -> Operations.GetMatter.Output {
        let h = input.headers
        let view = try await register.matter(
            try id(input.path.matterId, "matterId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        matter: try .init(view.matter),
                        subjects: try view.subjects.map { .init(link: try .init($0.link), displayName: $0.displayName) },
                        restrictedRecords: view.restricted))))
    }

    func createLink(_ input: Operations.CreateLink.Input) async throws -> Operations.CreateLink.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let link = try await register.link(
            LinkDraft(subjectID: b.subjectId, matterID: b.matterId, category: b.category.rawValue, basis: b.basis?.rawValue ?? "fact"),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(link))))
    }

    func createIntelligence(_ input: Operations.CreateIntelligence.Input) async throws -> Operations.CreateIntelligence.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let id = try await register.recordIntelligence(
            IntelligenceDraft(b), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(.init(id: id.description))))
    }

    func getIntelligence(_ input: Operations.GetIntelligence.Input) async throws -> Operations.GetIntelligence.Output {
        let h = input.headers
        let item = try await register.intelligence(
            try id(input.path.intelligenceId, "intelligenceId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(item))))
    }

    func createFlag(_ input: Operations.CreateFlag.Input) async throws -> Operations.CreateFlag.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let flag = try await register.recordFlag(
            FlagDraft(
                subjectID: b.subjectId, kind: b.kind.rawValue, intelligenceIDs: b.intelligenceIds ?? [], matterIDs: b.matterIds ?? []),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(flag))))
    }

    func listAuditEntries(_ input: Operations.ListAuditEntries.Input) async throws -> Operations.ListAuditEntries.Output {
        let h = input.headers
        let q = input.query
        var v = Validator()
        let operation = q.operation.flatMap { AuditEntry.Operation(rawValue: $0.rawValue) }
        let actor = q.actor.flatMap(UserID.init)
        v.check(q.actor == nil || actor != nil, "actor", "id.format", "actor must be a user id")
        let subject = q.subject.flatMap(SubjectID.init)
        v.check(q.subject == nil || subject != nil, "subject", "id.format", "subject must be a subject id")
        try v.finish()
        let query = AuditQuery(
            actor: actor, subject: subject, operation: operation, from: q.from.map(Timestamp.init), until: q.until.map(Timestamp.init),
            before: q.before, limit: q.limit ?? 50)
        let page = try await register.auditLog(
            query, by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        entries: try page.map(Schemas.AuditEntry.init),
                        nextBefore: page.count == query.limit ? page.last?.sequence : nil))))
    }

    func getLatestCheckpoint(_ input: Operations.GetLatestCheckpoint.Input) async throws -> Operations.GetLatestCheckpoint.Output {
        let h = input.headers
        let c = try await register.latestCheckpoint(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(.init(c))))
    }

    func getCheckpoint(_ input: Operations.GetCheckpoint.Input) async throws -> Operations.GetCheckpoint.Output {
        let h = input.headers
        let c = try await register.checkpoint(
            size: input.path.treeSize, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(.init(c))))
    }

    func getInclusionProof(_ input: Operations.GetInclusionProof.Input) async throws -> Operations.GetInclusionProof.Output {
        let h = input.headers
        let q = input.query
        let (leaf, proof) = try await register.inclusionProof(
            index: q.index, size: q.treeSize, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        index: q.index, treeSize: q.treeSize, leafHash: leaf.base64EncodedString(),
                        proof: proof.map { $0.base64EncodedString() }))))
    }

    func getConsistencyProof(_ input: Operations.GetConsistencyProof.Input) async throws -> Operations.GetConsistencyProof.Output {
        let h = input.headers
        let q = input.query
        let proof = try await register.consistencyProof(
            from: q.from, to: q.to, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(.init(from: q.from, to: q.to, proof: proof.map { $0.base64EncodedString() }))))
    }

    func getLogEntries(_ input: Operations.GetLogEntries.Input) async throws -> Operations.GetLogEntries.Output {
        let h = input.headers
        let q = input.query
        let entries = try await register.logEntries(
            from: q.start, count: q.count ?? 100, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        entries: try entries.map {
                            .init(
                                sequence: $0.recorded.sequence, canonical: $0.canonical.base64EncodedString(),
                                leafHash: $0.leafHash.base64EncodedString(),
                                entry: try .init($0.recorded))
                        }))))
    }

    func getAuditPublicKey(_ input: Operations.GetAuditPublicKey.Input) async throws -> Operations.GetAuditPublicKey.Output {
        let h = input.headers
        let key = try await register.auditPublicKey(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(body: .json(.init(origin: key.name, verifierKey: key.verifierKey, publicKey: key.rawPublicKey.base64EncodedString()))))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let users = try await directory.users(limit: input.query.limit ?? 100, offset: input.query.offset ?? 0, by: try Identity.required())
        return .ok(.init(body: .json(try users.map(Schemas.User.init))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let actor = try Identity.required()
        var hash: String?
        if let password = b.password {
            try PasswordPolicy.check(password)
            hash = try await BcryptHasher.hash(password)
        }
        let user = try await directory.createUser(
            UserDraft(
                username: b.username, displayName: b.displayName, role: b.role.rawValue, unit: b.unit.rawValue,
                trainingCompletedOn: b.trainingCompletedOn, permissions: (b.permissions ?? []).map(\.rawValue),
                vettingLevel: b.vettingLevel?.rawValue, vettingExpiresOn: b.vettingExpiresOn),
            passwordHash: hash, by: actor)
        return .created(.init(body: .json(try .init(user))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let user = try await directory.updateUser(
            try id(input.path.userId, "userId"),
            { draft in
                if let x = b.displayName { draft.displayName = x }
                if let x = b.role { draft.role = x.rawValue }
                if let x = b.unit { draft.unit = x.rawValue }
                if let x = b.trainingCompletedOn { draft.trainingCompletedOn = x }
                if let x = b.permissions { draft.permissions = x.map(\.rawValue) }
                if let x = b.vettingLevel { draft.vettingLevel = x.rawValue }
                if let x = b.vettingExpiresOn { draft.vettingExpiresOn = x }
            }, disabled: b.active.map { !$0 }, by: try Identity.required())
        return .ok(.init(body: .json(try .init(user))))
    }

    func issueEnrolment(_ input: Operations.IssueEnrolment.Input) async throws -> Operations.IssueEnrolment.Output {
        let link = try await directory.issueEnrolment(for: try id(input.path.userId, "userId"), by: try Identity.required())
        return .created(.init(body: .json(.init(path: link.path, expiresAt: link.expiresAt.date))))
    }

    func issueToken(_ input: Operations.IssueToken.Input) async throws -> Operations.IssueToken.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let token = try await directory.issueToken(
            for: try id(input.path.userId, "userId"), label: b.label, validForDays: b.validForDays,
            by: try Identity.required())
        return .created(.init(body: .json(.init(token: token))))
    }

    func listGrants(_ input: Operations.ListGrants.Input) async throws -> Operations.ListGrants.Output {
        .ok(
            .init(
                body: .json(
                    try await directory.pendingGrants(by: try Identity.required()).map { try Schemas.PendingGrant($0.grant, user: $0.user) }
                )))
    }

    func decideGrant(_ input: Operations.DecideGrant.Input) async throws -> Operations.DecideGrant.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let user = try await directory.decideGrant(
            try id(input.path.userId, "userId"), version: b.version, approve: b.approve, reason: b.reason, by: try Identity.required())
        return .ok(.init(body: .json(try .init(user))))
    }
}
