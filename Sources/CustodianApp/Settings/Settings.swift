import Configuration
import Foundation
import SystemPackage

/// Custodian's settings, read once at start from three sources in order of precedence: the
/// command line, the environment (`CUSTODIAN_…`), and a JSON file (`--config` or
/// `CUSTODIAN_CONFIG`), then each setting's default. Reading notes every problem it meets, so a
/// start that cannot go ahead says everything that is wrong at once, each by its names.
struct Settings: Sendable {
    let reader: ConfigReader
    let sources: SettingSources
    /// The sources in order, as a message names them.
    let sourceNames: [String]
    let file: String?
    /// The environment the settings were read from, where the keys themselves may also be.
    let environment: [String: String]

    static let fileVariable = "CUSTODIAN_CONFIG"

    /// Reads the environment and the file; `commandLine` holds what flags were given.
    static func load(
        commandLine: [Setting: ConfigContent], file explicitFile: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(SettingsError) -> Settings {
        let secrets = Set(Setting.all.filter(\.isSecret).map(\.environmentVariable))
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "command line",
                values: commandLine.reduce(into: [:]) { values, given in
                    values[AbsoluteConfigKey(ConfigKey(given.key.key))] = ConfigValue(given.value, isSecret: false)
                }),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .specific(secrets))
                .prefixKeys(with: "custodian"),
        ]
        var names = ["the command line", "the environment"]
        let file = explicitFile ?? environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let file {
            try SettingsFile.check(file)
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(file)))
            } catch {
                throw SettingsError(["the configuration file \(file) is not a JSON object of settings: \(error)"])
            }
            names.append("the file \(file)")
        }
        let sources = SettingSources()
        return Settings(
            reader: ConfigReader(providers: providers, accessReporter: sources), sources: sources, sourceNames: names, file: file,
            environment: environment)
    }

    /// Where `setting`'s value came from, for `custodian config check`.
    func source(of setting: Setting) -> String {
        guard let index = sources.found(setting)?.source, sourceNames.indices.contains(index) else { return "default" }
        return sourceNames[index]
    }

    func string(_ setting: Setting, _ problems: inout [String]) -> String? {
        let value = reader.string(forKey: ConfigKey(setting.key), isSecret: setting.isSecret)
        note(setting, expecting: "text", &problems)
        return value.flatMap { $0.isEmpty ? nil : $0 }
    }

    func int(_ setting: Setting, _ problems: inout [String]) -> Int? {
        let value = reader.int(forKey: ConfigKey(setting.key), isSecret: setting.isSecret)
        note(setting, expecting: "a whole number", &problems)
        return value
    }

    func bool(_ setting: Setting, _ problems: inout [String]) -> Bool? {
        let value = reader.bool(forKey: ConfigKey(setting.key), isSecret: setting.isSecret)
        note(setting, expecting: "true or false", &problems)
        return value
    }

    private func note(_ setting: Setting, expecting kind: String, _ problems: inout [String]) {
        guard let found = sources.found(setting), found.unreadable else { return }
        let place = found.source.flatMap { sourceNames.indices.contains($0) ? sourceNames[$0] : nil } ?? "its source"
        problems.append("\(setting): the value from \(place) is not \(kind)")
    }
}

/// Everything wrong with the settings, one line each; Custodian does not start until it is put right.
struct SettingsError: Error, CustomStringConvertible {
    let problems: [String]
    init(_ problems: [String]) { self.problems = problems }

    var description: String {
        (["Custodian cannot start: \(problems.count == 1 ? "a setting is" : "\(problems.count) settings are") wrong."]
            + problems.map { "  - " + $0 }).joined(separator: "\n")
    }
}
