import CustodianCore
import Foundation
import Testing

/// The simulation of a proposed rulebook over the people on the register, and the approval rule
/// it feeds: no assessment, a widening disparity without a justification, or an alert awaiting an
/// answer each refuse the approval.
@Suite struct EqualitySimulationTests {
    static let today = LocalDate(year: 2026, month: 11, day: 2)!

    static let proposer = UserID(UUID())

    /// A person with two independent sources behind their inclusion and one offence as a suspect.
    static func person(_ group: EthnicGroup, offence: OffenceType) -> EqualitySimulation.Case {
        let matter = MatterID(UUID())
        let evidence = [
            InclusionEvidence(
                item: .matter(matter), sourceType: .police, originatingUnit: .borough(.hackney), author: proposer, grade: nil),
            InclusionEvidence(
                item: .intelligence(IntelligenceID(UUID())), sourceType: .partner, originatingUnit: .borough(.hackney),
                source: SourceCitation(
                    id: SourceID(UUID()), kind: .partnerOrganisation, label: "Youth Offending Team", handlerUnit: .central,
                    reliability: .untested, withdrawn: false), author: UserID(UUID()),
                grade: .current(ThreeByFiveByTwo(source: .untested, assessment: .b, handling: .p, conditions: nil))),
        ]
        return EqualitySimulation.Case(
            groups: [.officerDefinedEthnicity: group.rawValue, .selfDefinedEthnicity: "not-stated", .ageBand: "18-24", .sex: "male"],
            threshold: InclusionThreshold.Case(
                standing: CategoryStanding([.suspect]), age: 22, evidence: evidence, safeguardingRationale: nil, proposer: proposer),
            harm: HarmInputs(
                offences: [
                    .init(matterID: matter, reference: "CRIS-1", offence: offence, occurredOn: today.adding(days: -30), category: .suspect)
                ], weaponIntelligence: []))
    }

    /// Black people here are mostly suspected of drug supply, White people as often of robbery.
    static let cases =
        (0..<8).map { _ in person(.black, offence: .drugSupply) } + (0..<2).map { _ in person(.black, offence: .robbery) }
        + (0..<5).map { _ in person(.white, offence: .drugSupply) } + (0..<5).map { _ in person(.white, offence: .robbery) }

    /// In force: robbery weighs enough to be red and drug supply does not.
    static var robberyRed: Rulebook {
        var r = Rulebook.first
        r.harm.offenceWeights[.robbery] = 1200
        r.harm.offenceWeights[.drugSupply] = 300
        return r
    }

