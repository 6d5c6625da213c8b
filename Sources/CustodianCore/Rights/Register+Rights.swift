import Foundation

/// The rights team's use cases: a request recorded, the person's identity confirmed, the people on
/// the register it is about confirmed by a person, and the s.45 answer compiled. All of it is
/// governance acting for subject rights (`Action.handleRights`), and all of it is logged.
extension Register {
    public func openRightsRequest(
        kind: String, receivedOn: String, requester: (name: String?, reference: String?, contact: String?)? = nil, by actor: User,
        for purpose: StatedPurpose
    ) async throws -> RightsRequest {
        var v = Validator()
        let parsedKind = RightsRequest.Kind(rawValue: kind)
        v.check(
            parsedKind != nil, "kind", "rights.kind",
            "kind must be one of \(RightsRequest.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        let day = LocalDate(iso: receivedOn)
        v.check(day != nil, "receivedOn", "date.format", "receivedOn must be a date as YYYY-MM-DD")
        if let day { v.check(day <= clock.now().day, "receivedOn", "date.not-future", "receivedOn cannot be in the future") }
        let who = requester.flatMap { Requester.validated(name: $0.name, reference: $0.reference, contact: $0.contact, &v) }
        let (requestKind, received) = try v.finish(parsedKind, day)
        let id: RightsRequestID = ids.next()
        let sealed = try who.map { try keyring.seal($0, for: id) }
        return try await perform(actor, purpose, action: .rightsOpen) { tx, gate in
            let request = RightsRequest(id: id, kind: requestKind, receivedOn: received, handler: actor.id, requester: sealed)
            try await tx.upsertRightsRequest(request)
            try await tx.appendAudit([gate.entry(.collection, touched: [AuditResource(.rightsRequest, id)])])
            return request
        }
    }

    public func confirmIdentity(_ id: RightsRequestID, evidence: String, on day: String, by actor: User, for purpose: StatedPurpose)
        async throws -> RightsRequest
    {
        guard let confirmed = LocalDate(iso: day) else {
            throw RegisterError.invalid([
                FieldViolation(field: "confirmedOn", rule: "date.format", message: "confirmedOn must be a date as YYYY-MM-DD")
            ])
        }
        return try await changeRightsRequest(id, by: actor, for: purpose, action: .rightsIdentity) { request, _ throws(RegisterError) in
            try request.confirmingIdentity(evidence, on: confirmed)
        }
    }

    /// The people a search found, confirmed by a person as the requester. Joining records across
    /// boroughs to one person is logged as combination (s.62).
    public func confirmSubjects(_ id: RightsRequestID, subjects: [String], by actor: User, for purpose: StatedPurpose) async throws
        -> RightsRequest
    {
        var v = Validator()
        let people: [SubjectID] = v.ids(subjects, "subjectIds")
        try v.finish()
        return try await changeRightsRequest(
            id, by: actor, for: purpose, action: .rightsSubjects, operation: .combination, subjects: people,
            check: { _, tx in try await self.requireEveryRecord(of: people, tx, touched: [AuditResource(.rightsRequest, id)]) }
        ) { request, _ throws(RegisterError) in
            try request.confirmingSubjects(people)
        }
    }

    /// A person may be held in more than one borough, each record decided the same person on the
    /// duplicates queue. A request is theirs in every borough, so a confirmation (and the erasure
    /// or restriction decided on it) covers every such record or none: never one borough's copy
    /// erased while another's stays behind, its link to the first silently gone.
    func requireEveryRecord(of people: [SubjectID], _ tx: any RegisterTransaction, touched: [AuditResource]) async throws {
        let confirmed = Set(people)
        var missing: [(SubjectID, of: SubjectID)] = []
        for person in people {
            for decision in try await tx.duplicateDecisions(subject: person) where decision.inForce && decision.verdict == .same {
                guard let other = decision.pair.other(than: person), !confirmed.contains(other),
                    !missing.contains(where: { $0.0 == other }), try await tx.subject(other) != nil
                else { continue }
                missing.append((other, of: person))
            }
        }
        guard !missing.isEmpty else { return }
        throw Shortfall(
            violations: missing.map {
                FieldViolation(
                    field: "subjectIds", rule: "rights.same-person",
                    message:
                        "\($0.0) is decided the same person as \($0.of) on the duplicates queue: confirm it too, or reverse that decision first"
                )
            }, subjects: people, touched: touched)
    }

    /// Withholds one item of the answer on a s.45(4) ground, recorded for the ICO.
    public func withhold(
        _ id: RightsRequestID, item: String, ground: String, necessity: String, reviewOn: String?, by actor: User,
        for purpose: StatedPurpose
    ) async throws -> RightsRequest {
        let review = reviewOn.flatMap(LocalDate.init(iso:))
        return try await changeRightsRequest(
            id, by: actor, for: purpose, action: .rightsWithhold,
            check: { request, tx in
                // Only what a confirmed person holds can be withheld: a ref to anything else would
                // stand in the record for the ICO as a decision about nothing, or about someone else.
                guard item != ItemRestriction.wholeAnswer else { return }
                let held = try await heldItems(of: request.subjects, tx)
                guard let named = AuditResource(logged: item), held.contains(named) else {
                    throw Shortfall(
                        violations: [
                            FieldViolation(
                                field: "item", rule: "rights.item-held",
                                message: "item must name a matter, intelligence item or flag of a person confirmed on this request")
                        ], subjects: request.subjects, touched: [AuditResource(.rightsRequest, id)])
                }
            }
        ) { request, today throws(RegisterError) in
            try request.withholding(
                try ItemRestriction.deciding(item: item, ground: ground, necessity: necessity, by: actor, reviewOn: review, today: today))
        }
    }

    public func closeRightsRequest(_ id: RightsRequestID, refused: Bool, outcome: String, by actor: User, for purpose: StatedPurpose)
        async throws -> RightsRequest
    {
        try await changeRightsRequest(id, by: actor, for: purpose, action: .rightsClose) { request, today throws(RegisterError) in
            try request.closing(refused: refused, outcome: outcome, on: today)
        }
    }

    /// Every request, oldest first, each with its deadline; overdue ones are `isOverdue` today.
    public func rightsRequests(by actor: User, for purpose: StatedPurpose) async throws -> [RightsRequest] {
        try await perform(actor, purpose, action: .rightsList, .consultation) { tx, gate in
            let all = try await tx.rightsRequests()
            try await tx.appendAudit([gate.entry(.consultation, touched: [.whole(.rightsRequests)])])
            return all.sorted { ($0.receivedOn, $0.id.description) < ($1.receivedOn, $1.id.description) }
        }
    }

    private func changeRightsRequest(
        _ id: RightsRequestID, by actor: User, for purpose: StatedPurpose, action: UseCase,
        operation: AuditEntry.Operation = .alteration, subjects: [SubjectID] = [],
        check: (@Sendable (RightsRequest, any RegisterTransaction) async throws -> Void)? = nil,
        _ change: @escaping @Sendable (RightsRequest, LocalDate) throws(RegisterError) -> RightsRequest
    ) async throws -> RightsRequest {
        try await perform(actor, purpose, action: action) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.rightsRequest, id)]
            guard let current = try await tx.rightsRequest(id) else {
                throw RegisterError.notFound(kind: "rights request", id: id.description)
            }
            try await check?(current, tx)
            let next = try gate.refusals(subjects: subjects, touched: touched) { () throws(RegisterError) in
                try change(current, gate.now.day)
            }
            try await tx.upsertRightsRequest(next)
            try await tx.appendAudit([gate.entry(operation, subjects: subjects, touched: touched)])
            return next
        }
    }

    /// The refs of everything the people hold that an access answer lists item by item (their
    /// matters, intelligence and flags), read without opening anyone's record.
    func heldItems(of people: [SubjectID], _ tx: any RegisterTransaction) async throws -> Set<AuditResource> {
        guard !people.isEmpty else { return [] }
        let matters = try await tx.links(subjects: people).map { AuditResource.matter($0.matterID) }
        let items = try await tx.intelligence(subjects: people).map { AuditResource.intelligence($0.id) }
        let flags = try await tx.flags(subjects: people).map { AuditResource.flag($0.id) }
        return Set(matters + items + flags)
    }
}
