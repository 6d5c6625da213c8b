import CustodianCore
import Foundation
import Testing

/// Every import reads its file through `CSVRows`: what RFC 4180 allows is read as such, and what a
/// spreadsheet leaves behind (blank lines, short rows) is read the same way every time.
@Suite struct CSVRowsTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text =
            "kind, ref ,text\r\nsubject,s1,\"Seen near the estate, twice\"\r\n\r\nsubject,s2,\"He said \"\"later\"\"\r\nthen left\"\r\n"
        let file = try CSVRows(text: text)
        #expect(file.header == ["kind", "ref", "text"])
        #expect(
            file.rows == [
                ["subject", "s1", "Seen near the estate, twice"],
                ["subject", "s2", "He said \"later\"\r\nthen left"],
            ])
    }

    @Test func aShortRowIsPaddedAndALongRowKeepsItsExtraFields() throws {
        let file = try CSVRows(text: "a,b,c\n1\n1,2,3,4\n")
        #expect(file.rows == [["1", "", ""], ["1", "2", "3", "4"]])
        #expect(CSVRows.rowNumber(0) == 2)
    }

    /// The import's layout is the README's, column for column (boroughs' exports are built to it).
    @Test func theImportLayoutIsTheDocumentedOne() {
        #expect(
            ImportFile.columns == [
                "kind", "ref", "subject", "given_name", "family_name", "aliases", "nickname", "date_of_birth", "sex", "pnc_id",
                "address", "officer_ethnicity", "self_ethnicity", "matter_kind", "reference", "offence", "occurred_on", "category",
                "basis", "text", "grade_scheme", "grade_source", "grade_assessment", "grade_handling", "source_type",
                "source_reference", "flag", "evidence", "social_locator", "social_captured_at", "social_capture_method",
                "social_content_sha256", "social_attribution_basis", "social_authorisation_reference",
            ])
    }

    @Test func anEmptyFileHasNoHeaderAndTheWrongHeaderIsNamed() throws {
        #expect(try CSVRows(text: "").header.isEmpty)
        #expect(throws: RegisterError.self) { try CSVRows(text: "x,y\n").requireHeader(["a", "b"]) }
    }
}

/// The import's own trimming keeps Foundation's meaning of white space, scalar for scalar.
@Suite struct WhiteSpaceTests {
    @Test func trimmingMatchesFoundationForEveryScalarOfTheBasicPlane() {
        var differ: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "\(scalar)a\(scalar)"
            if text.trimmedWhiteSpace != text.trimmingCharacters(in: .whitespacesAndNewlines) {
                differ.append(String(value, radix: 16))
            }
        }
        #expect(differ.isEmpty, "\(differ.prefix(20))")
        #expect(" \t Jordan Okafor \r\n".trimmedWhiteSpace == "Jordan Okafor")
        #expect("".trimmedWhiteSpace == "" && "  ".trimmedWhiteSpace == "")
    }
}
