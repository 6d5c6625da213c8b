import Foundation

/// The feed a borough can start from: every column, and one row of each kind a first import
/// needs, filled in with made-up people. It imports as it stands (a test checks that), so what
/// it shows is what the register accepts.
extension ImportFile {
    public static var template: String {
        let rows: [[String: String]] = [
            [
                "kind": "subject", "ref": "s1", "given_name": "Example", "family_name": "Suspect", "date_of_birth": "2001-04-23",
                "sex": "male", "address": "1 Example Street, E8 1AA", "source_type": "police",
            ],
            ["kind": "subject", "ref": "s2", "given_name": "Example", "family_name": "Victim", "sex": "female", "source_type": "police"],
            [
                "kind": "matter", "ref": "m1", "subject": "s1", "matter_kind": "offence", "reference": "CRIS-0000001/26",
                "offence": "robbery", "occurred_on": "2026-03-02", "category": "suspect", "basis": "fact",
            ],
            ["kind": "matter", "ref": "m1", "subject": "s2", "category": "victim", "basis": "fact"],
            [
                "kind": "intelligence", "ref": "i1", "subject": "s1", "text": "Seen carrying a bladed article near the estate",
                "grade_source": "2", "grade_assessment": "B", "grade_handling": "P", "source_type": "partner",
            ],
        ]
        let lines =
            [columns.joined(separator: ",")]
            + rows.map { row in columns.map { quoted(row[$0] ?? "") }.joined(separator: ",") }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func quoted(_ field: String) -> String {
        field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
