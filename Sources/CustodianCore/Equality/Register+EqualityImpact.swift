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
        return try await perform(actor, nil, action: .eiaRecord) { tx, gate in
            let touched: [AuditResource] = [AuditResource(.rulebook, version, part: "eia")]
            guard let proposed = try await tx.rulebookVersions().first(where: { $0.rulebook.version == version }) else {
                throw RegisterError.notFound(kind: "rulebook version", id: "\(version)")
            }
            guard proposed.status == .proposed else {
                throw RegisterError.conflict("rulebook version \(version) is already \(proposed.status.rawValue)")
            }
            let simulation = EqualitySimulation.run(
                try await simulationCases(tx, on: gate.now.day, gate), inForce: try await rulebook(tx), proposed: proposed.rulebook,
                baseline: try await Self.baseline(nil, tx), on: gate.now.day)
            let assessment = try gate.refusals(touched: touched) { () throws(RegisterError) in
                try EqualityImpactAssessment.recording(
                    version: version, impact: impact, mitigation: mitigation, justification: justification, simulation: simulation,
                    id: id, by: actor, at: gate.now)
            }
            try await tx.insertEqualityImpactAssessment(assessment)
            try await tx.appendAudit([
                gate.entry(
                    .configurationChange, touched: touched + [AuditResource(.eia, id)],
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
        return try await perform(actor, nil, action: .eiaRead, .consultation) { tx, gate in
            let all = try await tx.equalityImpactAssessments(rulebookVersion: version).sorted { $0.recordedAt < $1.recordedAt }
            return AccessPolicy.readsUnsuppressed(actor) ? all : all.map(\.published)
        }
    }

    /// Before a version is approved: an assessment of it, no unjustified widening, no alert
    /// waiting for an answer (the caller raises alerts due first, so the check is current).
    func requireEqualityImpactAssessment(version: Int, _ tx: any RegisterTransaction, _ gate: Gate) async throws {
        if let denial = EqualityImpactAssessment.approvalRefusal(
            version: version, assessments: try await tx.equalityImpactAssessments(rulebookVersion: version),
            alerts: try await tx.equalityAlerts(), on: gate.now.day)
        {
            throw Refusal(denial: denial, subjects: [], touched: [AuditResource(.rulebook, version)])
        }
    }

    /// Everyone with an inclusion proposed or in force, as each rulebook would judge them: their
    /// groups, the evidence their inclusion rests on, and what the harm method may see.
    ///
    /// Read a page of people at a time, each kind of record once for the page: read a person at a
    /// time, six statements each, it held the assessment's write (SQLite's one writer) for as long
    /// as everyone included took.
    func simulationCases(_ tx: any RegisterTransaction, on day: LocalDate, _ gate: Gate) async throws -> [EqualitySimulation.Case] {
        let inclusions = try await tx.inclusions(units: nil, statuses: [.proposed, .awaitingCentral, .included])
        var cases: [EqualitySimulation.Case] = []
        for start in stride(from: 0, to: inclusions.count, by: 500) {
            cases += try await simulationCases(Array(inclusions[start..<min(start + 500, inclusions.count)]), tx, on: day, gate)
        }
        return cases
    }

    private func simulationCases(_ page: [SealedInclusion], _ tx: any RegisterTransaction, on day: LocalDate, _ gate: Gate) async throws
        -> [EqualitySimulation.Case]
    {
        let ids = page.map(\.subjectID)
        let subjects = try await subjectsByID(ids, tx)
        let keys = try await subjectKeys(Array(subjects.keys))
        let links = Dictionary(grouping: try await tx.links(subjects: ids), by: \.subjectID)
        let matters = Dictionary(
            try await tx.matters(links.values.joined().map(\.matterID)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let items = Dictionary(grouping: try await tx.intelligence(subjects: ids), by: \.subjectID)
        let flags = Dictionary(grouping: try await tx.flags(subjects: ids), by: \.subjectID)
        let cited = try await tx.sources(
            matters.values.compactMap(\.provenance.source) + items.values.joined().compactMap(\.provenance.source))
        return try page.compactMap { sealedInclusion -> EqualitySimulation.Case? in
            let subjectID = sealedInclusion.subjectID
            guard let sealed = subjects[subjectID] else { return nil }
            let key = try keys.key(for: subjectID)
            let inclusion = try openInclusion(sealedInclusion, key: key)
            let event = try equalityEvent(.included, sealed, key: key, on: day, gate)
            let own = links[subjectID] ?? []
            // Only the person's own linked matters, as when they were read one person at a time.
            let linkedMatters = Set(own.map(\.matterID))
            let intelligence = try (items[subjectID] ?? []).map { try openIntelligence($0, key: key) }
            let evidence: [InclusionEvidence] = inclusion.evidence.compactMap { item in
                switch item {
                case .matter(let id):
                    (linkedMatters.contains(id) ? matters[id] : nil).map {
                        InclusionEvidence(
                            item: item, sourceType: $0.provenance.sourceType, originatingUnit: $0.provenance.originatingUnit,
                            source: $0.provenance.source.flatMap { cited[$0]?.citation }, author: $0.provenance.author, grade: $0.grade)
                    }
                case .intelligence(let id):
                    intelligence.first { $0.id == id }.map {
                        InclusionEvidence(
                            item: item, sourceType: $0.provenance.sourceType, originatingUnit: $0.provenance.originatingUnit,
                            source: $0.provenance.source.flatMap { cited[$0]?.citation }, author: $0.provenance.author, grade: $0.grade)
                    }
                }
            }
            let age = try openPersonal(sealed, key: key).dateOfBirth.map { $0.age(on: day) }
            let linked = own.compactMap { link in matters[link.matterID].map { LinkedMatter(link: link, matter: $0) } }
            return EqualitySimulation.Case(
                groups: Dictionary(EqualityCharacteristic.allCases.map { ($0, event.group($0)) }, uniquingKeysWith: { first, _ in first }),
                threshold: InclusionThreshold.Case(
                    standing: CategoryStanding(own.map(\.category)), age: age, evidence: evidence,
                    safeguardingRationale: inclusion.safeguardingRationale, proposer: inclusion.proposedBy),
                harm: HarmInputs(matters: linked, intelligence: intelligence, flags: flags[subjectID] ?? []))
        }
    }
}
