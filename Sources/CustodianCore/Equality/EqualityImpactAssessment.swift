public typealias EqualityImpactAssessmentID = Identifier<EqualityImpactAssessment>

/// The equality impact assessment of a proposed rulebook version (PSED s.149, E5): what governance
/// found about its effect on people who share a protected characteristic, what it will do about
/// it, and the simulation it rests on. A version is approved only with one; where the simulation
/// shows a disparity widening beyond the rulebook's tolerance, only with a recorded justification.
public struct EqualityImpactAssessment: Sendable, Codable, Equatable {
    public let id: EqualityImpactAssessmentID
    public let rulebookVersion: Int
    /// The likely effect on each group, read from the simulation and anything else known.
    public let impact: String
    /// What will be done to reduce or watch it.
    public let mitigation: String
    /// Why the version should go ahead although a disparity widens; required in that case alone.
    public let justification: String?
    public let simulation: EqualitySimulation
    public let recordedBy: UserID
    public let recordedAt: Timestamp

    /// As anyone outside governance reads it: the simulation suppressed.
    public var published: EqualityImpactAssessment {
        EqualityImpactAssessment(
            id: id, rulebookVersion: rulebookVersion, impact: impact, mitigation: mitigation, justification: justification,
            simulation: simulation.published, recordedBy: recordedBy, recordedAt: recordedAt)
    }

    public static func recording(
        version: Int, impact: String, mitigation: String, justification: String?, simulation: EqualitySimulation,
        id: EqualityImpactAssessmentID, by user: User, at now: Timestamp
    ) throws(RegisterError) -> EqualityImpactAssessment {
        try AccessPolicy.require(user, runs: .eiaRecord)
        var v = Validator()
        let impactText = v.text(impact, "impact", max: 8000)
        let mitigationText = v.text(mitigation, "mitigation", max: 8000)
        let justificationText = v.text(justification, "justification", max: 8000, required: false)
        for (field, text) in [("impact", impactText), ("mitigation", mitigationText), ("justification", justificationText)] {
            if let text, text.count < 40 { v.fail(field, "eia.substance", "\(field) needs at least 40 characters: say what, not that") }
        }
        let (i, m) = try v.finish(impactText, mitigationText)
        return EqualityImpactAssessment(
            id: id, rulebookVersion: version, impact: i, mitigation: m, justification: justificationText, simulation: simulation,
            recordedBy: user.id, recordedAt: now)
    }

    /// Why a rulebook version may not be approved yet, if it may not: no assessment of it, a
    /// widening disparity without a justification, or equality alerts awaiting a response.
    public static func approvalRefusal(
        version: Int, assessments: [EqualityImpactAssessment], alerts: [EqualityAlert], on day: LocalDate
    ) -> AccessDenial? {
        guard let latest = assessments.filter({ $0.rulebookVersion == version }).max(by: { $0.recordedAt < $1.recordedAt }) else {
            return .noEqualityAssessment(version)
        }
        if !latest.simulation.widened.isEmpty, latest.justification == nil {
            let groups = latest.simulation.widened.map { "\($0.characteristic.label(of: $0.group)) (\($0.measure.rawValue))" }
            return .disparityWidening(groups)
        }
        let waiting = alerts.filter { $0.isAwaitingResponse(on: day) }
        if !waiting.isEmpty {
            return .alertsUnanswered(waiting.count)
        }
        return nil
    }
}
