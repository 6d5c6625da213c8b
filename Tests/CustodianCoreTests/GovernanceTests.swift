import CustodianCore
import Foundation
import Testing

/// The rulebook, the inclusion threshold, the harm method, four-eyes and reviews as plain
/// functions: every branch refuses with its rule, in microseconds.
@Suite struct GovernanceTests {
    static let today = LocalDate(iso: "2026-06-01")!
    static let now = Timestamp(today.startOfDay).adding(seconds: 10 * 3600)
    let rulebook = Rulebook.first

    static func user(_ role: Role, _ unit: Scope) -> User {
        User(
            id: UserID(UUID()), username: "u", displayName: "U", role: role, unit: unit, trainingCompletedOn: LocalDate(iso: "2026-01-01"),
            createdAt: Timestamp(microseconds: 0))
    }

    /// The officer who proposes, and a colleague who entered other evidence.
    static let proposer = UserID(UUID())
    static let colleague = UserID(UUID())

    /// A registered source as the threshold sees it.
    static func source(
        _ label: String, handledBy unit: Scope = .central, reliability: ThreeByFiveByTwo.Source = .untested,
        kind: RegisteredSource.Kind = .partnerOrganisation
    ) -> SourceCitation {
        SourceCitation(id: SourceID(UUID()), kind: kind, label: label, handlerUnit: unit, reliability: reliability, withdrawn: false)
    }

    static let youthOffendingTeam = source("Hackney Youth Offending Team")

    /// Partner and community items cite the youth offending team unless `source` says otherwise;
    /// each is entered by the colleague unless `by` says otherwise.
    static func intelligence(
        _ type: SourceType, _ unit: Scope = .borough(.hackney), grade: String = "2B", source: SourceCitation?? = .none,
        by author: UserID = colleague
    ) -> InclusionEvidence {
        let g = ThreeByFiveByTwo(
            source: .init(rawValue: String(grade.prefix(1)))!, assessment: .init(rawValue: String(grade.suffix(1)))!,
            handling: .p, conditions: nil)
        let cited: SourceCitation? =
            switch source {
            case .some(let given): given
            case .none: type == .partner || type == .community ? youthOffendingTeam : nil
            }
        return InclusionEvidence(
            item: .intelligence(IntelligenceID(UUID())), sourceType: type, originatingUnit: unit, source: cited, author: author,
            grade: .current(g))
    }

    static func matter(_ source: SourceType = .police, _ unit: Scope = .borough(.hackney), by author: UserID = proposer)
        -> InclusionEvidence
    {
        InclusionEvidence(item: .matter(MatterID(UUID())), sourceType: source, originatingUnit: unit, author: author, grade: nil)
    }

    func rules(_ c: InclusionThreshold.Case) -> [String] { InclusionThreshold.shortfalls(c, under: rulebook).map(\.rule) }

    func suspect(age: Int? = 20, _ evidence: [InclusionEvidence], rationale: String? = nil) -> InclusionThreshold.Case {
        .init(
            standing: CategoryStanding([.suspect, .victim]), age: age, evidence: evidence, safeguardingRationale: rationale,
            proposer: Self.proposer)
    }

    // MARK: The inclusion threshold, every branch

