@testable import CustodianCore
import Foundation
import PropertyBased
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

    /// A long file is read in pieces at record boundaries; whatever the file (stray quotes, quoted
    /// line breaks, lone carriage returns, multi-byte characters), the pieces give exactly the rows
    /// the whole file gives.
    @Test func aFileReadInPiecesGivesTheRowsItGivesReadWhole() async throws {
        let scalars: [Unicode.Scalar] = ["a", "b", ",", ",", "\"", "\"", "\r", "\n", "\n", "\u{E9}", "\u{1F52A}", " "]
        let generator = Gen<Unicode.Scalar?>.element(of: scalars).map { $0 ?? "a" }.array(of: 0...300).map { list in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: list)
            return String(view)
        }
        await propertyCheck(count: 3_000, input: generator) { text in
            do {
                let whole = try CSVRows(text: text, pieces: 1)
                for pieces in [2, 3, 7] {
                    let split = try CSVRows(text: text, pieces: pieces)
                    #expect(split.header == whole.header && split.rows == whole.rows, "\(pieces) pieces of \(text.debugDescription)")
                }
            } catch {
                Issue.record("\(error)")
            }
        }
        // A real-sized feed: a quoted line break in every tenth row, read whole and in two pieces.
        let rows = (0..<20_000).map { n in n % 10 == 0 ? "s\(n),\"two\r\nlines, \"\"quoted\"\"\",x" : "s\(n),plain,y" }
        let text = "ref,text,z\r\n" + rows.joined(separator: "\r\n")
        let (whole, split) = (try CSVRows(text: text, pieces: 1), try CSVRows(text: text, pieces: 2))
        #expect(whole.rows.count == 20_000 && split.rows == whole.rows)
        #expect(CSVPieces.split(text, pieces: 2).count == 2)
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
                "source_id", "flag", "evidence", "social_locator", "social_captured_at", "social_capture_method",
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
