import CustodianAPI
import CustodianCore
import Foundation

/// The governance operations: rulebook, inclusion, reviews, removal, restriction, dashboard.
extension APIHandler {
    func getRulebook(_ input: Operations.GetRulebook.Input) async throws -> Operations.GetRulebook.Output {
        _ = try Identity.required()
        let (inForce, versions) = try await register.rulebookVersions()
        return .ok(.init(body: .json(.init(inForce: .init(inForce), versions: try versions.map(Schemas.RulebookVersion.init)))))
    }

    func proposeRulebook(_ input: Operations.ProposeRulebook.Input) async throws -> Operations.ProposeRulebook.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let version = try await register.proposeRulebook(try Rulebook(b.rulebook), rationale: b.rationale, by: try Identity.required())
        return .created(.init(body: .json(try .init(version))))
    }

    func decideRulebook(_ input: Operations.DecideRulebook.Input) async throws -> Operations.DecideRulebook.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let version = try await register.decideRulebook(version: input.path.version, approve: b.approve, by: try Identity.required())
        return .ok(.init(body: .json(try .init(version))))
    }

    func listInclusionQueue(_ input: Operations.ListInclusionQueue.Input) async throws -> Operations.ListInclusionQueue.Output {
        let h = input.headers
        let queue = try await register.inclusionQueue(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    try queue.map { p in
                        .init(
                            inclusion: try .init(p.inclusion), subjectName: p.displayName, proposer: p.proposer,
                            proposedAt: p.inclusion.proposedAt.date, rationale: p.inclusion.rationale,
                            safeguardingRationale: p.inclusion.safeguardingRationale, step: try p.step.wire(),
                            evidence: try p.evidence.map { e in
                                let (kind, id): (Components.Schemas.PendingInclusion.EvidencePayloadPayload.KindPayload, String) =
                                    switch e.item {
                                    case .intelligence(let id): (.intelligence, id.description)
                                    case .matter(let id): (.matter, id.description)
                                    }
                                return .init(
                                    kind: kind, id: id, sourceType: e.sourceType.rawValue, originatingUnit: e.originatingUnit.code,
                                    grade: e.grade?.code, source: try e.source.map(Schemas.SourceCitation.init),
                                    enteredByProposer: e.author == p.inclusion.proposedBy, weak: e.isWeak,
                                    corroborates: p.corroborating.contains(e.item))
                            },
                            thresholdMet: p.shortfalls.isEmpty,
                            shortfalls: p.shortfalls.map { .init(field: $0.field, rule: $0.rule, message: $0.message) })
                    })))
    }

    func proposeInclusion(_ input: Operations.ProposeInclusion.Input) async throws -> Operations.ProposeInclusion.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let inclusion = try await register.proposeInclusion(
            InclusionDraft(
                subjectID: b.subjectId, intelligenceIDs: b.intelligenceIds ?? [], matterIDs: b.matterIds ?? [],
                rationale: b.rationale, safeguardingRationale: b.safeguardingRationale),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(inclusion))))
    }

    func decideInclusion(_ input: Operations.DecideInclusion.Input) async throws -> Operations.DecideInclusion.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let inclusion = try await register.decideInclusion(
            try id(input.path.inclusionId, "inclusionId"), approve: b.approve, reason: b.reason,
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(inclusion))))
    }

    func reviewInclusion(_ input: Operations.ReviewInclusion.Input) async throws -> Operations.ReviewInclusion.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        guard let outcome = Review.Outcome(rawValue: b.outcome.rawValue) else {
            throw ContractDrift(type: "ReviewOutcome", value: b.outcome.rawValue)
        }
        let h = input.headers
        let inclusion = try await register.review(
            try id(input.path.inclusionId, "inclusionId"), outcome: outcome, rationale: b.rationale,
            removalRejected: b.removalRejected.flatMap { Review.RemovalRejected(rawValue: $0.rawValue) },
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(inclusion))))
    }

    func decideRemoval(_ input: Operations.DecideRemoval.Input) async throws -> Operations.DecideRemoval.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        try await register.decideRemoval(
            try id(input.path.inclusionId, "inclusionId"), approve: b.approve, reason: b.reason,
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .noContent(.init())
    }

    func reviewQueue(_ input: Operations.ReviewQueue.Input) async throws -> Operations.ReviewQueue.Output {
        let h = input.headers
        let queue = try await register.reviewQueue(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try queue.map(Schemas.QueuedReview.init))))
    }

    func assessHarm(_ input: Operations.AssessHarm.Input) async throws -> Operations.AssessHarm.Output {
        let h = input.headers
        let assessment = try await register.assessHarm(
            of: try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(assessment))))
    }

    func getSubjectHistory(_ input: Operations.GetSubjectHistory.Input) async throws -> Operations.GetSubjectHistory.Output {
        let h = input.headers
        let history = try await register.history(
            of: try id(input.path.subjectId, "subjectId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        subjectId: history.subjectID.description,
                        assessments: try history.assessments.map { .init(at: $0.at.date, assessment: try .init($0.assessment)) },
                        reviews: try history.reviews.map {
                            .init(
                                at: $0.at.date, inclusionId: $0.review.inclusionID.description,
                                outcome: try $0.review.outcome.wire(), rationale: $0.review.rationale,
                                reviewer: $0.review.reviewer.description, rulebookVersion: $0.review.rulebookVersion,
                                score: $0.review.score, removalRejected: $0.review.removalRejected?.rawValue)
                        }, scoresWithheld: history.scoresWithheld))))
    }

    func requestChildAction(_ input: Operations.RequestChildAction.Input) async throws -> Operations.RequestChildAction.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let action = try await register.requestChildAction(
            ChildActionDraft(
                kind: b.kind.rawValue, subjectID: b.subjectId, flagKind: b.flagKind?.rawValue,
                intelligenceIDs: b.intelligenceIds ?? [], matterIDs: b.matterIds ?? [],
                safeguardingRationale: b.safeguardingRationale),
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .created(.init(body: .json(try .init(action))))
    }

    func decideChildAction(_ input: Operations.DecideChildAction.Input) async throws -> Operations.DecideChildAction.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let action = try await register.decideChildAction(
            try id(input.path.childActionId, "childActionId"), approve: b.approve, reason: b.reason,
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(action))))
    }

    func listChildActions(_ input: Operations.ListChildActions.Input) async throws -> Operations.ListChildActions.Output {
        let h = input.headers
        let actions = try await register.childActions(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try actions.map(Schemas.ChildAction.init))))
    }

    func restrictSubject(_ input: Operations.RestrictSubject.Input) async throws -> Operations.RestrictSubject.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        try await register.restrict(
            try id(input.path.subjectId, "subjectId"), reason: b.reason, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .noContent(.init())
    }

    func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        let (from, until) = try period(input.query.from, input.query.until)
        let h = input.headers
        let board = try await register.dashboard(
            from: from, until: until, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        from: board.from.description, until: board.until.description, rulebookVersion: board.rulebookVersion,
                        boroughs: try board.boroughs.map(Schemas.BoroughFigures.init), london: try .init(board.london),
                        rightsRequestsOverdue: board.rightsRequestsOverdue, retentionReviewsAwaiting: board.retentionReviewsAwaiting,
                        equalityAlertsAwaiting: board.equalityAlertsAwaiting, dpiaDaysToReview: board.dpia?.daysToReview,
                        dpiaInForce: board.dpia.map { $0.inForce != nil },
                        breachClocks: board.breachClocks?.map { .init(id: $0.id.description, hoursLeft: $0.hoursLeft) }))))
    }
}

