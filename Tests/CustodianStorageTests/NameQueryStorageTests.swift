import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import SQLKit
import Testing

/// The key store ranks a name search in its own query and returns the first `limit`; the rule is
/// the domain's (`NameQuery.rank(hits:)`), and every answer must be the rule's answer over every
/// holder of each token.
@Suite struct NameQueryStorageTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func theStoresRankingIsTheDomainsRuleCutAtTheLimit(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let keys = SQLSubjectKeyStore(driver: f.store.keyDriver)
            let token: (SearchTerm) -> String = { "\($0)" }
            // Few words, several spelt alike (smith/smyth/smithe share a sound), so people meet
            // a query exactly, by sound, both, or in part; three boroughs; some with no date.
            let vocabulary = ["smith", "smyth", "smithe", "jones", "johns", "ali", "aly", "okafor", "nowak", "novak"]
            let days = [LocalDate(year: 2001, month: 3, day: 4), LocalDate(year: 1999, month: 12, day: 31), nil]
            let boroughs: [Borough] = [.hackney, .newham, .lambeth]
            var random = SeededRandom(seed: 38)
            var entries: [(subject: SubjectID, unit: Borough, tokens: [String])] = []
            for i in 0..<400 {
                var terms = Set<SearchTerm>()
                for _ in 0...(i % 3) {
                    let word = vocabulary[Int(random.next() % UInt64(vocabulary.count))]
                    terms.insert(.word(word))
                    terms.insert(.phonetic(NameSearch.soundex(word)))
                }
                if let day = days[i % days.count] { terms.insert(.dateOfBirth(day)) }
                let subject: SubjectID = IdentifierSource.v7.next()
                entries.append((subject, boroughs[i % boroughs.count], terms.map(token)))
            }
            try await keys.storeSearchTokens(entries)

            var asked = 0
            for _ in 0..<60 {
                let count = 1 + Int(random.next() % 3)
                let words = (0..<count).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }
                let day = days[Int(random.next() % UInt64(days.count))]
                let units: [Borough]? = random.next() % 2 == 0 ? nil : [boroughs[Int(random.next() % 3)]]
                let limit = [1, 5, 50][Int(random.next() % 3)]
                let query = NameQuery(words: words, dateOfBirth: day, limit: limit, tokenOf: token)
                let expected = query.rank(hits: try await keys.subjectsHolding(tokens: query.tokens, units: units))
                let ranked = try await keys.subjectsRanked(query, units: units)
                #expect(ranked == expected, "\(words) born \(String(describing: day)) in \(String(describing: units)), limit \(limit)")
                if !expected.isEmpty { asked += 1 }
            }
            #expect(asked > 30)  // most queries find someone, so the comparison is not of empty lists
        }
    }

    /// Who holds a token in a borough is read from the index alone. Going to the table for every
    /// holder was a random read each, and at a million people the commonest surnames' searches
    /// waited on them.
    @Test(arguments: databases) func holdersOfATokenAreReadFromTheIndexAlone(_ db: TestDatabase) async throws {
        try await withTestStore(db) { store in
            let holders = "SELECT subject_id, token FROM subject_search WHERE token IN ('a', 'b') AND unit IN ('hackney', 'newham')"
            let plan: String = try await store.keyDriver.read { db in
                guard db.dialect.name == "postgresql" else {
                    return try await db.raw("EXPLAIN QUERY PLAN \(unsafeRaw: holders)").all()
                        .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
                }
                // An empty table is read whole at any price; what is asked is which index serves.
                try await db.raw("SET LOCAL enable_seqscan = off").run()
                try await db.raw("SET LOCAL enable_bitmapscan = off").run()
                return try await db.raw("EXPLAIN \(unsafeRaw: holders)").all()
                    .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            }
            #expect(plan.contains("subject_search_holders"), "\(plan)")
            #expect(plan.contains("COVERING INDEX") || plan.contains("Index Only Scan"), "\(plan)")
        }
    }

    @Test func theRuleNeedsEveryWordAndRanksExactAboveSoundAlike() {
        let token: (SearchTerm) -> String = { "\($0)" }
        let (exact, sound, half): (SubjectID, SubjectID, SubjectID) = (
            IdentifierSource.v7.next(), IdentifierSource.v7.next(), IdentifierSource.v7.next()
        )
        let query = NameQuery(words: ["smith", "ali"], dateOfBirth: nil, limit: 50, tokenOf: token)
        let hits: [String: Set<SubjectID>] = [
            token(.word("smith")): [exact], token(.phonetic("S530")): [exact, sound, half],
            token(.word("ali")): [exact, sound], token(.phonetic("A400")): [exact, sound],
        ]
        // `half` meets "smith" by sound but not "ali" at all: not found.
        #expect(query.rank(hits: hits) == [exact, sound])
        #expect(NameQuery(words: ["smith", "ali"], dateOfBirth: nil, limit: 1, tokenOf: token).rank(hits: hits) == [exact])
    }
}
