import ArgumentParser
import CustodianCore
import Foundation

/// `custodian record-of-processing`: the s.61 record, generated from the live configuration, for
/// a named governance user or auditor (the generation is logged under their name).
struct RecordOfProcessingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-of-processing", abstract: "Print the s.61 record of processing, generated from the live configuration.")
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("as"), help: "The governance user or auditor asking (their username); the generation is logged as theirs.")
    var username: String
    @Option(help: "Why: the justification logged with the generation.") var justification = "Record of processing for the controller's file"
    @ArgumentParser.Flag(help: "Print JSON instead of text.") var json = false

    func run() async throws {
        try await Runtime.with(store) { runtime in
            let user = try await CommandUser.named(username, runtime)
            let purpose = StatedPurpose(
                purpose: AccessPolicy.purposes(for: user.role).first ?? .registerReview, justification: justification)
            var record = try await runtime.register.recordOfProcessing(by: user, for: purpose)
            record.logWitnesses = runtime.witnesses.map(\.name)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                say(String(decoding: try encoder.encode(record), as: UTF8.self))
            } else {
                say(Self.text(record))
            }
        }
    }

    static func text(_ r: RecordOfProcessing) -> String {
        func section(_ title: String, _ lines: [String]) -> String { "\n\(title)\n" + lines.map { "  - \($0)" }.joined(separator: "\n") }
        return "Record of processing (DPA 2018 s.61), generated \(r.generatedAt.date)\n"
            + section("Controller", [r.controller, r.dataProtectionOfficer])
            + section("Purposes", r.purposes) + section("Legal basis", r.legalBasis)
            + section("Categories of people", r.subjectCategories)
            + section("Categories of personal data", r.dataCategories.map { "\($0.field) (\($0.kind.rawValue)): \($0.meaning)" })
            + section(
                "Recipients",
                r.recipients.isEmpty
                    ? ["None: no agreement is in force"]
                    : r.recipients.map {
                        "\($0.partnerKind) under \"\($0.agreement)\" (\($0.legalPower)) until \($0.until): \($0.fields.joined(separator: ", "))"
                    })
            + section("Transfers", [r.transfers]) + section("Retention", r.retention)
            + section(
                "Profiling",
                [
                    r.profiling.method, "Rulebook version \(r.profiling.rulebookVersion); bands: \(r.profiling.bands)",
                    r.profiling.humanDecision,
                ])
            + section("Security", r.security) + section("Logging (s.62)", [r.logging.joined(separator: ", ")])
            + section(
                "Witnesses of the s.62 log",
                (r.logWitnesses ?? []).isEmpty
                    ? ["None: no body outside the controller cosigns the log's checkpoints"]
                    : (r.logWitnesses ?? []).map {
                        "\($0): receives each checkpoint (a size and a root hash), never an entry, and cosigns it"
                    })
            + section("DPIA (s.64)", [r.dpia]) + section("Sensitive processing (s.42)", [r.sensitiveProcessing])
    }
}