extension Schemas.Rulebook {
    init(_ r: Rulebook) {
        self.init(
            version: r.version,
            inclusion: .init(
                minimumIndependentSources: r.inclusion.minimumIndependentSources, minimumAge: r.inclusion.minimumAge,
                childAge: r.inclusion.childAge),
            harm: .init(
                offenceWeights: .init(
                    additionalProperties: Dictionary(
                        r.harm.offenceWeights.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { first, _ in first })),
                halfLifeDays: r.harm.halfLifeDays, lookbackDays: r.harm.lookbackDays,
                weaponIntelligenceWindowDays: r.harm.weaponIntelligenceWindowDays,
                weaponIntelligenceWeight: r.harm.weaponIntelligenceWeight,
                amberFrom: r.harm.amberFrom, redFrom: r.harm.redFrom),
            review: .init(
                cadenceDays: r.review.cadenceDays, graceDays: r.review.graceDays, zeroScoreRemovalDays: r.review.zeroScoreRemovalDays,
                retentionThreshold: r.review.retentionThreshold),
            retention: .init(
                victimOrWitnessDays: r.retention.victimOrWitnessDays, rejectedProposalDays: r.retention.rejectedProposalDays,
                neverProposedDays: r.retention.neverProposedDays, matterRecordsKeptApart: r.retention.matterRecordsKeptApart),
            equality: .init(
                alertThreshold: r.equality.alertThreshold, wideningTolerance: r.equality.wideningTolerance,
                alertOn: r.equality.alertOn.compactMap { Schemas.EqualityCharacteristic(rawValue: $0.rawValue) }))
    }
}

