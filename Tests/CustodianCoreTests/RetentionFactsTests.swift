import CustodianCore
import Foundation
import Testing

/// A person's retention date from the facts the sweep reads in bulk: the same answer the rules
/// give one person at a time.
@Suite struct RetentionFactsTests {
    static let day = Int64(86_400)
    static let recorded = Timestamp(microseconds: 1_750_000_000 * 1_000_000)
    static let person = SealedSubject(
        id: SubjectID(UUID()), unit: .hackney,
        provenance: Provenance(sourceType: .police, originatingUnit: .borough(.hackney), author: UserID(UUID()), recordedAt: recorded),
        personal: Data(), sensitive: Data())
    static let rules = RetentionRules.standard

    @Test func theLatestActivityStartsThePeriodAndAnIncludedPersonHasNone() throws {
        var facts = RetentionFacts()
        facts.categories = [.suspect]
        let plain = try #require(facts.due(Self.person, Self.rules))
        #expect(plain.group == .neverProposed && plain.lastActivity == Self.recorded.day && plain.raisedOn == nil)
        #expect(plain.dueOn == Self.recorded.day.adding(days: try #require(Self.rules.days(for: .neverProposed))))

        // An item recorded later, then a later decision to keep: each moves the period on.
        facts.lastIntelligenceAt = Self.recorded.adding(seconds: 10 * Self.day)
        #expect(facts.due(Self.person, Self.rules)?.lastActivity == Self.recorded.adding(seconds: 10 * Self.day).day)
        facts.lastKeptAt = Self.recorded.adding(seconds: 400 * Self.day)
        #expect(facts.due(Self.person, Self.rules)?.lastActivity == Self.recorded.adding(seconds: 400 * Self.day).day)

        // A review raised before the latest activity belongs to an earlier period; one after it stands.
        facts.lastRaisedAt = Self.recorded.adding(seconds: 300 * Self.day)
        #expect(facts.due(Self.person, Self.rules)?.raisedOn == nil)
        facts.lastRaisedAt = Self.recorded.adding(seconds: 500 * Self.day)
        #expect(facts.due(Self.person, Self.rules)?.raisedOn == Self.recorded.adding(seconds: 500 * Self.day).day)

        // A victim has the victims' period; an included person is the review cadence's.
        var victim = RetentionFacts()
        victim.categories = [.victim]
        #expect(victim.due(Self.person, Self.rules)?.group == .victimOrWitness)
        facts.inclusions = [.included]
        #expect(facts.due(Self.person, Self.rules) == nil)
    }
}
