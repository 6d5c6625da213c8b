import CustodianCore
import Foundation
import Testing

/// The sharing rules as plain functions: agreements' standing, two approvals, who may be shared.
@Suite struct SharingTests {
    static let today = LocalDate(iso: "2026-06-01")!
    let rulebook = Rulebook.first

    static func agreement(safeguarding: Bool = false, status: SharingAgreement.Status = .approved, expires: String = "2027-01-01")
        -> SharingAgreement
    {
        SharingAgreement(
            id: AgreementID(UUID()), title: "Hackney YOT", partners: [PartnerID(UUID())], purpose: "Diversion of young people",
            legalPower: "Crime and Disorder Act 1998 s.115", fields: [.name, .dateOfBirth], categories: [.suspect, .convicted],
            bands: [.red, .amber], safeguarding: safeguarding, handlingConditions: nil, onwardSharing: false, retentionDays: 90,
            securityTerms: "Secure email only", signatories: ["Hackney YOT manager"], startsOn: LocalDate(iso: "2026-01-01")!,
            reviewOn: LocalDate(iso: "2026-07-01")!, expiresOn: LocalDate(iso: expires)!, status: status, approvals: [], reviews: [],
            draftedBy: UserID(UUID()))
    }

    func inclusion(due: LocalDate, suspended: Bool = false) -> Inclusion {
        Inclusion(
            id: InclusionID(UUID()), subjectID: SubjectID(UUID()), unit: .hackney, proposedBy: UserID(UUID()),
            proposedAt: Timestamp(microseconds: 0),
            evidence: [], rationale: "r", safeguardingRationale: nil, isChild: false, rulebookVersion: 1, status: .included,
            nextReviewDue: due, suspendedOn: suspended ? Self.today : nil)
    }

    func candidate(
        _ categories: Set<Category> = [.suspect], inclusion: Inclusion? = nil, band: HarmBand? = .red, score: Double? = 1200,
        restricted: Bool = false, intelligence: [(id: IntelligenceID, grade: IntelligenceGrade)] = []
    ) -> ShareCandidate {
        ShareCandidate(
            subjectID: SubjectID(UUID()), categories: categories, inclusion: inclusion ?? self.inclusion(due: Self.today.adding(days: 30)),
            band: band, score: score, restricted: restricted, intelligence: intelligence)
    }

    func rules(_ c: ShareCandidate, _ a: SharingAgreement = agreement(), acknowledged: Set<IntelligenceID> = []) -> [String] {
        ShareEligibility.reasons(c, under: a, on: Self.today, rulebook: rulebook, acknowledged: acknowledged).map(\.rule.rawValue)
    }

    static func grade(_ source: ThreeByFiveByTwo.Source, _ assessment: ThreeByFiveByTwo.Assessment, c: Bool = false) -> IntelligenceGrade {
        .current(
            ThreeByFiveByTwo(
                source: source, assessment: assessment, handling: c ? .c : .p, conditions: c ? "Not for housing decisions" : nil))
    }

    @Test func anIncludedSuspectInBandUnderAnActiveAgreementIsShared() {
        #expect(rules(candidate()) == [])
    }

    @Test func noActiveAgreementNoShare() {
        #expect(rules(candidate(), Self.agreement(status: .draft)) == ["share.agreement-inactive"])
        #expect(rules(candidate(), Self.agreement(expires: "2026-05-31")) == ["share.agreement-inactive"])
        #expect(Self.agreement(expires: "2026-05-31").standing(on: Self.today) == .expired)
        #expect(rules(candidate(), Self.agreement(status: .suspended)) == ["share.agreement-inactive"])
    }

    @Test func victimsAndZeroScoresOnlyUnderASafeguardingAgreementThatNamesThem() {
        let victim = candidate([.victim], inclusion: nil, band: nil, score: nil)
        #expect(rules(victim) == ["share.protected-only", "share.category"])
        var safeguarding = Self.agreement(safeguarding: true)
        safeguarding.categories = [.victim]
        #expect(rules(victim, safeguarding) == [])
        let zero = candidate(band: .green, score: 0)
        #expect(rules(zero) == ["share.zero-score", "share.band"])
        safeguarding.categories = [.suspect]
        #expect(rules(zero, safeguarding) == [])
    }