extension Rulebook {
    /// The wire shape, with offence types checked by name; the rules themselves are checked by
    /// `Rulebook.violations()` in the use case.
    init(_ w: Schemas.Rulebook) throws {
        var v = Validator()
        var weights: [OffenceType: Double] = [:]
        for (name, weight) in w.harm.offenceWeights.additionalProperties.sorted(by: { $0.key < $1.key }) {
            if let offence = OffenceType(rawValue: name) {
                weights[offence] = weight
            } else {
                v.fail("rulebook.harm.offenceWeights.\(name)", "offence.known", "no offence type '\(name)'")
            }
        }
        try v.finish()
        self.init(
            version: w.version,
            inclusion: InclusionRules(
                minimumIndependentSources: w.inclusion.minimumIndependentSources, minimumAge: w.inclusion.minimumAge,
                childAge: w.inclusion.childAge),
            harm: HarmRules(
                offenceWeights: weights, halfLifeDays: w.harm.halfLifeDays, lookbackDays: w.harm.lookbackDays,
                weaponIntelligenceWindowDays: w.harm.weaponIntelligenceWindowDays,
                weaponIntelligenceWeight: w.harm.weaponIntelligenceWeight,
                amberFrom: w.harm.amberFrom, redFrom: w.harm.redFrom),
            review: ReviewRules(
                cadenceDays: w.review.cadenceDays, graceDays: w.review.graceDays,
                zeroScoreRemovalDays: w.review.zeroScoreRemovalDays, retentionThreshold: w.review.retentionThreshold))
        if let r = w.retention {
            retention = RetentionRules(
                victimOrWitnessDays: r.victimOrWitnessDays, rejectedProposalDays: r.rejectedProposalDays,
                neverProposedDays: r.neverProposedDays, matterRecordsKeptApart: r.matterRecordsKeptApart ?? true)
        }
        if let e = w.equality {
            equality = EqualityRules(
                alertThreshold: e.alertThreshold, wideningTolerance: e.wideningTolerance,
                alertOn: e.alertOn.map {
                    Array(Set($0.compactMap { EqualityCharacteristic(rawValue: $0.rawValue) })).sorted { $0.rawValue < $1.rawValue }
                }
                    ?? EqualityRules.standard.alertOn)
        }
    }
}

