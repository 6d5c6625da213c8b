import CustodianCore
import Foundation
import Testing

@Suite struct SealingAndSearchTests {
    let keyring = try! Keyring(masterKey: Data(repeating: 1, count: 32))

    @Test func sealedFieldsOpenOnlyForTheirOwnSubjectAndLabel() throws {
        let a = SubjectID(UUID())
        let b = SubjectID(UUID())
        let (key, wrapped) = try keyring.newSubjectKey(for: a)
        let sealed = try keyring.seal(["Ottoline"], key: key, subject: a, label: "personal")
        #expect(
            try keyring.open([String].self, from: sealed, key: try keyring.unwrap(wrapped, for: a), subject: a, label: "personal") == [
                "Ottoline"
            ])
        #expect(throws: (any Error).self) { try keyring.unwrap(wrapped, for: b) }
        #expect(throws: (any Error).self) { try keyring.open([String].self, from: sealed, key: key, subject: a, label: "sensitive") }
        let other = try Keyring(masterKey: Data(repeating: 2, count: 32))
        #expect(throws: (any Error).self) { try other.unwrap(wrapped, for: a) }
    }

    @Test func soundexFollowsThePublishedRules() {
        #expect(NameSearch.soundex("Robert") == "R163")
        #expect(NameSearch.soundex("Rupert") == "R163")
        #expect(NameSearch.soundex("Ashcraft") == "A261")
        #expect(NameSearch.soundex("Tymczak") == "T522")
        #expect(NameSearch.soundex("Pfister") == "P236")
        #expect(NameSearch.soundex("Smith") == NameSearch.soundex("Smyth"))
    }

    @Test func namesAreFoldedIntoWords() {
        #expect(NameSearch.words("Zoë O'Neil-Smith") == ["zoe", "oneil", "smith"])
        #expect(NameSearch.words("  ÉMILE  ") == ["emile"])
    }

    @Test func searchTokensAreKeyed() throws {
        let other = try Keyring(masterKey: Data(repeating: 9, count: 32))
        #expect(keyring.searchToken(.word("smith")) == keyring.searchToken(.word("smith")))
        #expect(keyring.searchToken(.word("smith")) != other.searchToken(.word("smith")))
        #expect(keyring.searchToken(.word("smith")) != keyring.searchToken(.phonetic("smith")))
    }
}
