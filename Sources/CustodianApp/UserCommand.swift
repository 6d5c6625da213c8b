import ArgumentParser
import CustodianCore
import Foundation
import HummingbirdBcrypt

/// User administration from the command line, acting as the logged `custodian command line`
/// actor: how the first administrator comes to exist.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Create users, issue tokens, list users.",
        subcommands: [Create.self, Enrol.self, Token.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @OptionGroup var store: StoreOptions
        @Option var username: String
        @Option var displayName: String
        @Option(help: "borough-officer, borough-spoc, central-analyst, governance, auditor, partner-recipient or administrator") var role:
            String
        @Option(help: "A borough code (hackney, tower-hamlets, ...) or central.") var unit: String
        @Option(help: "YYYY-MM-DD; required before the user may act on data.") var trainingCompletedOn: String?
        @Option(help: "Extra permission (sensitive-data, or data-protection-officer for a governance user).") var permission: [String] = []
        @ArgumentParser.Flag(
            help:
                "Read a password for the pages from standard input: for the installer's own first account only; everyone else sets theirs through `custodian user enrol`."
        ) var passwordStdin = false

        func run() async throws {
            var hash: String?
            if passwordStdin {
                let password = (readLine(strippingNewline: true) ?? "")
                try PasswordPolicy.check(password)
                hash = Bcrypt.hash(password, cost: 12)
            }
            try await Runtime.with(store) { [hash] runtime in
                let user = try await runtime.directory.createUser(
                    UserDraft(
                        username: username, displayName: displayName, role: role, unit: unit, trainingCompletedOn: trainingCompletedOn,
                        permissions: permission),
                    passwordHash: hash, by: Directory.commandLine)
                say("created \(user.username) (\(user.role.label), \(user.unit.name)) id \(user.id)")
                if user.awaitingGrant {
                    say("its role and permissions await a governance user's approval (the Users page, or the grants API)")
                }
            }
        }
    }

    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a single-use enrolment link by which the user sets their own password; it is shown once.")
        @OptionGroup var store: StoreOptions
        @Option var username: String
        @Option(help: "The address the pages are served at, to print the whole link.") var baseURL = "http://127.0.0.1:8080"

        func run() async throws {
            try await Runtime.with(store) { runtime in
                let user = try await runtime.directory.user(named: username, by: Directory.commandLine)
                let link = try await runtime.directory.issueEnrolment(for: user.id, by: Directory.commandLine)
                say("\(baseURL)\(link.path)  (works once, until \(link.expiresAt))")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an API token for a user; it is shown once.")
        @OptionGroup var store: StoreOptions
        @Option var username: String
        @Option var label = "command line"
        @Option(help: "Days the token lasts (1 to 366).") var days = 30

        func run() async throws {
            try await Runtime.with(store) { runtime in
                let user = try await runtime.directory.user(named: username, by: Directory.commandLine)
                say(try await runtime.directory.issueToken(for: user.id, label: label, validForDays: days, by: Directory.commandLine))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await Runtime.with(store) { runtime in
                for u in try await runtime.directory.users(limit: 500, offset: 0, by: Directory.commandLine) {
                    say(
                        "\(u.username)\t\(u.role.rawValue)\t\(u.unit.code)\ttraining \(u.trainingCompletedOn?.description ?? "none")\t\(u.isActive ? "active" : "disabled")"
                    )
                }
            }
        }
    }
}