    /// Outside governance the simulation is published like the report: no count from 1 to 9, and
    /// none that the groups of another characteristic, adding up to the same total, give away.
    @Test func thePublishedSimulationHidesSmallCountsAndWhatWouldRevealThem() throws {
        var proposed = Rulebook.first
        proposed.version = 2
        let full = EqualitySimulation.run(Self.cases, inForce: Self.robberyRed, proposed: proposed, baseline: nil, on: Self.today)
        let published = full.published
        let red = try #require(
            published.rows.first { $0.measure == .red && $0.characteristic == .officerDefinedEthnicity && $0.group == "black" })
        #expect(red.inForce.count == nil && red.inForce.rate == nil && red.inForce.relativeRate == nil, "2 of 10 is hidden")
        #expect(red.widens, "the finding stands: it is why the justification is needed")
        let counts = published.rows.flatMap { [$0.inForce.count, $0.proposed.count] }.compactMap { $0 }
        #expect(!counts.contains { (1...9).contains($0) })
        // The reader's own elimination: each characteristic's groups add to one unpublished total.
        struct Cell: Hashable {
            let measure: EqualitySimulation.Measure, proposed: Bool, characteristic: EqualityCharacteristic?, group: String?
        }
        var shown: [Cell: Int] = [:]
        var hidden = Set<Cell>()
        var equations: [[Cell]] = []
        for measure in EqualitySimulation.Measure.allCases {
            for isProposed in [false, true] {
                let total = Cell(measure: measure, proposed: isProposed, characteristic: nil, group: nil)
                hidden.insert(total)
                for characteristic in EqualityCharacteristic.allCases {
                    let rows = published.rows.filter { $0.measure == measure && $0.characteristic == characteristic }
                    var equation = [total]
                    for row in rows {
                        let cell = Cell(measure: measure, proposed: isProposed, characteristic: characteristic, group: row.group)
                        equation.append(cell)
                        if let count = (isProposed ? row.proposed : row.inForce).count { shown[cell] = count } else { hidden.insert(cell) }
                    }
                    equations.append(equation)
                }
            }
        }
        let solved = ExactSolver.determined(equations: equations, hidden: hidden, shown: shown)
        #expect(solved.isEmpty, "\(solved)")
    }

    @Test func aProposalThatMakesDrugSupplyRedWidensTheDisparityInTheRedBand() throws {
        var proposed = Rulebook.first
        proposed.version = 2
        let simulation = EqualitySimulation.run(Self.cases, inForce: Self.robberyRed, proposed: proposed, baseline: nil, on: Self.today)
        #expect(simulation.people == 20 && simulation.denominator == "the people simulated in each group")
        let red = try #require(
            simulation.rows.first { $0.measure == .red && $0.characteristic == .officerDefinedEthnicity && $0.group == "black" })
        // In force: 2 of 10 Black and 5 of 10 White people red, RR 0.4; proposed: 8 and 5, RR 1.6.
        #expect(red.inForce.count == 2 && red.proposed.count == 8)
        let (before, after) = (try #require(red.inForce.relativeRate), try #require(red.proposed.relativeRate))
        #expect(abs(before - 0.4) < 1e-9 && abs(after - 1.6) < 1e-9)
        #expect(red.widens)
        // Everyone meets the threshold under both: inclusion does not move.
        let included = simulation.rows.filter { $0.measure == .included && $0.characteristic == .officerDefinedEthnicity }
        #expect(included.allSatisfy { $0.inForce.count == $0.proposed.count && !$0.widens })
        #expect(simulation.widened.map(\.group) == ["black"])
        // The other way round narrows it: nothing widens.
        var back = Self.robberyRed
        back.version = 3
        #expect(EqualitySimulation.run(Self.cases, inForce: proposed, proposed: back, baseline: nil, on: Self.today).widened.isEmpty)
    }

    @Test func approvalNeedsAnAssessmentAJustifiedWideningAndEveryAlertAnswered() throws {
        var proposed = Rulebook.first
        proposed.version = 2
        let simulation = EqualitySimulation.run(Self.cases, inForce: Self.robberyRed, proposed: proposed, baseline: nil, on: Self.today)
        let governance = User(
            id: UserID(UUID()), username: "dpo", displayName: "DPO", role: .governance, unit: .central, trainingCompletedOn: Self.today,
            createdAt: Timestamp(microseconds: 0))
        let now = Timestamp(Self.today.startOfDay)
        func assessment(_ justification: String?) throws -> EqualityImpactAssessment {
            try EqualityImpactAssessment.recording(
                version: 2, impact: "Drug supply becomes red; Black people are more often suspected of it here.",
                mitigation: "Drug supply intelligence is audited for source bias before the version takes effect.",
                justification: justification, simulation: simulation, id: EqualityImpactAssessmentID(UUID()), by: governance, at: now)
        }
        #expect(EqualityImpactAssessment.approvalRefusal(version: 2, assessments: [], alerts: [], on: Self.today)?.rule == "eia.none")
        let unjustified = try assessment(nil)
        #expect(
            EqualityImpactAssessment.approvalRefusal(version: 2, assessments: [unjustified], alerts: [], on: Self.today)?.rule
                == "eia.widening")
        // An assessment of another version does not count.
        #expect(
            EqualityImpactAssessment.approvalRefusal(version: 3, assessments: [unjustified], alerts: [], on: Self.today)?.rule == "eia.none"
        )
        let justified = try assessment("The harm of drug supply is under-weighted today; the audit of sources comes first.")
        #expect(EqualityImpactAssessment.approvalRefusal(version: 2, assessments: [justified], alerts: [], on: Self.today) == nil)

        let alert = EqualityAlert(
            id: EqualityAlertID(UUID()), from: Self.today, until: Self.today,
            finding: .init(
                borough: .hackney, stage: .recorded, characteristic: .officerDefinedEthnicity, group: "black", count: 40,
                relativeRate: 13.3, lower95: 7.0, upper95: 25.3),
            threshold: 2, rulebookVersion: 1, raisedAt: now)
        #expect(
            EqualityImpactAssessment.approvalRefusal(version: 2, assessments: [justified], alerts: [alert], on: Self.today)?.rule
                == "equality.alerts-unanswered")
        let answered = try alert.answering(
            reason: "Recording practice in the borough was reviewed; intelligence sources were checked.",
            action: "Quarterly dip sample of recordings by the SPOC, reported to the board.",
            reviewOn: Self.today.adding(days: 90).description, by: governance, at: now)
        #expect(EqualityImpactAssessment.approvalRefusal(version: 2, assessments: [justified], alerts: [answered], on: Self.today) == nil)
        // A response lasts until its review date; then the alert waits again.
        #expect(
            answered.isAwaitingResponse(on: Self.today.adding(days: 90)) && !answered.isAwaitingResponse(on: Self.today.adding(days: 89)))
    }
}
