@testable import CustodianCore
import Foundation
import Testing

/// The disclosure permit (`Monitor.disclosure`), the only value the store writes a disclosure
/// from: tried directly, as a new door that skipped the use case's own checks would reach it. A
/// restricted record, a person the agreement does not reach, a child before the central step,
/// and a use case that does not declare a disclosure are each refused by the monitor itself; what
/// it lets through is built by it, without what a handling code withholds.
@Suite struct DisclosureMonitorTests {
    static let now = Timestamp(LocalDate(iso: "2026-06-01")!.startOfDay)
    let rulebook = Rulebook.first
    let agreement = SharingTests.agreement()

    func gate(_ useCase: UseCase = .shareDecide) -> Gate {
        let spoc = User(
            id: UserID(UUID()), username: "spoc", displayName: "SPOC", role: .boroughSPOC, unit: .borough(.hackney),
            trainingCompletedOn: LocalDate(iso: "2026-01-01"), createdAt: Timestamp(microseconds: 0))
        return Gate(actor: spoc, purpose: nil, action: useCase, now: Self.now)
    }

    func outgoing(born: String? = "2000-01-01", restricted: Bool = false, band: HarmBand = .red, items: [IntelligenceItem] = [])
        -> Outgoing
    {
        let id = SubjectID(UUID())
        let inclusion = Inclusion(
            id: InclusionID(UUID()), subjectID: id, unit: .hackney, proposedBy: UserID(UUID()), proposedAt: Timestamp(microseconds: 0),
            evidence: [], rationale: "r", safeguardingRationale: nil, isChild: false, rulebookVersion: 1, status: .included,
            nextReviewDue: LocalDate(iso: "2026-07-01"), suspendedOn: nil)
        let view = SubjectView(
            id: id, unit: .hackney,
            personal: PersonalDetails(
                names: [PersonName(given: "Ottoline", family: "Brackenbury")], aliases: [], nickname: nil,
                dateOfBirth: born.flatMap(LocalDate.init(iso:)), addresses: [], pncID: nil, sex: .female),
            safeguarding: Safeguarding(age: 26), categories: [], matters: [], intelligence: items, flags: [],
            provenance: Provenance(
                sourceType: .police, originatingUnit: .borough(.hackney), author: UserID(UUID()), recordedAt: Timestamp(microseconds: 0)),
            restriction: nil, inclusion: inclusion, harm: nil)
        return Outgoing(
            facts: PersonFacts(
                id: id, dateOfBirth: born.flatMap(LocalDate.init(iso:)), standing: CategoryStanding([.suspect]), restricted: restricted),
            candidate: ShareCandidate(
                subjectID: id, categories: [.suspect], inclusion: inclusion, band: band, score: 1200, restricted: restricted,
                intelligence: items.map { (id: $0.id, grade: $0.grade) }),
            view: view, ref: "R-\(id.description.prefix(6))", lastReviewed: nil)
    }

    func permit(_ people: [Outgoing], central: Bool = false, _ useCase: UseCase = .shareDecide) throws -> SealedDisclosure {
        let header = DisclosureHeader(
            id: DisclosureID(UUID()), requestID: ShareRequestID(UUID()), agreementID: agreement.id, partnerID: agreement.partners[0],
            unit: .hackney, purpose: "Diversion", expiresOn: LocalDate(iso: "2026-09-01")!, watermark: "CUSTODIAN-W",
            createdAt: Self.now)
        return try Monitor.disclosure(
            header, people, agreement: agreement, rulebook: rulebook, acknowledged: [], centralStep: central,
            seal: { record, _ in try JSONEncoder().encode(record) }, gate(useCase)
        ).value
    }

    func rule(_ body: () throws -> SealedDisclosure) -> String? {
        do {
            _ = try body()
            return nil
        } catch let refusal as Refusal {
            return refusal.denial.rule.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test func anEligibleAdultGoesAndTheRecordIsBuiltByTheMonitor() throws {
        let legacy = IntelligenceItem(
            id: IntelligenceID(UUID()), subjectID: SubjectID(UUID()), unit: .hackney,
            grade: .legacy(FiveByFiveByFive(source: "B", intelligence: "2", handling: "4")), basis: .assessment,
            provenance: Provenance(
                sourceType: .police, originatingUnit: .borough(.hackney), author: UserID(UUID()), recordedAt: Timestamp(microseconds: 0)),
            content: IntelligenceContent(text: "Never to leave the service"))
        let sent = try permit([outgoing(items: [legacy])])
        #expect(sent.records.count == 1)
        let text = String(decoding: sent.records[0].sealed, as: UTF8.self)
        #expect(text.contains("Ottoline Brackenbury") && text.contains("CUSTODIAN-W"))
        #expect(!text.contains("Never to leave"), "a legacy code 4 item left")
    }

    @Test func theMonitorRefusesWhatAUseCaseMightHaveForgotten() {
        #expect(rule { try permit([outgoing(restricted: true)]) } == "subject.restricted")
        #expect(rule { try permit([outgoing(band: .green)]) } == "share.band")
        #expect(rule { try permit([outgoing(born: "2012-01-01")]) } == "share.central")
        #expect(rule { try permit([outgoing(born: nil)]) } == "share.central", "unknown age is treated as a child")
        #expect(rule { try permit([outgoing(born: "2012-01-01")], central: true) } == nil)
        #expect(rule { try permit([outgoing()], .shareRequest) }?.contains("does not declare") == true)
    }
}