    @Test func overdueSuspendedRestrictedAndUnacknowledgedConditionsAreExcluded() {
        #expect(rules(candidate(inclusion: inclusion(due: Self.today.adding(days: -3)))) == ["share.review-overdue"])
        #expect(
            rules(candidate(inclusion: inclusion(due: Self.today.adding(days: -20), suspended: true))) == [
                "share.suspended", "share.review-overdue",
            ])
        #expect(rules(candidate(restricted: true)) == ["share.restricted"])
        let (first, second) = (IntelligenceID(UUID()), IntelligenceID(UUID()))
        let conditional = candidate(intelligence: [
            (first, Self.grade(.reliable, .b, c: true)), (second, Self.grade(.reliable, .a, c: true)),
        ])
        #expect(rules(conditional) == ["share.handling-conditions", "share.handling-conditions"])
        #expect(
            rules(conditional, acknowledged: [first]) == ["share.handling-conditions"],
            "each item's conditions are acknowledged on their own")
        #expect(rules(conditional, acknowledged: [first, second]) == [])
        #expect(rules(candidate(band: .green, score: 40)) == ["share.band"])
        #expect(rules(candidate(band: nil, score: nil)) == ["share.band"], "no assessment, no band: not in the agreement's scope")
    }

    @Test func handlingCodesAndWeakGradesAreDecidedItemByItem() {
        let id = IntelligenceID(UUID())
        func withheld(_ grade: IntelligenceGrade, _ a: SharingAgreement = Self.agreement(), acknowledged: Set<IntelligenceID> = [])
            -> String?
        {
            Dissemination.withheld(id, grade: grade, under: a, acknowledged: acknowledged)?.rule.rawValue
        }
        #expect(withheld(Self.grade(.reliable, .a)) == nil)
        #expect(withheld(Self.grade(.reliable, .a, c: true)) == "share.handling-conditions")
        #expect(withheld(Self.grade(.reliable, .a, c: true), acknowledged: [id]) == nil)
        #expect(withheld(.legacy(FiveByFiveByFive(source: "A", intelligence: "1", handling: "4"))) == "share.legacy-handling")
        var permissive = Self.agreement()
        permissive.sharesWeakIntelligence = true
        #expect(
            withheld(.legacy(FiveByFiveByFive(source: "A", intelligence: "1", handling: "5")), permissive) == "share.legacy-handling",
            "handling codes 4 and 5 never leave, whatever the agreement says")
        #expect(withheld(.legacy(FiveByFiveByFive(source: "B", intelligence: "2", handling: "1"))) == nil)
        #expect(withheld(Self.grade(.reliable, .e)) == "share.weak-grade")
        #expect(withheld(Self.grade(.notReliable, .a)) == "share.weak-grade")
        #expect(withheld(.legacy(FiveByFiveByFive(source: "E", intelligence: "2", handling: "1"))) == "share.weak-grade")
        #expect(withheld(Self.grade(.notReliable, .a), permissive) == nil, "an agreement may say so explicitly")
        #expect(withheld(Self.grade(.reliable, .e), permissive) == nil)
    }

    @Test func unknownAgeTakesTheChildRouteAndUnderTenNever() {
        #expect(ChildSafeguards.route(age: nil, rulebook) == .child)
        #expect(ChildSafeguards.route(age: 9, rulebook) == .never)
        #expect(ChildSafeguards.route(age: 10, rulebook) == .child)
        #expect(ChildSafeguards.route(age: 17, rulebook) == .child)
        #expect(ChildSafeguards.route(age: 18, rulebook) == .adult)
        #expect(Safeguarding(age: nil).isChild)
    }

    @Test func aRecallWithdrawsTheRecordsItNamesOrTheWholeDisclosure() {
        func recall(_ refs: [String]) -> Recall {
            Recall(
                id: RecallID(UUID()), disclosureID: DisclosureID(UUID()), partnerID: PartnerID(UUID()), unit: .hackney, recordRefs: refs,
                reason: .restriction, raisedAt: Timestamp(microseconds: 0))
        }
        #expect(recall(["R-1"]).withdraws("R-1") && !recall(["R-1"]).withdraws("R-2"))
        #expect(recall([]).withdraws("R-2") && recall([]).isWholeDisclosure)
    }

    @Test func anAgreementNeedsTwoDifferentGovernanceApprovals() throws {
        func user(_ role: Role) -> User {
            User(
                id: UserID(UUID()), username: "u", displayName: "U", role: role, unit: .central, trainingCompletedOn: nil,
                createdAt: Timestamp(microseconds: 0))
        }
        let dpo = user(.governance)
        let once = try Self.agreement(status: .draft).approving(by: dpo)
        #expect(once.status == .draft)
        #expect(throws: RegisterError.self) { try once.approving(by: dpo) }
        #expect(throws: RegisterError.self) { try once.approving(by: user(.boroughSPOC)) }
        #expect(try once.approving(by: user(.governance)).status == .approved)
    }

    @Test func aFieldOutsideTheAllowListNeverLeaves() {
        let view = SubjectView(
            id: SubjectID(UUID()), unit: .hackney,
            personal: PersonalDetails(
                names: [PersonName(given: "Ottoline", family: "Brackenbury")], aliases: ["Brax"], nickname: "Quill",
                dateOfBirth: LocalDate(iso: "2004-05-06"), addresses: ["1 Invented Road"], pncID: "04/1234567A", sex: .female),
            safeguarding: Safeguarding(age: 22), categories: [], matters: [], intelligence: [], flags: [],
            provenance: Provenance(
                sourceType: .police, originatingUnit: .borough(.hackney), author: UserID(UUID()), recordedAt: Timestamp(microseconds: 0)),
            restriction: nil, inclusion: nil, harm: nil)
        let record = DisclosedRecord(
            view, recordRef: "R-1", fields: [.name, .dateOfBirth], categories: [.suspect], lastReviewed: Self.today, band: .red,
            watermark: "CUSTODIAN-X")
        let json = String(decoding: try! JSONEncoder().encode(record), as: UTF8.self)
        #expect(json.contains("Ottoline Brackenbury") && json.contains("2004-05-06") && json.contains("CUSTODIAN-X"))
        for withheld in ["Quill", "Brax", "Invented", "04/1234567A", "female", "red"] { #expect(!json.contains(withheld), "\(withheld)") }
    }
}
