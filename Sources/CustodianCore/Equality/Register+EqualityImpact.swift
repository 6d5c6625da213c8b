import Crypto
import Foundation

extension Register {
    /// Governance records the equality impact assessment of a proposed rulebook version. The
    /// simulation is run here, over everyone with an inclusion proposed or in force today, under
    /// the version in force and the proposed one, and kept with the assessment.
    public func recordEqualityImpactAssessment(
        version: Int, impact: String, mitigation: String, justification: String?, by actor: User
    ) async throws -> EqualityImpactAssessment {
        var v = Validator()
        v.check(version >= 1, "version", "rulebook.version", "rulebook versions are numbered from 1")
        try v.finish()
        let id: EqualityImpactAssessmentID = ids.next()
        return try await perform(actor, nil, action: "eia.record") { tx, gate in
            let touched = ["rulebook/\(version)/eia"]
            try gate.require(.govern, unit: nil, touched: touched)
            guard let proposed = try await tx.rulebookVersions().first(where: { $0.rulebook.version == version }) else {
                throw RegisterError.notFound(kind: "rulebook version", id: "\(version)")
            }
            guard proposed.status == .proposed else {
                throw RegisterError.conflict("rulebook version \(version) is already \(proposed.status.rawValue)")
            }
            let simulation = EqualitySimulation.run(
                try await simulationCases(tx, on: gate.now.day), inForce: try await rulebook(tx), proposed: proposed.rulebook,
                baseline: try await Self.baseline(nil, tx), on: gate.now.day)
            let assessment = try gate.refusals(touched: touched) { () throws(RegisterError) in
                try EqualityImpactAssessment.recording(
                    version: version, impact: impact, mitigation: mitigation, justification: justification, simulation: simulation,
                    id: id, by: actor, at: gate.now)
            }
            try await tx.insertEqualityImpactAssessment(assessment)
            try await tx.appendAudit([
                gate.entry(
                    .configurationChange, touched: touched + ["eia/\(id)"],
                    outcome: "\(simulation.people) people simulated; \(simulation.widened.count) disparities widen")
            ])
            return assessment
        }
    }

    /// The assessments of a version (or of all versions), for governance and the readers of the report.
    public func equalityImpactAssessments(version: Int?, by actor: User) async throws -> [EqualityImpactAssessment] {
        var v = Validator()
        if let version { v.check(version >= 1, "version", "rulebook.version", "rulebook versions are numbered from 1") }
        try v.finish()
        return try await perform(actor, nil, action: "eia.read", .consultation) { tx, gate in
            try gate.require(.readEqualityReport, unit: nil, touched: ["eia"])
            return try await tx.equalityImpactAssessments(rulebookVersion: version).sorted { $0.recordedAt < $1.recordedAt }
        }
    }

    /// Before a version is approved: an assessment of it, no unjustified widening, no alert
    /// waiting for an answer (the caller raises alerts due first, so the check is current).
    func requireEqualityImpactAssessment(version: Int, _ tx: any RegisterTransaction, _ gate: Gate) async throws {
        if let denial = EqualityImpactAssessment.approvalRefusal(
            version: version, assessments: try await tx.equalityImpactAssessments(rulebookVersion: version),
            alerts: try await tx.equalityAlerts(), on: gate.now.day)
        {
            throw Refusal(denial: denial, subjects: [], touched: ["rulebook/\(version)"])
        }
    }

    /// Everyone with an inclusion proposed or in force, as each rulebook would judge them: their
    /// groups, the evidence their inclusion rests on, and what the harm method may see.
    func simulationCases(_ tx: any RegisterTransaction, on day: LocalDate) async throws -> [EqualitySimulation.Case] {
        var cases: [EqualitySimulation.Case] = []
        for sealedInclusion in try await tx.inclusions(units: nil, statuses: [.proposed, .awaitingCentral, .included]) {
            let subjectID = sealedInclusion.subjectID
            guard let sealed = try await tx.subject(subjectID) else { continue }
            let key = try await subjectKey(subjectID, tx)
            let inclusion = try openInclusion(sealedInclusion, key: key)
            let event = try equalityEvent(.included, sealed, key: key, on: day)
            let links = try await tx.links(subject: subjectID)
            let matters = Dictionary(try await tx.matters(links.map(\.matterID)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let intelligence = try await tx.intelligence(subject: subjectID).map { try openIntelligence($0, key: key) }
            let evidence: [InclusionEvidence] = inclusion.evidence.compactMap { item in
                switch item {
                case .matter(let id):
                    matters[id].map {
                        InclusionEvidence(
                            item: item, sourceType: $0.provenance.sourceType, originatingUnit: $0.provenance.originatingUnit,
                            sourceReference: $0.provenance.sourceReference, grade: $0.grade)
                    }
                case .intelligence(let id):
                    intelligence.first { $0.id == id }.map {
                        InclusionEvidence(
                            item: item, sourceType: $0.provenance.sourceType, originatingUnit: $0.provenance.originatingUnit,
                            sourceReference: $0.provenance.sourceReference, grade: $0.grade)
                    }
                }
            }
            let age = try openPersonal(sealed, key: key).dateOfBirth.map { $0.age(on: day) }
            let linked = links.compactMap { link in matters[link.matterID].map { LinkedMatter(link: link, matter: $0) } }
            cases.append(
                EqualitySimulation.Case(
                    groups: Dictionary(
                        EqualityCharacteristic.allCases.map { ($0, event.group($0)) }, uniquingKeysWith: { first, _ in first }),
                    threshold: InclusionThreshold.Case(
                        standing: CategoryStanding(links.map(\.category)), age: age, evidence: evidence,
                        safeguardingRationale: inclusion.safeguardingRationale),
                    harm: HarmInputs(matters: linked, intelligence: intelligence, flags: try await tx.flags(subject: subjectID))))
        }
        return cases
    }
}
