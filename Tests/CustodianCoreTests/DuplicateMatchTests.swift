import CustodianCore
import Testing

/// The duplicate method as a plain function: the slips between two boroughs' spreadsheets score
/// as one person, strangers who share a name do not, and every point is explained.
@Suite struct DuplicateMatchTests {
    static func person(
        _ given: String, _ family: String, dob: String?, pnc: String? = nil, aliases: [String] = [], nickname: String? = nil,
        sex: Sex = .male
    ) -> PersonalDetails {
        PersonalDetails(
            names: [PersonName(given: given, family: family)], aliases: aliases, nickname: nickname,
            dateOfBirth: dob.flatMap(LocalDate.init(iso:)), pncID: pnc, sex: sex)
    }

    static let original = person("Jordan", "Okafor", dob: "2003-04-05", pnc: "03/1234567A")

    @Test func theSlipsBetweenSpreadsheetsScoreAsOnePerson() {
        let variants = [
            ("a vowel of the family name", Self.person("Jordan", "Okefor", dob: "2003-04-05", pnc: "03/ 1234567a")),
            ("no PNC id, the given name misspelt", Self.person("Jordon", "Okafor", dob: "2003-04-05")),
            ("day and month swapped, an alias", Self.person("Jordan", "Okefor", dob: "2003-05-04", aliases: ["Jordan Okafor"])),
            (
                "a street name for a given name",
                Self.person("Tiny", "Okafor", dob: "2003-04-05", pnc: "03/1234567A", aliases: ["Jordan Okafor"])
            ),
        ]
        for (slip, variant) in variants {
            let match = DuplicateMatch.compare(Self.original, variant)
            #expect(match.score >= DuplicateMatch.queueThreshold, "\(slip): \(match)")
            #expect(match.score == match.evidence.map(\.weight).reduce(0, +), "the score is the sum of its reasons")
            #expect(DuplicateMatch.compare(variant, Self.original) == match, "the same either way round")
        }
        #expect(DuplicateMatch.compare(Self.original, variants[2].1).evidence.contains(.dateOfBirthTransposed))
        #expect(DuplicateMatch.compare(Self.original, variants[3].1).evidence.contains(.aliasMatches))
    }

    @Test func strangersWhoShareANameAreNotPaired() {
        let namesake = Self.person("Jordan", "Okafor", dob: "1990-11-21", pnc: "90/7654321B")
        let match = DuplicateMatch.compare(Self.original, namesake)
        #expect(match.score < DuplicateMatch.queueThreshold, "\(match)")
        #expect(match.evidence.contains(.pncDiffers) && match.evidence.contains(.dateOfBirthDiffers))
        // A different PNC id outweighs everything else agreeing.
        let sameButPNC = Self.person("Jordan", "Okafor", dob: "2003-04-05", pnc: "03/7654321B")
        #expect(DuplicateMatch.compare(Self.original, sameButPNC).score < DuplicateMatch.queueThreshold)
        // A recorded sex that differs counts against.
        let sister = Self.person("Jordan", "Okafor", dob: "2003-04-05", sex: .female)
        #expect(DuplicateMatch.compare(Self.original, sister).evidence.contains(.sexDiffers))
    }

    @Test func noDateOfBirthIsNeitherForNorAgainst() {
        let undated = Self.person("Jordan", "Okafor", dob: nil)
        let match = DuplicateMatch.compare(Self.original, undated)
        #expect(match.evidence.contains(.dateOfBirthUnknown) && DuplicateEvidence.dateOfBirthUnknown.weight == 0)
        #expect(match.score == 5, "the same full name alone just reaches the queue for a person to judge")
    }

    @Test func aDecisionNeedsAVerdictAndAReasonAndIsReversedOnce() throws {
        let a = try #require(SubjectID("00000000-0000-7000-8000-00000000000a"))
        let b = try #require(SubjectID("00000000-0000-7000-8000-00000000000b"))
        let pair = try #require(SubjectPair(a, b))
        #expect(SubjectPair(b, a) == pair, "one key whichever way round")
        #expect(SubjectPair(a, a) == nil, "no one is their own duplicate")
        let analyst = User(
            id: try #require(UserID("00000000-0000-7000-8000-00000000000c")), username: "analyst", displayName: "Analyst",
            role: .centralAnalyst, unit: .central, trainingCompletedOn: nil, createdAt: Timestamp(microseconds: 0))
        let decisionID = try #require(DuplicateDecisionID("00000000-0000-7000-8000-00000000000d"))
        let match = DuplicateMatch.compare(Self.original, Self.original)
        let now = Timestamp(microseconds: 1_800_000_000_000_000)
        let badVerdict = Self.rules {
            _ = try DuplicateDecision.deciding(
                id: decisionID, pair: pair, verdict: "probably", reason: "Same PNC id and date of birth on both",
                match: match, by: analyst, at: now)
        }
        #expect(badVerdict == ["duplicates.verdict"])
        let curt = Self.rules {
            _ = try DuplicateDecision.deciding(
                id: decisionID, pair: pair, verdict: "same", reason: "same", match: match, by: analyst, at: now)
        }
        #expect(curt == ["duplicates.reason-substance"])
        let decision = try DuplicateDecision.deciding(
            id: decisionID, pair: pair, verdict: "same", reason: "Same PNC id and date of birth on both records",
            match: match, by: analyst, at: now)
        #expect(decision.settles && decision.evidence == match.evidence)
        let reversed = try decision.reversing(reason: "The PNC id on the Newham record was keyed wrongly", by: analyst, at: now)
        #expect(!reversed.inForce && !reversed.settles && reversed.reason == decision.reason)
        #expect(
            Self.rules { _ = try reversed.reversing(reason: "Reversing a second time should be refused", by: analyst, at: now) } == [
                "duplicates.reversed"
            ])
    }

    /// The rules a step's refusal names; empty when it was accepted.
    static func rules(_ step: () throws -> Void) -> [String] {
        do {
            try step()
            return []
        } catch let error as RegisterError {
            guard case .invalid(let violations) = error else { return ["not invalid: \(error)"] }
            return violations.map(\.rule)
        } catch {
            return ["\(error)"]
        }
    }
}
