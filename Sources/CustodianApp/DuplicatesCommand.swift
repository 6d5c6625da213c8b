import ArgumentParser
import CustodianCore
import Foundation

/// `custodian duplicates scan|list --as USER`: the duplicate queue from the command line, under the
/// same rules and logging as the page and the API.
struct DuplicatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates", abstract: "Records of one person held by different boroughs.", subcommands: [Scan.self, List.self])

    struct Who: ParsableArguments {
        @Option(name: .customLong("as"), help: "The central analyst or governance user (their username); logged as theirs.")
        var username: String
        @Option(help: "The purpose, as on the API (data-quality or register-review).") var purpose = "data-quality"
        @Option(help: "Why: logged with the reading.") var justification = "Finding records of one person held by several boroughs"
    }

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find candidate pairs across boroughs and replace the queue.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var who: Who

        func run() async throws {
            try await Runtime.with(store) { runtime in
                let user = try await CommandUser.named(who.username, runtime)
                let scan = try await runtime.register.scanForDuplicates(
                    progress: { [progress = ProgressLine()] p in progress.write(p) }, by: user,
                    for: try StatedPurpose(purpose: who.purpose, justification: who.justification))
                say(
                    "Compared \(scan.compared) pairs across boroughs; \(scan.candidates) scored \(DuplicateMatch.queueThreshold) or more and are queued."
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a page of the queue (logged as consultation and combination).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var who: Who
        @Option(help: "Where the page starts.") var offset = 0

        func run() async throws {
            try await Runtime.with(store) { runtime in
                let user = try await CommandUser.named(who.username, runtime)
                let page = try await runtime.register.duplicateQueue(
                    offset: offset, by: user, for: try StatedPurpose(purpose: who.purpose, justification: who.justification))
                say("\(page.total) pairs waiting.")
                for pair in page.pairs {
                    func line(_ s: DuplicateSide) -> String {
                        "\(s.id) \(s.unit.rawValue): \(s.personal.displayName), born \(s.personal.dateOfBirth?.description ?? "?"), PNC \(s.personal.pncID ?? "-")"
                    }
                    say("score \(pair.candidate.match.score)\n  \(line(pair.first))\n  \(line(pair.second))")
                    for e in pair.candidate.match.evidence { say("    \(e.weight > 0 ? "+" : "")\(e.weight) \(e.explanation)") }
                }
                if let next = page.next { say("Next page: --offset \(next)") }
            }
        }
    }
}
