import Foundation

/// A borough feed as one CSV file (RFC 4180): one row per subject, matter (with the person it is
/// linked to and their category), intelligence item (with its grade) or flag (with its evidence),
/// told apart by the `kind` column. Rows refer to each other by the file's own `ref`s. Parsing
/// checks only the file's shape; every record is then validated by the register's own rules, and
/// each violation is named back in the file's words: row, column, rule.
public struct ImportFile: Sendable {
    /// The layout's columns. A feed names the ones it uses in its header row, in any order.
    enum Column: Int, CaseIterable {
        case kind, ref, subject, givenName, familyName, aliases, nickname, dateOfBirth, sex, pncId, address, officerEthnicity,
            selfEthnicity, matterKind, reference, offence, occurredOn, category, basis, text, gradeScheme, gradeSource, gradeAssessment,
            gradeHandling, sourceType, sourceId, flag, evidence, socialLocator, socialCapturedAt, socialCaptureMethod,
            socialContentSha256, socialAttributionBasis, socialAuthorisationReference
    }
    public static let columns = Column.allCases.map { snake("\($0)") }
    public static let kinds = ["subject", "matter", "intelligence", "flag"]
    /// Far above any borough's feed; a file this size is validated in seconds.
    public static let maximumRows = 1_000_000

    public let batch: RecordBatch
    /// The file's row number of each record of the batch, by section ("subjects", "links", ...).
    let rowNumbers: [String: [Int]]
    public let rows: Int
    /// Every row the file's shape refuses (a bad kind, a missing, repeated or dangling ref, too
    /// many fields), in the file's words. The rows' records are still checked by the register's
    /// rules, so one attempt lists every problem in the file; nothing is written while any remain.
    public let problems: [FieldViolation]

    /// Reads the file's shape, all of it: every row with an unknown kind, a missing or repeated
    /// reference, or a reference to nothing is named in `problems`; nothing is half-read. Only a
    /// file that is not the layout at all (no rows, too many, a missing column) is refused here.
    public static func parse(_ text: String) throws(RegisterError) -> ImportFile {
        let file = try CSVRows(text: text)
        let positions = try file.columnPositions(columns, required: ["kind", "ref"])
        var v = Validator()
        if file.rows.isEmpty { v.fail("file", "import.empty", "the file has no rows") }
        if file.rows.count > maximumRows { v.fail("file", "import.size", "a file holds at most \(maximumRows) rows; split it") }
        try v.finish()
        var batch = RecordBatch()
        var numbers: [String: [Int]] = [:]
        var subjects = Set<String>()
        var matters: [String: Int] = [:]
        var intelligence = Set<String>()
        // Every reference a row makes, checked once all rows are read (a row may refer forward).
        var references: [(row: Int, column: String, ref: String, kinds: Set<String>)] = []
        for (i, fields) in file.rows.enumerated() {
            let row = CSVRows.rowNumber(i)
            func value(_ column: Column) -> String? {
                guard let at = positions[column.rawValue], at < fields.count else { return nil }
                let text = fields[at].trimmedWhiteSpace
                return text.isEmpty ? nil : text
            }
            if fields.count > file.header.count {
                v.fail("row \(row)", "csv.columns", "row \(row) has \(fields.count) fields; the header has \(file.header.count)")
                continue
            }
            let ref = value(.ref) ?? ""
            let grade = GradeDraft(
                scheme: value(.gradeScheme) ?? "3x5x2", source: value(.gradeSource) ?? "", assessment: value(.gradeAssessment) ?? "",
                handling: value(.gradeHandling) ?? "")
            switch value(.kind) {
            case "subject":
                if ref.isEmpty { v.fail("row \(row), ref", "import.ref", "a subject needs a ref the file's other rows can name it by") }
                if !subjects.insert(ref).inserted { v.fail("row \(row), ref", "import.ref-unique", "subject ref '\(ref)' is used twice") }
                batch.subjects.append(
                    .init(
                        ref: ref,
                        draft: SubjectDraft(
                            names: [.init(given: value(.givenName) ?? "", family: value(.familyName) ?? "")],
                            aliases: (value(.aliases) ?? "").split(separator: ";").map(\.trimmedWhiteSpace),
                            nickname: value(.nickname), dateOfBirth: value(.dateOfBirth),
                            addresses: value(.address).map { [$0] } ?? [],
                            pncID: value(.pncId), sex: value(.sex) ?? "", sourceType: value(.sourceType) ?? "police",
                            officerDefinedEthnicity: value(.officerEthnicity), selfDefinedEthnicity: value(.selfEthnicity))))
                numbers["subjects", default: []].append(row)
            case "matter":
                if ref.isEmpty { v.fail("row \(row), ref", "import.ref", "a matter needs a ref") }
                // The first row of a ref makes the matter; every row of it links one person to it.
                if matters[ref] == nil, !ref.isEmpty {
                    matters[ref] = row
                    batch.matters.append(
                        .init(
                            ref: ref,
                            draft: MatterDraft(
                                kind: value(.matterKind) ?? "", reference: value(.reference) ?? "", offence: value(.offence),
                                occurredOn: value(.occurredOn) ?? "", basis: value(.basis) ?? "fact",
                                sourceType: value(.sourceType) ?? "police", sourceID: value(.sourceId),
                                grade: value(.gradeSource) == nil ? nil : grade)))
                    numbers["matters", default: []].append(row)
                }
                guard let subject = value(.subject) else {
                    v.fail("row \(row), subject", "import.link", "a matter row names the person it is about and their category")
                    continue
                }
                references.append((row, "subject", subject, ["subject"]))
                batch.links.append(
                    .init(subject: subject, matter: ref, category: value(.category) ?? "", basis: value(.basis) ?? "fact"))
                numbers["links", default: []].append(row)
            case "intelligence":
                if ref.isEmpty { v.fail("row \(row), ref", "import.ref", "an intelligence item needs a ref") }
                if !intelligence.insert(ref).inserted {
                    v.fail("row \(row), ref", "import.ref-unique", "intelligence ref '\(ref)' is used twice")
                }
                let subject = value(.subject) ?? ""
                references.append((row, "subject", subject, ["subject"]))
                let social =
                    value(.socialLocator) == nil && value(.socialCapturedAt) == nil
                    ? nil
                    : IntelligenceDraft.SocialMedia(
                        locator: value(.socialLocator), capturedAt: value(.socialCapturedAt),
                        captureMethod: value(.socialCaptureMethod), contentSHA256: value(.socialContentSha256),
                        attributionBasis: value(.socialAttributionBasis),
                        authorisationReference: value(.socialAuthorisationReference))
                batch.intelligence.append(
                    .init(
                        ref: ref, subject: subject,
                        draft: IntelligenceDraft(
                            subjectID: "", text: value(.text) ?? "", grade: grade, basis: value(.basis) ?? "assessment",
                            sourceType: value(.sourceType) ?? "", sourceID: value(.sourceId), socialMedia: social)))
                numbers["intelligence", default: []].append(row)
            case "flag":
                let subject = value(.subject) ?? ""
                references.append((row, "subject", subject, ["subject"]))
                let evidence = (value(.evidence) ?? "").split(separator: ";").map(\.trimmedWhiteSpace)
                for ref in evidence { references.append((row, "evidence", ref, ["matter", "intelligence"])) }
                batch.flags.append(
                    .init(
                        subject: subject, kind: value(.flag) ?? "", intelligence: evidence.filter { intelligence.contains($0) },
                        matters: evidence.filter { !intelligence.contains($0) }))
                numbers["flags", default: []].append(row)
            case let other:
                v.fail(
                    "row \(row), kind", "import.kind",
                    "the kind is one of \(kinds.joined(separator: ", "))\(other.map { "; '\($0.prefix(40))' is not" } ?? "")")
            }
        }
        for r in references {
            let known =
                (r.kinds.contains("subject") && subjects.contains(r.ref)) || (r.kinds.contains("matter") && matters[r.ref] != nil)
                || (r.kinds.contains("intelligence") && intelligence.contains(r.ref))
            if !known {
                v.fail(
                    "row \(r.row), \(r.column)", "import.ref",
                    "no \(r.kinds.sorted().joined(separator: " or ")) with ref '\(r.ref.prefix(60))' in this file")
            }
        }
        return ImportFile(batch: batch, rowNumbers: numbers, rows: file.rows.count, problems: v.violations)
    }

