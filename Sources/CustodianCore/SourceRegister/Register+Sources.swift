extension Register {
    /// The source unit registers a source, with its first reliability evaluation.
    public func registerSource(_ draft: SourceDraft, by actor: User) async throws -> RegisteredSource {
        let id: SourceID = ids.next()
        return try await perform(actor, nil, action: .sourceRegister) { tx, gate in
            let source = try draft.validated(id: id, by: actor.id, at: gate.now)
            try await tx.upsertSource(source)
            try await tx.appendAudit([gate.entry(.configurationChange, touched: [AuditResource(.source, id)])])
            return source
        }
    }

    /// The source unit re-evaluates a source's reliability, or withdraws it: items that cite a
    /// source evaluated 3 (not reliable) count for nothing towards an inclusion from then on.
    public func evaluateSource(_ id: SourceID, _ draft: EvaluationDraft, withdrawing: Bool, by actor: User) async throws
        -> RegisteredSource
    {
        try await perform(actor, nil, action: .sourceEvaluate) { tx, gate in
            guard let source = try await tx.source(id) else { throw RegisterError.notFound(kind: "source", id: id.description) }
            var v = Validator()
            let evaluation = draft.validated(&v)
            try v.finish()
            guard let evaluation else { throw RegisterError.invalid(v.violations) }
            let next = try source.evaluated(
                RegisteredSource.Evaluation(
                    reliability: evaluation.reliability, rationale: evaluation.rationale, by: actor.id, at: gate.now),
                withdrawing: withdrawing)
            try await tx.upsertSource(next)
            try await tx.appendAudit([
                gate.entry(.configurationChange, touched: [AuditResource(.source, id, part: withdrawing ? "withdrawal" : "evaluation")])
            ])
            return next
        }
    }

    /// One source's whole record, its owner and reliability history included: the source unit's
    /// compartment, read by no one else and by no disclosure, answer or export.
    public func source(_ id: SourceID, by actor: User) async throws -> RegisteredSource {
        try await perform(actor, nil, action: .sourceRead, .consultation) { tx, gate in
            guard let source = try await tx.source(id) else { throw RegisterError.notFound(kind: "source", id: id.description) }
            try await tx.appendAudit([gate.entry(.consultation, touched: [AuditResource(.source, id)])])
            return source
        }
    }

    /// The sources staff may cite, as citations: what recording and weighing evidence needs.
    public func sourceCitations(by actor: User) async throws -> [SourceCitation] {
        try await perform(actor, nil, action: .sourceList, .consultation) { tx, gate in
            let all = try await tx.sources().map(\.citation).sorted { ($0.withdrawn ? 1 : 0, $0.label) < ($1.withdrawn ? 1 : 0, $1.label) }
            try await tx.appendAudit([gate.entry(.consultation, touched: [.whole(.sources)])])
            return all
        }
    }

    /// Runs `body`, logging any refusal of a citation: a label, a guess or a withdrawn source
    /// put where a registered source belongs is an attempt on the corroboration rule, not a typo.
    func loggingCitations<T: Sendable>(
        subjects: [SubjectID], touched: [AuditResource], _ body: () async throws -> T
    ) async throws -> T {
        do { return try await body() } catch RegisterError.invalid(let violations) where violations.contains(where: \.isCitation) {
            throw Shortfall(violations: violations, subjects: subjects, touched: touched)
        }
    }

    /// Refuses any citation of a source the register does not hold or has withdrawn, each named
    /// by its field, so a label, a guess or a retired source never stands behind new evidence.
    func checkCitations(_ citations: [(field: String, id: SourceID)], _ tx: any RegisterTransaction, _ v: inout Validator) async throws {
        let held = try await tx.sources(citations.map(\.id))
        for (field, id) in citations {
            guard let source = held[id] else {
                v.fail(field, "source.registered", "no registered source has the id \(id); the source unit registers sources")
                continue
            }
            v.check(
                source.withdrawnAt == nil, field, "source.withdrawn",
                "\(source.label) was withdrawn from the source register and cannot be cited")
        }
    }
}

extension FieldViolation {
    /// Whether it refuses a cited source (`source.registered`, `source.withdrawn`).
    var isCitation: Bool { rule.hasPrefix("source.") }
}