    @Test func twoIndependentSourcesMeetTheThreshold() {
        #expect(rules(suspect([Self.matter(), Self.intelligence(.partner)])) == [])
        #expect(
            rules(suspect([Self.intelligence(.police), Self.intelligence(.police, .borough(.newham))])) == [],
            "two originating units are independent")
    }

    @Test func oneSourceTwiceIsNotCorroboration() {
        #expect(rules(suspect([Self.matter(), Self.intelligence(.police)])) == ["inclusion.corroboration"])
        // A source type typed by the same borough, with no registered source behind it, is not a second source.
        #expect(rules(suspect([Self.matter(), Self.intelligence(.partner, source: .some(nil))])) == ["inclusion.corroboration"])
        #expect(
            rules(suspect([Self.intelligence(.partner), Self.intelligence(.community, .borough(.newham))])) == ["inclusion.corroboration"],
            "one registered source cited from two boroughs is one source")
        #expect(rules(suspect([])) == ["inclusion.evidence"])
    }

    /// The audit's attack: two "CHIS" references by one officer. Labels cannot be cited at all
    /// (`IntelligenceDraft` refuses them); two registered sources handled by the recording unit
    /// itself are still one line of reporting.
    @Test func twoSourcesHandledByOneUnitAreOneLineOfReporting() {
        let first = Self.source("HS-0001", handledBy: .borough(.hackney), kind: .humanSource)
        let second = Self.source("HS-0002", handledBy: .borough(.hackney), kind: .humanSource)
        #expect(
            rules(suspect([Self.intelligence(.police, source: first), Self.intelligence(.police, source: second)]))
                == ["inclusion.corroboration"])
        #expect(rules(suspect([Self.matter(), Self.intelligence(.police, source: first)])) == ["inclusion.corroboration"])
        let central = Self.source("HS-0003", handledBy: .central, kind: .humanSource)
        #expect(rules(suspect([Self.intelligence(.police, source: first), Self.intelligence(.police, source: central)])) == [])
    }

    @Test func itemsTheProposerAloneEnteredCorroborateNothing() {
        let own = [Self.matter(), Self.intelligence(.partner, by: Self.proposer)]
        #expect(rules(suspect(own)) == ["inclusion.proposer-alone"])
        #expect(rules(suspect(own + [Self.intelligence(.police, .borough(.newham))])) == [], "a colleague's item from another unit counts")
        let counted = Corroboration.independent(own + [Self.intelligence(.police, .borough(.newham))], proposer: Self.proposer)
        #expect(counted.count == 2 && counted.filter { $0.author == Self.proposer }.count == 1)
    }

    @Test func aSourceEvaluatedNotReliableCountsForNothing() {
        let discredited = Self.source("Hackney Youth Offending Team", reliability: .notReliable)
        #expect(rules(suspect([Self.matter(), Self.intelligence(.partner, source: discredited)])) == ["inclusion.corroboration"])
        #expect(rules(suspect([Self.intelligence(.partner, source: discredited)])) == ["inclusion.weak-grade-alone"])
    }

    @Test func socialMediaAloneNeverMeetsIt() {
        #expect(
            rules(suspect([Self.intelligence(.socialMedia), Self.intelligence(.socialMedia, .borough(.newham))])) == [
                "inclusion.social-media-alone"
            ])
        #expect(
            rules(suspect([Self.intelligence(.socialMedia), Self.intelligence(.community)])) == [],
            "social media may corroborate another source")
    }

    @Test func itemsGradedEOrFromSource3NeverMeetItAlone() {
        #expect(
            rules(suspect([Self.intelligence(.police, grade: "1E"), Self.intelligence(.community, grade: "3A")])) == [
                "inclusion.weak-grade-alone"
            ])
        #expect(
            rules(suspect([Self.intelligence(.police, grade: "1E"), Self.intelligence(.community, grade: "2B")])) == [
                "inclusion.corroboration"
            ],
            "a weak item does not count towards the two")
    }

    @Test func victimsAndWitnessesAreNeverIncluded() {
        let c = InclusionThreshold.Case(
            standing: CategoryStanding([.victim, .witness]), age: 30,
            evidence: [Self.matter(), Self.intelligence(.partner)], safeguardingRationale: nil, proposer: Self.proposer)
        #expect(rules(c) == ["inclusion.protected-only"])
    }

    @Test func childrenNeedARationaleAndUnderTensAreRefused() {
        let evidence = [Self.matter(), Self.intelligence(.partner)]
        #expect(rules(suspect(age: 15, evidence)) == ["inclusion.child-rationale"])
        #expect(rules(suspect(age: 15, evidence, rationale: "Exploited by older group; referral to children's services made")) == [])
        #expect(rules(suspect(age: 9, evidence, rationale: "any rationale at all, however long it is")) == ["inclusion.minimum-age"])
    }

    // MARK: Four-eyes on inclusion

    func proposal(child: Bool = false, by proposer: User) -> Inclusion {
        Inclusion(
            id: InclusionID(UUID()), subjectID: SubjectID(UUID()), unit: .hackney, proposedBy: proposer.id, proposedAt: Self.now,
            evidence: [], rationale: "r", safeguardingRationale: nil, isChild: child, rulebookVersion: 1)
    }

    @Test func theProposerNeverDecidesAndTheSPOCMustBeOfTheBorough() throws {
        let spoc = Self.user(.boroughSPOC, .borough(.hackney))
        let p = proposal(by: spoc)
        #expect(
            throws: RegisterError.denied(
                AccessDenial(rule: "four-eyes.proposer", reason: "the officer who proposed an inclusion can never decide it"))
        ) {
            try p.deciding(true, reason: "meets the threshold (recorded at panel)", by: spoc, on: Self.now, under: rulebook)
        }
        let officer = Self.user(.boroughOfficer, .borough(.hackney))
        let byOfficer = proposal(by: officer)
        for wrong in [
            Self.user(.boroughSPOC, .borough(.newham)), Self.user(.boroughOfficer, .borough(.hackney)), Self.user(.governance, .central),
        ] {
            #expect(throws: RegisterError.self) {
                try byOfficer.deciding(true, reason: "meets the threshold (recorded at panel)", by: wrong, on: Self.now, under: rulebook)
            }
        }
        let included = try byOfficer.deciding(true, reason: "two independent sources", by: spoc, on: Self.now, under: rulebook)
        #expect(included.status == .included)
        #expect(included.nextReviewDue == Self.today.adding(days: 91))
        let rejected = try byOfficer.deciding(false, reason: "only one source really", by: spoc, on: Self.now, under: rulebook)
        #expect(rejected.status == .rejected && rejected.nextReviewDue == nil)
    }

    @Test func aChildNeedsASecondApprovalFromCentralGovernance() throws {
        let officer = Self.user(.boroughOfficer, .borough(.hackney))
        let spoc = Self.user(.boroughSPOC, .borough(.hackney))
        let first = try proposal(child: true, by: officer).deciding(
            true, reason: "safeguarding-led inclusion", by: spoc, on: Self.now, under: rulebook)
        #expect(first.status == .awaitingCentral && !first.isActive)
        #expect(throws: RegisterError.self) {
            try first.deciding(
                true, reason: "a second SPOC agrees", by: Self.user(.boroughSPOC, .borough(.hackney)), on: Self.now, under: rulebook)
        }
        let second = try first.deciding(
            true, reason: "central safeguarding check done", by: Self.user(.governance, .central), on: Self.now, under: rulebook)
        #expect(second.status == .included && second.decisions.map(\.step) == [.borough, .central])
    }

    // MARK: The harm method

    func offence(_ type: OffenceType, _ category: Category, daysAgo: Int) -> HarmInputs.Offence {
        .init(
            matterID: MatterID(UUID()), reference: "CRIS-\(daysAgo)", offence: type, occurredOn: Self.today.adding(days: -daysAgo),
            category: category)
    }

    @Test func severityDecaysWithAHalfLifeAndVictimMattersAddNothing() throws {
        let inputs = HarmInputs(
            offences: [
                offence(.grievousBodilyHarm, .suspect, daysAgo: 365), offence(.murder, .victim, daysAgo: 10),
                offence(.robbery, .convicted, daysAgo: 4 * 365),
            ], weaponIntelligence: [])
        let a = try HarmMethod.assess(inputs, under: rulebook, on: Self.today)
        #expect(a.score == 730, "GBH 1460 days, one half-life old")
        #expect(a.band == .amber && a.rulebookVersion == 1)
        #expect(a.lines.count == 3, "every input is listed, counted or not")
        #expect(a.lines.first { $0.input.contains("murder") }?.points == 0)
        #expect(a.lines.first { $0.input.contains("murder") }?.working.contains("victim") == true)
        #expect(a.lines.first { $0.input.contains("robbery") }?.working.contains("look-back") == true)
        #expect(
            a.lines.map(\.on) == [Self.today.adding(days: -10), Self.today.adding(days: -365), Self.today.adding(days: -4 * 365)],
            "each input is dated, so a timeline can draw it")
    }

    @Test func weaponIntelligenceCountsOnlyWhenWellGradedAndRecent() throws {
        func item(_ grade: String, daysAgo: Int) -> HarmInputs.WeaponIntelligence {
            let g = ThreeByFiveByTwo(
                source: .init(rawValue: String(grade.prefix(1)))!, assessment: .init(rawValue: String(grade.suffix(1)))!, handling: .p,
                conditions: nil)
            return .init(id: IntelligenceID(UUID()), grade: .current(g), recordedOn: Self.today.adding(days: -daysAgo))
        }
        let inputs = HarmInputs(
            offences: [offence(.bladedArticlePossession, .suspect, daysAgo: 0)],
            weaponIntelligence: [item("2B", daysAgo: 30), item("2C", daysAgo: 30), item("1A", daysAgo: 400)])
        let a = try HarmMethod.assess(inputs, under: rulebook, on: Self.today)
        #expect(a.score == 182 + 182)
        #expect(a.band == .amber)
    }

    @Test func aPersonHeldOnlyAsVictimOrWitnessIsNeverScored() {
        let inputs = HarmInputs(
            offences: [offence(.robbery, .victim, daysAgo: 3), offence(.murder, .witness, daysAgo: 3)], weaponIntelligence: [])
        #expect(
            throws: RegisterError.denied(
                AccessDenial(rule: "harm.protected-only", reason: "a person held only as a victim or witness is never scored"))
        ) {
            try HarmMethod.assess(inputs, under: rulebook, on: Self.today)
        }
    }

    @Test func theMethodCannotReachProtectedCharacteristics() {
        // Everything the method is given, field by field: no ethnicity, sex, age, date of birth,
        // address, nickname or name can be among them, because the types have no such field.
        func fields(_ value: Any) -> Set<String> { Set(Mirror(reflecting: value).children.compactMap(\.label)) }
        let sample = HarmInputs(
            offences: [offence(.robbery, .suspect, daysAgo: 1)],
            weaponIntelligence: [
                .init(
                    id: IntelligenceID(UUID()), grade: .legacy(.init(source: "B", intelligence: "2", handling: "1")), recordedOn: Self.today
                )
            ])
        let all = fields(sample).union(fields(sample.offences[0])).union(fields(sample.weaponIntelligence[0]))
        #expect(
            all == [
                "offences", "weaponIntelligence", "matterID", "reference", "offence", "occurredOn", "category", "id", "grade", "recordedOn",
            ])
        for forbidden in ["ethnicity", "sex", "age", "dateOfBirth", "address", "nickname", "name", "personal", "sensitive"] {
            #expect(!all.contains { $0.lowercased().contains(forbidden.lowercased()) }, "\(forbidden)")
        }
    }

    // MARK: Reviews

    func included(due: LocalDate) -> Inclusion {
        Inclusion(
            id: InclusionID(UUID()), subjectID: SubjectID(UUID()), unit: .hackney, proposedBy: UserID(UUID()), proposedAt: Self.now,
            evidence: [], rationale: "r", safeguardingRationale: nil, isChild: false, rulebookVersion: 1, status: .included,
            nextReviewDue: due)
    }

    @Test func reviewsFallDueGoOverdueAndSuspendAfterTheGracePeriod() throws {
        let i = included(due: Self.today)
        #expect(i.reviewStanding(on: Self.today.adding(days: -8), under: rulebook) == .notDue)
        #expect(i.reviewStanding(on: Self.today.adding(days: -7), under: rulebook) == .due)
        #expect(i.reviewStanding(on: Self.today.adding(days: 14), under: rulebook) == .overdue)
        #expect(i.reviewStanding(on: Self.today.adding(days: 15), under: rulebook) == .suspended)
        let swept = i.swept(on: Self.today.adding(days: 15), score: 500, under: rulebook)
        #expect(swept.suspendedOn == Self.today.adding(days: 15) && !swept.isActive)
        let officer = Self.user(.boroughOfficer, .borough(.hackney))
        let (after, review) = try swept.reviewed(
            .retain, rationale: "Still carrying; new intelligence this month", by: officer,
            at: Self.now.adding(seconds: 15 * 86_400), score: 500, under: rulebook)
        #expect(after.isActive && after.nextReviewDue == Self.today.adding(days: 15 + 91) && review.rulebookVersion == 1)
        #expect(throws: RegisterError.self) {
            try swept.reviewed(
                .retain, rationale: "A Newham officer reviewing Hackney", by: Self.user(.boroughOfficer, .borough(.newham)),
                at: Self.now, score: nil, under: rulebook)
        }
    }

    @Test func aLowScoreForTheRulebooksPeriodForcesARemovalReview() throws {
        var i = included(due: Self.today.adding(days: 60))
        i = i.swept(on: Self.today, score: 0, under: rulebook)
        #expect(i.belowThresholdSince == Self.today && !i.removalReviewRequired)
        i = i.swept(on: Self.today.adding(days: 90), score: 0, under: rulebook)
        #expect(!i.removalReviewRequired)
        i = i.swept(on: Self.today.adding(days: 91), score: 0.4, under: rulebook)
        #expect(i.removalReviewRequired)
        let officer = Self.user(.boroughOfficer, .borough(.hackney))
        #expect(throws: RegisterError.self, "a retain that does not say why removal was rejected") {
            try i.reviewed(.retain, rationale: "Known associate of nominals; keep on", by: officer, at: Self.now, score: 0, under: rulebook)
        }
        #expect(throws: RegisterError.self, "the word 'removal' in free text is not a reason") {
            try i.reviewed(
                .retain, rationale: "Removal? No. Keep on, known associate of nominals", by: officer, at: Self.now, score: 0,
                under: rulebook)
        }
        let (kept, review) = try i.reviewed(
            .retain, rationale: "In custody until August; the score will return on release",
            removalRejected: .inCustody, by: officer, at: Self.now, score: 0, under: rulebook)
        #expect(!kept.removalReviewRequired && review.removalRejected == .inCustody)
        #expect(
            included(due: Self.today).swept(on: Self.today, score: 0, under: rulebook).swept(
                on: Self.today.adding(days: 10), score: 200, under: rulebook
            )
            .belowThresholdSince == nil, "a score back above the threshold ends the spell")
    }

    // MARK: The rulebook's own governance

    @Test func aRulebookVersionTakesEffectOnlyWithASecondGovernanceApproval() throws {
        let dpo = Self.user(.governance, .central)
        var next = rulebook
        next.version = 2
        next.review.cadenceDays = 60
        let proposed = RulebookVersion(
            rulebook: next, rationale: "Shorter cadence after the annual review", proposedBy: dpo.id, proposedAt: Self.now)
        #expect(throws: RegisterError.self) { try proposed.deciding(true, by: dpo, at: Self.now) }
        #expect(throws: RegisterError.self) { try proposed.deciding(true, by: Self.user(.boroughSPOC, .borough(.hackney)), at: Self.now) }
        let active = try proposed.deciding(true, by: Self.user(.governance, .central), at: Self.now)
        #expect(active.status == .active)
        #expect(Rulebook.first.violations().isEmpty)
        var bad = rulebook
        bad.inclusion.minimumIndependentSources = 1
        bad.harm.amberFrom = 5000
        #expect(Set(bad.violations().map(\.rule)) == ["rulebook.corroboration", "rulebook.bands"])
    }
}
