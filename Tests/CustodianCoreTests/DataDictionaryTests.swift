import CustodianCore
import Testing

/// The data dictionary is what the record of processing lists: it must name every field a
/// person's record holds and every field a disclosure can carry, so adding one without declaring
/// it fails here.
@Suite struct DataDictionaryTests {
    let fields = Set(DataDictionary.entries.map(\.field))

    @Test func everyStoredFieldOfAPersonIsInTheDictionary() {
        let personal = PersonalDetails(names: [PersonName(given: "A", family: "B")], dateOfBirth: nil, sex: .notKnown)
        let sensitive = SensitiveDetails()
        let stored = Mirror(reflecting: personal).children.compactMap(\.label) + Mirror(reflecting: sensitive).children.compactMap(\.label)
        #expect(stored.count == 9)
        for label in stored { #expect(fields.contains(label), "\(label) is held but not in the data dictionary") }
    }

    @Test func everyFieldAnAgreementCanShareIsInTheDictionary() {
        for shared in SharedField.allCases {
            #expect(fields.contains(DataDictionary.field(for: shared)), "\(shared) can be shared but is not in the data dictionary")
        }
    }

    @Test func ethnicityIsDeclaredSensitive() {
        let sensitive = DataDictionary.entries.filter { $0.kind == .sensitive }.map(\.field)
        #expect(Set(sensitive) == ["officerDefinedEthnicity", "selfDefinedEthnicity"])
    }
}
