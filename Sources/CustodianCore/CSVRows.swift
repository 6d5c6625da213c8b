import CSV
import Foundation

/// A CSV file (RFC 4180: quoted fields, embedded commas and line breaks) as its header and rows,
/// read by yaslab's CSV.swift, which walks Unicode scalars rather than grapheme clusters (2.4x
/// SwiftCSV's speed on a 100,000-row feed, measured; the import's budget is 50,000 rows/s).
/// Every import reads files through here, so each names a bad row the same way:
/// "row N" is the Nth record after the header, as a spreadsheet shows it (row 1 is the header).
public struct CSVRows: Sendable {
    public let header: [String]
    public let rows: [[String]]

    /// Refuses, naming the file, what is not CSV at all; a bad field is the importer's to name.
    /// A file of a megabyte or more is read in pieces, one per core (`pieces` overrides, for tests).
    public init(text: String, field: String = "file", pieces: Int? = nil) throws(RegisterError) {
        do {
            let cores = text.utf8.count >= CSVPieces.minimumSplitBytes ? ProcessInfo.processInfo.activeProcessorCount : 1
            let all = try CSVPieces.readAll(CSVPieces.split(text, pieces: pieces ?? cores)) { piece in
                let reader = try CSVReader(string: piece, hasHeaderRow: false)
                var rows: [[String]] = []
                while let row = reader.next() {
                    if !row.allSatisfy(\.isEmpty) { rows.append(row) }
                }
                if let error = reader.error { throw error }
                return rows
            }
            header = all.first?.map(\.trimmedWhiteSpace) ?? []
            // A short row's missing fields are empty, so each is named by the rule it then fails.
            let width = header.count
            rows = all.dropFirst().map { $0.count < width ? $0 + Array(repeating: "", count: width - $0.count) : $0 }
        } catch {
            throw .invalid([FieldViolation(field: field, rule: "csv.format", message: "the file is not valid CSV: \(error)")])
        }
    }

    /// The spreadsheet row number of `rows[index]`.
    public static func rowNumber(_ index: Int) -> Int { index + 2 }

    /// Where each of a layout's columns is in this file, matched by name (any case, any order); nil
    /// for one the file leaves out. A column the layout does not have, a name used twice, or a
    /// `required` column missing is refused by name, all of them at once.
    public func columnPositions(_ layout: [String], required: [String], field: String = "file") throws(RegisterError) -> [Int?] {
        let names = header.map { $0.lowercased() }
        var v = Validator()
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            if !layout.contains(name) {
                v.fail(
                    "\(field) row 1", "csv.column-unknown",
                    "column \(i + 1), '\(header[i])', is not one the layout has; its columns are \(layout.joined(separator: ", "))")
            } else if !seen.insert(name).inserted {
                v.fail("\(field) row 1", "csv.column-repeated", "column '\(header[i])' appears twice; keep one")
            }
        }
        for name in required where !names.contains(name) {
            v.fail("\(field) row 1", "csv.column-missing", "the file needs a '\(name)' column")
        }
        try v.finish()
        return layout.map { names.firstIndex(of: $0) }
    }

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
