import Foundation
import SwiftCSV

/// A CSV file (RFC 4180: quoted fields, embedded commas and line breaks) as its header and rows,
/// read by SwiftCSV. Every import reads files through here, so each names a bad row the same way:
/// "row N" is the Nth record after the header, as a spreadsheet shows it (row 1 is the header).
public struct CSVRows: Sendable {
    public let header: [String]
    public let rows: [[String]]

    /// Refuses, naming the file, what is not CSV at all; a bad field is the importer's to name.
    public init(text: String, field: String = "file") throws(RegisterError) {
        do {
            let csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
            header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
            rows = csv.rows.filter { !$0.allSatisfy(\.isEmpty) }
        } catch {
            throw .invalid([FieldViolation(field: field, rule: "csv.format", message: "the file is not valid CSV: \(error)")])
        }
    }

    /// The spreadsheet row number of `rows[index]`.
    public static func rowNumber(_ index: Int) -> Int { index + 2 }

    /// Refuses a header that is not exactly `expected`, saying what was found.
    public func requireHeader(_ expected: [String], field: String = "file") throws(RegisterError) {
        guard header.map({ $0.lowercased() }) == expected else {
            throw .invalid([
                FieldViolation(
                    field: "\(field) row 1", rule: "csv.header",
                    message: "the header must be \(expected.joined(separator: ",")); found \(header.joined(separator: ","))")
            ])
        }
    }
}
