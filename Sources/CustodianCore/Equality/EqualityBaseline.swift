import Crypto
import Foundation

public typealias EqualityBaselineID = Identifier<EqualityBaseline>

/// The population the register's counts are compared with: per borough, the people in each
/// ethnic group, age band and sex. Loaded from a CSV with its source named, so every rate the
/// report prints can be traced to a published table (or is marked synthetic, as its source says).
public struct EqualityBaseline: Sendable, Equatable, Codable {
    public let id: EqualityBaselineID
    /// What population it is: "Resident population", "Suspects for relevant offences".
    public let name: String
    /// Where the figures come from, as whoever loaded them stated it.
    public let source: String
    /// SHA-256 of the file as loaded, so a published report can be matched to its file.
    public let digest: String
    public let loadedBy: UserID
    public let loadedAt: Timestamp
    /// "borough/characteristic/group" to population.
    public let figures: [String: Int]

    public init(
        id: EqualityBaselineID, name: String, source: String, digest: String, loadedBy: UserID, loadedAt: Timestamp,
        figures: [String: Int]
    ) {
        self.id = id
        self.name = name
        self.source = source
        self.digest = digest
        self.loadedBy = loadedBy
        self.loadedAt = loadedAt
        self.figures = figures
    }

    public static let columns = ["borough", "characteristic", "group", "population"]

    /// The groups a baseline may give for each of its characteristics: the report's groups that
    /// have a population (not "not stated", "unknown" or "not known").
    public static let groups: [String: [String]] = [
        "ethnicity": EthnicGroup.allCases.filter { $0 != .notStated }.map(\.rawValue),
        "age": AgeBand.allCases.filter { $0 != .unknown }.map(\.rawValue),
        "sex": [Sex.male.rawValue, Sex.female.rawValue],
    ]

    /// The population of `group` in `borough`, or in London (every borough the baseline covers)
    /// when `borough` is nil; nil when the baseline has no figure for it. For many, use `lookup`.
    public func population(_ borough: Borough?, _ characteristic: EqualityCharacteristic, _ group: String) -> Int? {
        lookup.population(borough, characteristic, group)
    }

    /// Every population the report can ask for, London's sums included, computed once: the report
    /// asks for thousands.
    public var lookup: Lookup { Lookup(self) }

    public struct Lookup: Sendable {
        private let table: [String: Int]

        init(_ baseline: EqualityBaseline) {
            var table = baseline.figures
            for borough in baseline.coveredBoroughs {
                for (characteristic, groups) in EqualityBaseline.groups {
                    for group in groups {
                        if let n = baseline.figures["\(borough.rawValue)/\(characteristic)/\(group)"] {
                            table["london/\(characteristic)/\(group)", default: 0] += n
                        }
                    }
                }
            }
            self.table = table
        }

        public func population(_ borough: Borough?, _ characteristic: EqualityCharacteristic, _ group: String) -> Int? {
            table["\(borough?.rawValue ?? "london")/\(characteristic.baselineCharacteristic)/\(group)"]
        }
    }

    public var coveredBoroughs: [Borough] {
        let named = Set(figures.keys.compactMap { $0.split(separator: "/").first.map(String.init) })
        return Borough.allCases.filter { named.contains($0.rawValue) }
    }
}

extension EqualityBaseline {
    /// Reads a baseline file all or nothing: every bad row is named with its column and rule, and
    /// one bad row loads nothing.
    public static func parse(
        csv text: String, name: String, source: String, id: EqualityBaselineID, by user: UserID, at now: Timestamp
    ) throws(RegisterError) -> EqualityBaseline {
        var v = Validator()
        let nameInput = v.text(name, "name", max: 200)
        let sourceInput = v.text(source, "source", max: 1000)
        let (name, source) = try v.finish(nameInput, sourceInput)
        let file = try CSVRows(text: text)
        try file.requireHeader(columns)
        var figures: [String: Int] = [:]
        if file.rows.isEmpty { v.fail("file", "baseline.empty", "the file has no figures") }
        if file.rows.count > 10_000 { v.fail("file", "baseline.size", "a baseline has at most 10,000 rows (33 boroughs need about 400)") }
        for (index, row) in file.rows.prefix(10_000).enumerated() {
            let at = "row \(CSVRows.rowNumber(index))"
            guard row.count == columns.count else {
                v.fail(at, "csv.columns", "\(at) has \(row.count) fields; a baseline row has \(columns.count)")
                continue
            }
            let (borough, characteristic, group, count) = (
                row[0].trimmingCharacters(in: .whitespaces), row[1].trimmingCharacters(in: .whitespaces),
                row[2].trimmingCharacters(in: .whitespaces), row[3].trimmingCharacters(in: .whitespaces)
            )
            var ok = true
            if Borough(rawValue: borough) == nil {
                v.fail("\(at), borough", "baseline.borough", "'\(borough.prefix(40))' is not a London borough's code (e.g. hackney)")
                ok = false
            }
            if let allowed = groups[characteristic] {
                if !allowed.contains(group) {
                    v.fail(
                        "\(at), group", "baseline.group",
                        "'\(group.prefix(40))' is not a \(characteristic) group; use one of \(allowed.joined(separator: ", "))")
                    ok = false
                }
            } else {
                v.fail("\(at), characteristic", "baseline.characteristic", "the characteristic is ethnicity, age or sex")
                ok = false
            }
            let population = Int(count).flatMap { (0...20_000_000).contains($0) ? $0 : nil }
            if population == nil {
                v.fail("\(at), population", "baseline.population", "the population is a whole number from 0 to 20,000,000")
                ok = false
            }
            let key = "\(borough)/\(characteristic)/\(group)"
            if ok, figures[key] != nil {
                v.fail(at, "baseline.duplicate", "\(borough) \(characteristic) \(group) is given twice")
                ok = false
            }
            if ok, let population { figures[key] = population }
        }
        try v.finish()
        return EqualityBaseline(
            id: id, name: name, source: source, digest: SharePackage.hex(SHA256.hash(data: Data(text.utf8))), loadedBy: user, loadedAt: now,
            figures: figures)
    }
}
