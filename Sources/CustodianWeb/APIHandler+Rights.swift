import CustodianAPI
import CustodianCore
import Foundation

/// The rights team's operations: governance acting for subject rights.
extension APIHandler {
    func listRightsRequests(_ input: Operations.ListRightsRequests.Input) async throws -> Operations.ListRightsRequests.Output {
        let h = input.headers
        let all = try await register.rightsRequests(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        let today = register.clock.now().day
        return .ok(.init(body: .json(try all.map { try Schemas.RightsRequest($0, today: today) })))
    }

    func openRightsRequest(_ input: Operations.OpenRightsRequest.Input) async throws -> Operations.OpenRightsRequest.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.openRightsRequest(
            kind: b.kind.rawValue, receivedOn: b.receivedOn,
            requester: b.requester.map { ($0.name, $0.reference, $0.contact) }, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(request, today: register.clock.now().day))))
    }

    func confirmRightsIdentity(_ input: Operations.ConfirmRightsIdentity.Input) async throws -> Operations.ConfirmRightsIdentity.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.confirmIdentity(
            try id(input.path.rightsRequestId, "rightsRequestId"), evidence: b.evidence, on: b.confirmedOn, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(request, today: register.clock.now().day))))
    }

    func confirmRightsSubjects(_ input: Operations.ConfirmRightsSubjects.Input) async throws -> Operations.ConfirmRightsSubjects.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.confirmSubjects(
            try id(input.path.rightsRequestId, "rightsRequestId"), subjects: b.subjectIds, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(request, today: register.clock.now().day))))
    }

    func withholdRightsItem(_ input: Operations.WithholdRightsItem.Input) async throws -> Operations.WithholdRightsItem.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.withhold(
            try id(input.path.rightsRequestId, "rightsRequestId"), item: b.item, ground: b.ground.rawValue, necessity: b.necessity,
            reviewOn: b.reviewOn, by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(request, today: register.clock.now().day))))
    }

    func closeRightsRequest(_ input: Operations.CloseRightsRequest.Input) async throws -> Operations.CloseRightsRequest.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.closeRightsRequest(
            try id(input.path.rightsRequestId, "rightsRequestId"), refused: b.refused, outcome: b.outcome, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(request, today: register.clock.now().day))))
    }

    func decideErasureRequest(_ input: Operations.DecideErasureRequest.Input) async throws -> Operations.DecideErasureRequest.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let request = try await register.decideErasureRequest(
            try id(input.path.rightsRequestId, "rightsRequestId"), decision: b.decision.rawValue, outcome: b.outcome,
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(request, today: register.clock.now().day))))
    }

    func getDisclosureHistory(_ input: Operations.GetDisclosureHistory.Input) async throws -> Operations.GetDisclosureHistory.Output {
        let h = input.headers
        let events = try await register.disclosureHistory(
            of: try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    events.map {
                        .init(at: $0.at.date, recipient: $0.recipient, agreement: $0.agreement, fields: $0.fields, action: $0.action)
                    }
                )))
    }

    func rectify(_ input: Operations.Rectify.Input) async throws -> Operations.Rectify.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        func missing(_ field: String) -> RegisterError {
            .invalid([
                FieldViolation(field: field, rule: "required", message: "\(field) is required for a \(b.kind.rawValue) rectification")
            ])
        }
        let change: RectificationChange
        switch b.kind {
        case .personalDetails:
            guard let details = b.personalDetails else { throw missing("personalDetails") }
            change = .personalDetails(SubjectDraft(details))
        case .matter:
            guard let matter = b.matterId else { throw missing("matterId") }
            guard let details = b.matter else { throw missing("matter") }
            change = .matter(try id(matter, "matterId"), MatterDraft(details))
        case .linkCategory:
            guard let link = b.linkId else { throw missing("linkId") }
            guard let category = b.category else { throw missing("category") }
            change = .linkCategory(try id(link, "linkId"), category: category.rawValue)
        case .intelligence:
            guard let item = b.intelligenceId else { throw missing("intelligenceId") }
            guard let text = b.text else { throw missing("text") }
            guard let grade = b.grade else { throw missing("grade") }
            change = .intelligence(
                try id(item, "intelligenceId"), text: text,
                grade: GradeDraft(
                    scheme: grade.scheme?.rawValue ?? "3x5x2", source: grade.source, assessment: grade.assessment, handling: grade.handling,
                    conditions: grade.conditions))
        case .statement:
            guard let ref = b.ref else { throw missing("ref") }
            change = .statement(ref: ref, text: b.text ?? "")
        }
        let made = try await register.rectify(
            try id(input.path.rightsRequestId, "rightsRequestId"), subject: try id(b.subjectId, "subjectId"), change: change,
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(
            .init(
                body: .json(
                    .init(ref: made.ref.description, kind: try made.kind.wire(), before: made.before, after: made.after, at: made.at.date)))
        )
    }

    func retentionQueue(_ input: Operations.RetentionQueue.Input) async throws -> Operations.RetentionQueue.Output {
        let h = input.headers
        let due = try await register.retentionQueue(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    try due.map {
                        .init(
                            subjectId: $0.subjectID.description, unit: try $0.unit.wire(), group: try $0.group.wire(),
                            lastActivity: $0.lastActivity.description, dueOn: $0.dueOn.description, raisedOn: $0.raisedOn?.description,
                            erasureProposedOn: $0.erasureProposedOn?.description)
                    })))
    }

    func decideRetention(_ input: Operations.DecideRetention.Input) async throws -> Operations.DecideRetention.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        switch try await register.decideRetention(
            try id(input.path.subjectId, "subjectId"), keep: b.keep, reason: b.reason, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        {
        case .erasureProposed: return .accepted(.init())
        case .kept, .erased: return .noContent(.init())
        }
    }

    func getAccessAnswer(_ input: Operations.GetAccessAnswer.Input) async throws -> Operations.GetAccessAnswer.Output {
        let h = input.headers
        let answer = try await register.accessAnswer(
            try id(input.path.rightsRequestId, "rightsRequestId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(answer))))
    }
}

extension Schemas.RightsRequest {
    init(_ r: RightsRequest, today: LocalDate) throws {
        self.init(
            id: r.id.description, kind: try r.kind.wire(), status: try r.status.wire(), receivedOn: r.receivedOn.description,
            identityEvidence: r.identityEvidence, identityConfirmedOn: r.identityConfirmedOn?.description, dueOn: r.dueOn?.description,
            overdue: r.isOverdue(on: today), handler: r.handler.description, subjectIds: r.subjects.map(\.description),
            withheld: try r.restrictions.map {
                .init(
                    item: $0.item, ground: try $0.ground.wire(), necessity: $0.necessity, decidedBy: $0.decidedBy.description,
                    reviewOn: $0.reviewOn.description)
            }, neitherConfirmNorDeny: r.neitherConfirmNorDeny, outcome: r.outcome, closedOn: r.closedOn?.description,
            erasureProposal: r.erasureProposal.map { .init(outcome: $0.outcome, proposedBy: $0.by.description, proposedAt: $0.at.date) })
    }
}

extension Schemas.AccessAnswer {
    init(_ a: AccessAnswer) throws {
        self.init(
            requestId: a.requestID.description,
            requester: a.requester.map { .init(name: $0.name, reference: $0.reference, contact: $0.contact) },
            compiledAt: a.compiledAt.date, confirmation: a.confirmation,
            people: try a.people.map { p in
                .init(
                    subjectId: p.subjectID.description, borough: p.borough, names: p.names, aliases: p.aliases, nickname: p.nickname,
                    ethnicity: p.ethnicity, dateOfBirth: p.dateOfBirth,
                    addresses: p.addresses, pncId: p.pncID, sex: try wire(p.sex), categories: p.categories,
                    items: try p.items.map { i in
                        .init(
                            ref: i.ref.description, kind: try wire(i.kind), description: i.description, basis: try wire(i.basis),
                            category: i.category,
                            grade: i.grade,
                            origin: .init(
                                sourceType: try wire(i.origin.sourceType), recordedBy: i.origin.recordedBy, recordedOn: i.origin.recordedOn)
                        )
                    },
                    recipients: p.recipients.map { r in
                        .init(
                            at: r.at.date, recipient: r.recipient, agreement: r.agreement, fields: r.fields, action: r.action,
                            receipt: .init(
                                leafIndex: r.receipt.leafIndex, leafHash: r.receipt.leafHash, canonicalEntry: r.receipt.canonicalEntry,
                                subjectId: r.receipt.subjectId.description, subjectPosition: r.receipt.subjectPosition,
                                subjectSalt: r.receipt.subjectSalt, treeSize: r.receipt.treeSize, proof: r.receipt.proof,
                                checkpoint: r.receipt.checkpoint))
                    }, retention: p.retention, registerStatus: p.registerStatus,
                    assessments: try p.assessments.map {
                        .init(
                            assessedOn: $0.assessedOn, score: $0.score, band: try wire($0.band), rulebookVersion: $0.rulebookVersion,
                            lines: $0.lines, marker: $0.marker)
                    }, decisions: p.decisions.map { .init(on: $0.on, what: $0.what, reason: $0.reason) }, alsoHeldBy: p.alsoHeldBy,
                    statements: p.statements)
            }, purposes: a.purposes, legalBasis: a.legalBasis, withheld: a.withheld, rights: a.rights, verifying: a.verifying)
    }
}
