import CustodianAPI
import CustodianCore
import Foundation

/// Equality monitoring over the API: the report, baselines, alerts and impact assessments.
extension APIHandler {
    func getEqualityReport(_ input: Operations.GetEqualityReport.Input) async throws -> Operations.GetEqualityReport.Output {
        let q = input.query
        let actor = try Identity.required()
        let published = q.published ?? false
        let (from, until) = try EqualityReport.period(
            from: q.from, until: q.until, period: q.period, today: register.clock.now().day,
            published: published || !AccessPolicy.readsUnsuppressed(actor))
        let report = try await register.equalityReport(
            from: from, until: until, baseline: try q.baseline.map { try id($0, "baseline") }, published: published, by: actor)
        return .ok(.init(body: .json(try .init(report))))
    }

    func listEqualityBaselines(_ input: Operations.ListEqualityBaselines.Input) async throws -> Operations.ListEqualityBaselines.Output {
        .ok(.init(body: .json(try await register.equalityBaselines(by: try Identity.required()).map { try .init($0) })))
    }

    func loadEqualityBaseline(_ input: Operations.LoadEqualityBaseline.Input) async throws -> Operations.LoadEqualityBaseline.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let baseline = try await register.loadEqualityBaseline(csv: b.csv, name: b.name, source: b.source, by: try Identity.required())
        return .created(.init(body: .json(try .init(baseline))))
    }

    func listEqualityAlerts(_ input: Operations.ListEqualityAlerts.Input) async throws -> Operations.ListEqualityAlerts.Output {
        let today = register.clock.now().day
        return .ok(.init(body: .json(try await register.equalityAlerts(by: try Identity.required()).map { try .init($0, on: today) })))
    }

    func answerEqualityAlert(_ input: Operations.AnswerEqualityAlert.Input) async throws -> Operations.AnswerEqualityAlert.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let alert = try await register.answerEqualityAlert(
            try id(input.path.id, "id"), reason: b.reason, action: b.action, reviewOn: b.reviewOn, by: try Identity.required())
        return .ok(.init(body: .json(try .init(alert, on: register.clock.now().day))))
    }

    func listEqualityImpactAssessments(_ input: Operations.ListEqualityImpactAssessments.Input) async throws
        -> Operations.ListEqualityImpactAssessments.Output
    {
        let all = try await register.equalityImpactAssessments(version: input.path.version, by: try Identity.required())
        return .ok(.init(body: .json(try all.map { try .init($0) })))
    }

    func recordEqualityImpactAssessment(_ input: Operations.RecordEqualityImpactAssessment.Input) async throws
        -> Operations.RecordEqualityImpactAssessment.Output
    {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let assessment = try await register.recordEqualityImpactAssessment(
            version: input.path.version, impact: b.impact, mitigation: b.mitigation, justification: b.justification,
            by: try Identity.required())
        return .created(.init(body: .json(try .init(assessment))))
    }
}

extension Schemas.EqualityReport {
    init(_ r: EqualityReport) throws {
        self.init(
            from: r.from.description, until: r.until.description,
            baseline: r.baseline.map { .init(id: $0.id.description, name: $0.name, source: $0.source, sha256: $0.digest) },
            suppressed: r.suppressed, ethnicityWithheld: r.ethnicityWithheld, method: EqualityReport.method,
            caveats: EqualityReport.caveats,
            areas: try r.areas.map { area in
                Schemas.EqualityArea(
                    borough: try area.borough.map { try wire($0.rawValue) }, name: area.name,
                    stages: try area.stages.map { stage in
                        Schemas.EqualityStageFigures(
                            stage: try stage.stage.wire(), label: stage.stage.label, total: stage.total,
                            breakdowns: try stage.breakdowns.map { b in
                                Schemas.EqualityBreakdown(
                                    characteristic: try b.characteristic.wire(),
                                    rows: b.rows.map {
                                        Schemas.EqualityRow(
                                            group: $0.group, label: $0.label, isReference: $0.isReference, count: $0.count,
                                            population: $0.population, ratePerThousand: $0.ratePerThousand,
                                            relativeRate: $0.relativeRate, lower95: $0.lower95, upper95: $0.upper95)
                                    })
                            })
                    })
            })
    }
}

extension Schemas.EqualityBaseline {
    init(_ b: EqualityBaseline) throws {
        self.init(
            id: b.id.description, name: b.name, source: b.source, sha256: b.digest, loadedBy: b.loadedBy.description,
            loadedAt: b.loadedAt.date, boroughs: try b.coveredBoroughs.map { try wire($0.rawValue) },
            figures: .init(additionalProperties: b.figures))
    }
}

extension Schemas.EqualityAlert {
    init(_ a: EqualityAlert, on day: LocalDate) throws {
        let f = a.finding
        self.init(
            id: a.id.description, from: a.from.description, until: a.until.description, headline: a.headline,
            finding: .init(
                borough: try f.borough.map { try wire($0.rawValue) }, stage: try f.stage.wire(),
                characteristic: try f.characteristic.wire(),
                group: f.group, count: f.count, relativeRate: f.relativeRate, lower95: f.lower95, upper95: f.upper95),
            threshold: a.threshold, rulebookVersion: a.rulebookVersion, raisedAt: a.raisedAt.date,
            awaitingResponse: a.isAwaitingResponse(on: day),
            responses: a.responses.map {
                .init(reason: $0.reason, action: $0.action, reviewOn: $0.reviewOn.description, by: $0.by.description, at: $0.at.date)
            })
    }
}

extension Schemas.EqualityImpactAssessment {
    init(_ e: EqualityImpactAssessment) throws {
        let s = e.simulation
        self.init(
            id: e.id.description, rulebookVersion: e.rulebookVersion, impact: e.impact, mitigation: e.mitigation,
            justification: e.justification,
            simulation: .init(
                inForceVersion: s.inForceVersion, proposedVersion: s.proposedVersion, asOf: s.asOf.description, people: s.people,
                denominator: s.denominator, tolerance: s.tolerance,
                rows: try s.rows.map {
                    .init(
                        measure: try $0.measure.wire(), characteristic: try $0.characteristic.wire(), group: $0.group,
                        isReference: $0.isReference, denominator: $0.denominator,
                        inForce: .init(count: $0.inForce.count, rate: $0.inForce.rate, relativeRate: $0.inForce.relativeRate),
                        proposed: .init(count: $0.proposed.count, rate: $0.proposed.rate, relativeRate: $0.proposed.relativeRate),
                        widens: $0.widens)
                }),
            recordedBy: e.recordedBy.description, recordedAt: e.recordedAt.date)
    }
}