    /// A violation of the register's rules, named in the file's words: "subjects[3].dateOfBirth"
    /// becomes "row 7, date_of_birth", and so does the field's name in the message.
    public func locate(_ violation: FieldViolation) -> FieldViolation {
        let field = violation.field
        guard let bracket = field.firstIndex(of: "["), let close = field.firstIndex(of: "]"),
            let index = Int(field[field.index(after: bracket)..<close]),
            let row = rowNumbers[String(field[..<bracket])].flatMap({ index < $0.count ? $0[index] : nil })
        else { return violation }
        let section = String(field[..<bracket])
        var rest = String(field[field.index(after: close)...])
        if rest.hasPrefix(".") { rest.removeFirst() }
        let column = Self.column(for: rest, in: section)
        return FieldViolation(
            field: column.isEmpty ? "row \(row)" : "row \(row), \(column)", rule: violation.rule,
            message: column.isEmpty ? violation.message : PlainWords.replacing(rest, in: violation.message, with: column))
    }

    static func column(for field: String, in section: String) -> String {
        let named: [String: String] = [
            "names[0].given": "given_name", "names[0].family": "family_name", "pncId": "pnc_id", "pncID": "pnc_id",
            "officerDefinedEthnicity": "officer_ethnicity", "selfDefinedEthnicity": "self_ethnicity", "intelligenceIds": "evidence",
            "matterIds": "evidence", "subject": "subject", "matter": "ref", "names": "given_name",
        ]
        if let column = named[field] { return column }
        if field == "kind" { return section == "matters" ? "matter_kind" : section == "flags" ? "flag" : "kind" }
        if field.hasPrefix("socialMedia.") { return "social_" + snake(String(field.dropFirst("socialMedia.".count))) }
        if field.hasPrefix("grade.") { return "grade_" + snake(String(field.dropFirst("grade.".count))) }
        if field.hasPrefix("addresses") { return "address" }
        if field.hasPrefix("aliases") { return "aliases" }
        if field.hasPrefix("intelligenceIds") || field.hasPrefix("matterIds") { return "evidence" }
        return snake(field)
    }

    static func snake(_ camel: String) -> String {
        var out = ""
        for c in camel {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out.replacingOccurrences(of: "_s_h_a256", with: "_sha256")
    }
}