extension Schemas.RulebookVersion {
    init(_ v: RulebookVersion) throws {
        self.init(
            rulebook: .init(v.rulebook), rationale: v.rationale, proposedBy: v.proposedBy.description, proposedAt: v.proposedAt.date,
            status: try v.status.wire(), decidedBy: v.decidedBy?.description, decidedAt: v.decidedAt?.date)
    }
}

extension Schemas.Inclusion {
    init(_ i: Inclusion) throws {
        self.init(
            id: i.id.description, subjectId: i.subjectID.description, unit: try i.unit.wire(), status: try i.status.wire(),
            isChild: i.isChild,
            rulebookVersion: i.rulebookVersion,
            decisions: try i.decisions.map {
                .init(step: try $0.step.wire(), approved: $0.approved, by: $0.by.description, at: $0.at.date, reason: $0.reason)
            },
            nextReviewDue: i.nextReviewDue?.description, suspendedOn: i.suspendedOn?.description,
            removalReviewRequired: i.removalReviewRequired, removalProposed: i.removalProposedBy != nil,
            basis: try Inclusion.basis.wire())
    }
}

extension Schemas.HarmAssessment {
    init(_ a: HarmAssessment) throws {
        self.init(
            rulebookVersion: a.rulebookVersion, assessedOn: a.assessedOn.description, score: a.score, band: try a.band.wire(),
            lines: a.lines.map { .init(input: $0.input, points: $0.points, working: $0.working) },
            advisory: "Advisory only: any adverse use of this score needs a recorded human decision.", basis: .assessment)
    }
}

extension Schemas.BoroughFigures {
    init(_ f: BoroughFigures) throws {
        self.init(
            unit: try wire(f.unit.code), included: f.included, zeroScore: f.zeroScore, zeroScoreShare: f.zeroScoreShare,
            reviewsDue: f.reviewsDue,
            reviewsOverdue: f.reviewsOverdue, suspended: f.suspended, removalReviewsForced: f.removalReviewsForced, removals: f.removals,
            removalsAwaitingConfirmation: f.removalsAwaitingConfirmation,
            rejected: f.rejected, rejectionReasons: f.rejectionReasons)
    }
}

extension Schemas.ChildAction {
    init(_ a: ChildAction) throws {
        self.init(
            id: a.id.description, subjectId: a.subjectID.description, unit: try a.unit.wire(), kind: try a.kind.wire(),
            flagKind: try a.flagKind.map { try $0.wire() }, status: try a.status.wire(), safeguardingRationale: a.safeguardingRationale,
            requestedBy: a.requestedBy.description,
            decisions: try a.decisions.map {
                .init(step: try $0.step.wire(), approved: $0.approved, by: $0.by.description, at: $0.at.date, reason: $0.reason)
            })
    }
}

extension Schemas.QueuedReview {
    /// Kept out of line: inlined into the async handler, this closure's typed throw crashed the
    /// release build's coroutine splitting (swift 6.3.1, signal 11 in CoroSplit).
    @inline(never)
    init(_ q: QueuedReview) throws {
        self.init(inclusion: try .init(q.inclusion), displayName: q.displayName, standing: try q.standing.wire())
    }
}

extension APIHandler {
    func listDecisionsWaiting(_ input: Operations.ListDecisionsWaiting.Input) async throws -> Operations.ListDecisionsWaiting.Output {
        let h = input.headers
        let waiting = try await directory.decisionsWaiting(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        decisions: try waiting.decisions.map { d in
                            .init(
                                kind: try wire(d.kind.rawValue, as: Components.Schemas.DecisionKind.self), id: d.id, what: d.what,
                                askedBy: d.askedBy.description, askedByName: waiting.names[d.askedBy] ?? "another member of staff",
                                askedAt: d.askedAt?.date)
                        },
                        needAnotherPurpose: try waiting.needAnotherPurpose.map {
                            try wire($0.rawValue, as: Components.Schemas.DecisionKind.self)
                        }
                    ))))
    }
}
