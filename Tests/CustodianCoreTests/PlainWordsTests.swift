import CustodianCore
import Testing

/// The register's refusals as a page says them: the field's label and what to do, never the
/// field's name or the rule's code.
@Suite struct PlainWordsTests {
    @Test func aMissingFieldSaysWhatToEnterOrSelect() {
        let given = FieldViolation(field: "names[0].given", rule: "required", message: "names[0].given is required")
        #expect(given.said(about: "Given name") == "Enter given name")
        #expect(given.said() == "Enter given name")
        let sex = FieldViolation(field: "sex", rule: "sex.known", message: "sex must be one of male, female, not-known")
        #expect(sex.said(about: "Sex", choosing: true) == "Select sex")
    }

    @Test func aBadDateSaysItMustBeARealDate() {
        let dob = FieldViolation(field: "dateOfBirth", rule: "date.format", message: "dateOfBirth must be a date as YYYY-MM-DD")
        #expect(dob.said(about: "Date of birth") == "Date of birth must be a real date")
        #expect(dob.said() == "Date of birth must be a real date")
        let future = FieldViolation(field: "occurredOn", rule: "date.not-future", message: "occurredOn cannot be in the future")
        #expect(future.said() == "Date it happened must be today or in the past")
    }

    @Test func otherRulesKeepTheirWordsWithTheFieldPutIntoWords() {
        let long = FieldViolation(field: "notes", rule: "max-length", message: "notes must be at most 2000 characters")
        #expect(long.said(about: "Notes") == "Notes must be at most 2000 characters")
        let pnc = FieldViolation(field: "pncId", rule: "pnc.format", message: "pncId must look like YY/NNNNNNNL, for example 19/1234567A")
        #expect(pnc.said(about: "PNC ID") == "PNC ID must look like YY/NNNNNNNL, for example 19/1234567A")
        let social = FieldViolation(
            field: "socialMedia.capturedAt", rule: "required", message: "capturedAt is required for social-media intelligence")
        #expect(social.said() == "Enter date and time it was captured for social-media intelligence")
    }

    @Test func noRuleCodeOrFieldNameReachesThePage() {
        let violations = [
            FieldViolation(field: "names[0].given", rule: "required", message: "names[0].given is required"),
            FieldViolation(field: "sex", rule: "sex.known", message: "sex must be one of male, female, not-known"),
            FieldViolation(field: "dateOfBirth", rule: "date.format", message: "dateOfBirth must be a date as YYYY-MM-DD"),
            FieldViolation(field: "kind", rule: "flag.known", message: "kind must be one of weapons, drugs"),
        ]
        for v in violations {
            let said = v.said(choosing: v.field == "sex" || v.field == "kind")
            #expect(!said.contains(v.rule), "\(said)")
            #expect(!said.contains("[0]") && !said.contains("dateOfBirth"), "\(said)")
            #expect(said.first?.isUppercase == true, "\(said)")
        }
    }

    @Test func aWordThatOnlyContainsTheFieldNameIsLeftAlone() {
        let v = FieldViolation(field: "kind", rule: "partner.kind", message: "kindness is not a kind: pick another")
        #expect(v.said(about: "Partner type") == "Kindness is not a partner type: pick another")
    }

    @Test func anImportedRowNamesItsColumnInTheMessage() throws {
        let header = ImportFile.columns.joined(separator: ",")
        var row = Array(repeating: "", count: ImportFile.columns.count)
        let position = { (name: String) in ImportFile.columns.firstIndex(of: name)! }
        row[position("kind")] = "subject"
        row[position("ref")] = "s1"
        row[position("given_name")] = "Ada"
        row[position("family_name")] = "Quill"
        row[position("date_of_birth")] = "31/02/2009"
        let file = try ImportFile.parse(header + "\n" + row.joined(separator: ",") + "\n")
        let located = file.locate(
            FieldViolation(field: "subjects[0].dateOfBirth", rule: "date.format", message: "dateOfBirth must be a date as YYYY-MM-DD"))
        #expect(located.field == "row 2, date_of_birth")
        #expect(located.message == "date_of_birth must be a date as YYYY-MM-DD")
    }
}
