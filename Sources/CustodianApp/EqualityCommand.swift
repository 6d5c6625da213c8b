import ArgumentParser
import CustodianCore
import Foundation

/// `custodian equality report`: the disproportionality report for a named reader (full for
/// governance, suppressed for everyone else, as on the page and the API; each reading logged).
struct EqualityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "equality", abstract: "Equality monitoring: the disproportionality report.", subcommands: [Report.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the disproportionality report (full for governance, suppressed for every other reader).")
        @OptionGroup var store: StoreOptions
        @Option(name: .customLong("as"), help: "Who is reading (their username); the reading is logged as theirs.") var username: String
        @Option(help: "First day (YYYY-MM-DD); default a year before today (the last twelve months).") var from: String?
        @Option(help: "Last day included (YYYY-MM-DD); default today.") var until: String?
        @Option(help: "A published period instead: a quarter such as 2026-Q3, or a year such as 2025.") var period: String?
        @Option(help: "The area to print as text: london or a borough code.") var area = "london"
        @ArgumentParser.Flag(help: "The published (suppressed) version, as governance publishes it.") var published = false
        @ArgumentParser.Flag(help: "Print the whole report as JSON instead of one area as text.") var json = false

        func run() async throws {
            try await Runtime.with(store) { runtime in
                let user = try await CommandUser.named(username, runtime)
                let today = runtime.register.clock.now().day
                let (start, end) = try EqualityReport.period(
                    from: from, until: until, period: period, today: today,
                    published: published || !AccessPolicy.readsUnsuppressed(user))
                let report = try await runtime.register.equalityReport(from: start, until: end, published: published, by: user)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    say(String(decoding: try encoder.encode(report), as: UTF8.self))
                    return
                }
                guard let chosen = report.areas.first(where: { ($0.borough?.rawValue ?? "london") == area }) else {
                    throw CommandError("no area \(area) in the report; use london or a borough code with people or a baseline")
                }
                say(Self.text(report, chosen))
            }
        }

        static func text(_ report: EqualityReport, _ area: EqualityReport.Area) -> String {
            func n(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "-" }
            var lines = [
                "Equality report, \(area.name), \(report.from) to \(report.until)\(report.suppressed ? " (published: counts under 10 suppressed, [c])" : " (FULL FIGURES: governance only, do not publish)")",
                "Baseline: " + (report.baseline.map { "\($0.name). Source: \($0.source)" } ?? "none loaded (no rates)"),
            ]
            for stage in area.stages {
                lines.append("\n\(stage.stage.label): \(stage.total.map(String.init) ?? "[c]")")
                for breakdown in stage.breakdowns {
                    lines.append("  \(breakdown.characteristic.label)")
                    for row in breakdown.rows {
                        let interval = row.lower95.map { "[\(n($0)), \(n(row.upper95))]" } ?? ""
                        let count = row.count.map(String.init) ?? "[c]"
                        let ratio = row.isReference ? "reference" : n(row.relativeRate)
                        lines.append(
                            "    \(row.label.padding(toLength: 24, withPad: " ", startingAt: 0)) \(count.padding(toLength: 7, withPad: " ", startingAt: 0)) per 1,000 \(n(row.ratePerThousand).padding(toLength: 8, withPad: " ", startingAt: 0)) RR \(ratio) \(interval)"
                        )
                    }
                }
            }
            return (lines + ["", EqualityReport.method]).joined(separator: "\n")
        }
    }
}

/// `custodian baseline load FILE`: a baseline population from CSV, all or nothing, with its source.
struct BaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Baseline populations for equality monitoring.", subcommands: [Load.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a baseline from a CSV file (columns borough,characteristic,group,population), all or nothing.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The CSV file.") var file: String
        @Option(help: "Where the figures come from: the published table (e.g. ONS Census 2021 TS021), or that they are synthetic.")
        var source: String
        @Option(help: "What population it is.") var name = "Resident population"
        @Option(name: .customLong("as"), help: "The governance user loading it (their username); logged as theirs.") var username: String

        func run() async throws {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            try await Runtime.with(store) { runtime in
                let user = try await CommandUser.named(username, runtime)
                do {
                    let baseline = try await runtime.register.loadEqualityBaseline(csv: text, name: name, source: source, by: user)
                    say(
                        "Loaded \"\(baseline.name)\": \(baseline.figures.count) figures for \(baseline.coveredBoroughs.count) borough(s), sha256 \(baseline.digest). Source: \(baseline.source)"
                    )
                } catch RegisterError.invalid(let violations) {
                    throw CommandError(
                        "nothing was loaded; fix every row below and load the file again:\n"
                            + violations.map { "  \($0.field): \($0.message) [\($0.rule)]" }.joined(separator: "\n"))
                }
            }
        }
    }
}

enum CommandUser {
    static func named(_ username: String, _ runtime: Runtime) async throws -> User {
        do {
            return try await runtime.directory.user(named: username, by: Directory.commandLine)
        } catch RegisterError.notFound {
            throw CommandError("no user \(username)")
        }
    }
}
