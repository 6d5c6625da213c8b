import ArgumentParser
import CustodianCore
import Foundation

/// `custodian import FILE --borough B --as USER [--dry-run]`: a borough's feed, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a borough feed (CSV in the README's layout), all or nothing, under the register's rules.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "The borough the feed is for; the user importing must belong to it.") var borough: String
    @Option(name: .customLong("as"), help: "The borough officer importing (their username); every record is logged as theirs.")
    var username: String
    @Option(help: "The purpose, as on the API (e.g. data-quality).") var purpose = "data-quality"
    @Option(help: "Why: logged with every record.") var justification = "Borough feed imported from the borough's system"
    @ArgumentParser.Flag(help: "Validate everything and write nothing.") var dryRun = false

    func run() async throws {
        let started = ContinuousClock.now
        let text = try String(contentsOfFile: file, encoding: .utf8)
        say("Read \(file): \(text.utf8.count) bytes.")
        try await Runtime.with(store) { runtime in
            let user = try await CommandUser.named(username, runtime)
            guard let unit = Borough(rawValue: borough), user.unit == .borough(unit) else {
                throw CommandError("\(username) is not an officer of \(borough): a feed is imported by its own borough")
            }
            let stated = try StatedPurpose(purpose: purpose, justification: justification)
            say(dryRun ? "Validating every row (dry run: nothing will be written)..." : "Validating every row, then writing...")
            do {
                let outcome = try await runtime.register.importRecords(
                    csv: text, dryRun: dryRun,
                    // To standard error, so the summary on standard output stays clean.
                    progress: { [progress = ProgressLine()] p in progress.write(p.work) }, by: user, for: stated)
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                say(
                    "\(outcome.dryRun ? "Would import" : "Imported") \(outcome.rows) rows: \(outcome.subjects) subjects, \(outcome.matters) matters, \(outcome.links) links, \(outcome.intelligence) intelligence items, \(outcome.flags) flags, in \(String(format: "%.1f", seconds)) s (\(Int(Double(outcome.rows) / max(seconds, 0.001))) rows/s). File sha256 \(outcome.digest)."
                )
            } catch RegisterError.invalid(let violations) {
                throw CommandError(
                    "nothing was imported; \(violations.count) problem(s):\n"
                        + violations.map { "  \($0.field): \($0.message) [\($0.rule)]" }.joined(separator: "\n"))
            }
        }
    }
}
