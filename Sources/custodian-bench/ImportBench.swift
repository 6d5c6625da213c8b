import ArgumentParser
import Crypto
import CustodianApp
import CustodianCore
import CustodianStorage
import Foundation

/// What importing a borough feed costs: validation (a dry run: the file's shape and every
/// record's rules) and the import that writes, in rows per second, against reading the same CSV
/// alone, in the same run. Target: validation at 50,000 rows/s or more.
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Validate and import a synthetic feed of N rows; rows/s against reading the CSV alone.")

    @Option(help: "A PostgreSQL URL (a throw-away database: the bench makes and drops its own schema); SQLite otherwise.")
    var postgres: String? = ProcessInfo.processInfo.environment["CUSTODIAN_BENCH_POSTGRES_URL"]
    @Option(help: "Rows in the feed.") var rows = 100_000
    @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

    struct Figures: Codable {
        var database = ""
        var rows = 0
        var readRowsPerSecond = 0.0
        var validateRowsPerSecond = 0.0
        var importRowsPerSecond = 0.0
        var validateToReadRatio = 0.0
        var targetValidateRowsPerSecond = 50_000.0
        var targetMet = false
    }

    /// A feed of invented people: per ten rows, four subjects, three matter links, two intelligence items, one flag.
    static func feed(rows: Int) -> String {
        var lines = [ImportFile.columns.joined(separator: ",")]
        let index = Dictionary(ImportFile.columns.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        func row(_ values: [String: String]) -> String {
            var fields = Array(repeating: "", count: ImportFile.columns.count)
            for (k, v) in values { if let i = index[k] { fields[i] = v } }
            return fields.joined(separator: ",")
        }
        var r = SeededRandom(seed: 15)
        var n = 0
        while lines.count - 1 < rows {
            let s = "s\(n)"
            for k in 0..<4 where lines.count - 1 < rows {
                lines.append(
                    row([
                        "kind": "subject", "ref": "\(s)-\(k)", "given_name": r.pick(DemoVocabulary.givenMale),
                        "family_name": r.pick(DemoVocabulary.family), "date_of_birth": "200\(k)-0\(k + 1)-1\(k)", "sex": "male",
                    ]))
            }
            for k in 0..<3 where lines.count - 1 < rows {
                lines.append(
                    row([
                        "kind": "matter", "ref": "\(s)-m\(k)", "subject": "\(s)-\(k)", "matter_kind": "offence",
                        "reference": "CRIS-\(n)-\(k)",
                        "offence": "robbery", "occurred_on": "2026-0\(k + 1)-0\(k + 1)", "category": "suspect",
                    ]))
            }
            for k in 0..<2 where lines.count - 1 < rows {
                lines.append(
                    row([
                        "kind": "intelligence", "ref": "\(s)-i\(k)", "subject": "\(s)-\(k)",
                        "text": "Seen carrying a blade near the estate",
                        "grade_source": "2", "grade_assessment": "B", "grade_handling": "P", "source_type": "partner",
                    ]))
            }
            if lines.count - 1 < rows {
                lines.append(row(["kind": "flag", "subject": "\(s)-0", "flag": "knife-carrier", "evidence": "\(s)-i0"]))
            }
            n += 1
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    func run() async throws {
        let bench = try await BenchRegister.open(postgres: postgres)
        do {
            let register = bench.register
            try await bench.adoptDPIA()
            let officer = try await bench.user("bench.feed", .boroughOfficer, "hackney")
            let purpose = StatedPurpose(purpose: .dataQuality, justification: "Benchmark: a synthetic borough feed")
            let text = Self.feed(rows: rows)
            func timed(_ body: () async throws -> Void) async throws -> Double {
                let start = ContinuousClock.now
                try await body()
                return seconds(since: start)
            }
            var f = Figures()
            (f.database, f.rows) = (bench.database, rows)
            let read = try await timed { _ = try CSVRows(text: text) }
            let validate = try await timed { _ = try await register.importRecords(csv: text, dryRun: true, by: officer, for: purpose) }
            let write = try await timed { _ = try await register.importRecords(csv: text, dryRun: false, by: officer, for: purpose) }
            (f.readRowsPerSecond, f.validateRowsPerSecond, f.importRowsPerSecond) = (
                Double(rows) / read, Double(rows) / validate, Double(rows) / write
            )
            f.validateToReadRatio = read / validate
            f.targetMet = f.validateRowsPerSecond >= f.targetValidateRowsPerSecond
            try await bench.close()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                say(String(decoding: try encoder.encode(f), as: UTF8.self))
            } else {
                say("Importing a synthetic feed of \(rows) rows on \(f.database):")
                say(String(format: "  read the CSV alone (baseline)   %10.0f rows/s", f.readRowsPerSecond))
                say(
                    String(
                        format: "  validate (dry run)              %10.0f rows/s, %.2fx the read", f.validateRowsPerSecond,
                        f.validateToReadRatio))
                say(String(format: "  import (validate and write)     %10.0f rows/s", f.importRowsPerSecond))
                say("  target: validation at 50,000 rows/s or more   \(f.targetMet ? "met" : "NOT met")")
            }
        } catch {
            try? await bench.close()
            throw error
        }
    }
}
