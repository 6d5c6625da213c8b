import ArgumentParser
import CustodianCore
import Crypto
import CustodianStorage
import Foundation
import Testing

@testable import CustodianApp

/// Every setting comes from the command line, the environment or the configuration file, in that
/// order, and a start that cannot honour one stops before anything opens, naming the setting by
/// all its names and saying where the wrong value came from. Tried from each source, with values
/// of the wrong kind, out of range, misspelt keys, loose files and keys that are not there.
@Suite struct SettingsTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func file(_ json: String, mode: Int = 0o600) throws -> String {
        let path = dir.appendingPathComponent("custodian-\(UUID().uuidString).json").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(json.utf8), attributes: [.posixPermissions: mode]))
        return path
    }

    func read(_ arguments: [String], environment: [String: String] = [:]) async throws -> (StoreSettings, ServeSettings) {
        let command = try ConfigCommand.Check.parse(arguments)
        return try await command.http.settings(with: command.store, environment: environment)
    }

    func problems(_ arguments: [String], environment: [String: String] = [:]) async -> [String] {
        do {
            _ = try await read(arguments, environment: environment)
            return []
        } catch let error as SettingsError {
            return error.problems
        } catch {
            return ["\(error)"]
        }
    }

    @Test func theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() async throws {
        let config = try file(
            #"{"database": "/srv/file.sqlite", "http": {"port": 8001, "host": "10.0.0.1"}, "auditOrigin": "file.example/audit"}"#)
        let environment = ["CUSTODIAN_HTTP_PORT": "8002", "CUSTODIAN_AUDIT_ORIGIN": "env.example/audit"]

        let (fileStore, fileServe) = try await read(["--config", config])
        #expect(fileStore.database == .sqlite(path: "/srv/file.sqlite"))
        #expect(fileServe.port == 8001 && fileServe.host == "10.0.0.1")

        let (envStore, envServe) = try await read(["--config", config], environment: environment)
        #expect(envServe.port == 8002 && envServe.host == "10.0.0.1")
        #expect(envStore.auditOrigin == "env.example/audit")

        let (flagStore, flagServe) = try await read(
            ["--config", config, "--port", "8003", "--audit-origin", "flag.example/audit"], environment: environment)
        #expect(flagServe.port == 8003)
        #expect(flagStore.auditOrigin == "flag.example/audit")
        #expect(flagStore.database == .sqlite(path: "/srv/file.sqlite"))

        // The file may also be named in the environment.
        let (named, _) = try await read([], environment: ["CUSTODIAN_CONFIG": config])
        #expect(named.database == .sqlite(path: "/srv/file.sqlite"))

        let (defaults, defaultServe) = try await read([])
        #expect(defaults.database == .sqlite(path: "data/custodian.sqlite"))
        #expect(defaultServe.port == 8080 && defaultServe.idleConnectionSeconds == 30 && defaultServe.metricsToken == nil)
    }

    let witness = Cosigner(name: "regulator.example/witness", privateKey: .init())
    let otherWitness = Cosigner(name: "mopac.example/witness", privateKey: .init())

    /// The variable each setting is documented under is the one the reader reads.
    @Test func everySettingIsReadFromItsOwnEnvironmentVariable() async throws {
        let keyFile = dir.appendingPathComponent("a.key").path
        #expect(FileManager.default.createFile(atPath: keyFile, contents: Data("x".utf8), attributes: [.posixPermissions: 0o600]))
        let values: [Setting: String] = [
            .database: "/srv/env.sqlite", .keyStore: "/srv/keys.sqlite", .masterKeyFile: keyFile, .auditKeyFile: keyFile,
            .auditOrigin: "env.example/audit", .host: "0.0.0.0", .port: "8443", .idleConnectionSeconds: "45", .secureCookies: "true",
            .metricsToken: String(repeating: "t", count: 32), .backupDirectory: "/srv/backups", .backupIntervalMinutes: "60",
            .checkpointFile: "/srv/register.checkpoint", .otlpEndpoint: "http://collector.example:4318/v1/traces",
            .witnesses:
                "\(witness.publicKey.verifierKey) https://witness.example/tlog, \(otherWitness.publicKey.verifierKey) http://10.0.0.9:8480",
        ]
        // TLS files are read at start: named here, they are looked for where the variables say.
        let tls: [Setting: String] = [.tlsCertificateFile: "/srv/tls/nowhere.pem", .tlsKeyFile: keyFile]
        // pgBackRest backs PostgreSQL up alone.
        let pgBackRest: [Setting: String] = [.pgBackRestStanza: "main", .pgBackRestConfig: keyFile]
        #expect(Set(values.keys).union(tls.keys).union(pgBackRest.keys) == Set(Setting.all))
        let (_, postgresServe) = try await read(
            [],
            environment: Dictionary(uniqueKeysWithValues: pgBackRest.map { ($0.key.environmentVariable, $0.value) }).merging([
                "CUSTODIAN_DATABASE": "postgres://custodian@db.example/custodian", "CUSTODIAN_MASTER_KEY": "k", "CUSTODIAN_AUDIT_KEY": "k",
            ]) { $1 })
        #expect(postgresServe.pgBackRest?.stanza == "main" && postgresServe.pgBackRest?.config == keyFile)
        let tlsProblems = await problems(
            [], environment: Dictionary(uniqueKeysWithValues: tls.map { ($0.key.environmentVariable, $0.value) }))
        #expect(
            tlsProblems.count == 1 && tlsProblems[0].hasPrefix("tls.certificateFile") && tlsProblems[0].contains("/srv/tls/nowhere.pem"),
            "\(tlsProblems)")
        let (store, serve) = try await read(
            [], environment: Dictionary(uniqueKeysWithValues: values.map { ($0.key.environmentVariable, $0.value) }))
        #expect(store.database == .sqlite(path: "/srv/env.sqlite"))
        #expect(store.keyStore == .sqlite(path: "/srv/keys.sqlite"))
        #expect(store.masterKeyFile == keyFile && store.auditKeyFile == keyFile)
        #expect(store.auditOrigin == "env.example/audit")
        #expect(store.checkpointFile == "/srv/register.checkpoint" && PublishedCheckpoint(store)?.path == "/srv/register.checkpoint")
        #expect(store.witnesses.map(\.name) == [witness.name, otherWitness.name])
        #expect(store.witnesses.map(\.url.absoluteString) == ["https://witness.example/tlog", "http://10.0.0.9:8480"])
        #expect(serve.host == "0.0.0.0" && serve.port == 8443 && serve.idleConnectionSeconds == 45 && serve.secureCookies)
        #expect(serve.metricsToken == String(repeating: "t", count: 32))
        #expect(serve.otlpEndpoint == "http://collector.example:4318/v1/traces")
        #expect(serve.backupDirectory == "/srv/backups" && serve.backupIntervalMinutes == 60)
    }

    @Test func aPortOutsideOneTo65535IsRefusedFromEverySource() async throws {
        for port in ["0", "65536", "99999", "-1"] {
            let fromFlag = await problems(["--port=\(port)"])
            let fromEnvironment = await problems([], environment: ["CUSTODIAN_HTTP_PORT": port])
            let fromFile = await problems(["--config", try file(#"{"http": {"port": \#(port)}}"#)])
            for (said, source) in [(fromFlag, "the command line"), (fromEnvironment, "the environment"), (fromFile, "the file")] {
                #expect(said.count == 1, "\(port) from \(source): \(said)")
                #expect(
                    said.first?.hasPrefix("http.port, --port, CUSTODIAN_HTTP_PORT: a TCP port is from 1 to 65535; \(port), from \(source)")
                        == true, "\(said)")
            }
        }
        #expect(try await read(["--port", "65535"]).1.port == 65_535)
    }

    /// A value of the wrong kind is not quietly replaced by the default.
    @Test func aValueOfTheWrongKindIsRefusedNotDefaulted() async throws {
        let said = await problems(
            ["--config", try file(#"{"http": {"idleConnectionSeconds": "soon"}}"#)],
            environment: ["CUSTODIAN_HTTP_PORT": "eighty", "CUSTODIAN_HTTP_SECURE_COOKIES": "perhaps"])
        #expect(said.contains("http.port, --port, CUSTODIAN_HTTP_PORT: the value from the environment is not a whole number"), "\(said)")
        #expect(
            said.contains {
                $0.hasPrefix(
                    "http.secureCookies, --secure-cookies, CUSTODIAN_HTTP_SECURE_COOKIES: the value from the environment is not true or false"
                )
            }, "\(said)")
        #expect(
            said.contains {
                $0.hasPrefix("http.idleConnectionSeconds") && $0.contains("from the file") && $0.contains("not a whole number")
            }, "\(said)")
        #expect(said.count == 3, "\(said)")
    }

    @Test func theFileMustBeTheOwnersKnownKeysAndThere() async throws {
        let misspelt = await problems(["--config", try file(#"{"http": {"prot": 8443}, "databse": "/x"}"#)])
        #expect(misspelt.count == 2)
        #expect(misspelt.allSatisfy { $0.contains("which is not a Custodian setting") }, "\(misspelt)")
        #expect(misspelt.contains { $0.contains("sets databse,") } && misspelt.contains { $0.contains("sets http.prot,") })

        for mode in [0o644, 0o604, 0o660, 0o622] {
            let loose = await problems(["--config", try file(#"{"http": {"port": 8443}}"#, mode: mode)])
            #expect(
                loose.count == 1 && loose[0].contains("users it does not belong to") && loose[0].contains("chmod 640"),
                "\(String(mode, radix: 8)): \(loose)")
        }
        #expect(try await read(["--config", try file(#"{"http": {"port": 8443}}"#, mode: 0o640)]).1.port == 8443)

        let missing = await problems(["--config", dir.appendingPathComponent("absent.json").path])
        #expect(missing.count == 1 && missing[0].contains("cannot be read"), "\(missing)")
        let broken = await problems(["--config", try file(#"{"http": "#)])
        #expect(broken.count == 1 && broken[0].contains("is not a JSON object of settings"), "\(broken)")
        let notAnObject = await problems(["--config", try file(#"[8443]"#)])
        #expect(notAnObject.count == 1 && notAnObject[0].contains("is not a JSON object of settings"), "\(notAnObject)")
    }

    @Test func aKeyFileThatIsNotThereOrIsLooseStopsTheStart() async throws {
        let absent = dir.appendingPathComponent("absent.key").path
        let loose = dir.appendingPathComponent("loose.key").path
        #expect(FileManager.default.createFile(atPath: loose, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        let said = await problems(["--master-key-file", absent, "--audit-key-file", loose])
        #expect(said.count == 2, "\(said)")
        #expect(
            said.contains("masterKeyFile, --master-key-file, CUSTODIAN_MASTER_KEY_FILE: there is no master key file at \(absent)"),
            "\(said)")
        #expect(
            said.contains {
                $0.hasPrefix("auditKeyFile, --audit-key-file, CUSTODIAN_AUDIT_KEY_FILE:") && $0.contains("chmod 600 \(loose)")
            }, "\(said)")

        let postgres = await problems(["--database", "postgres://custodian@db.example/custodian"])
        #expect(postgres.count == 2 && postgres.allSatisfy { $0.contains("PostgreSQL needs the") }, "\(postgres)")
        let keysInEnvironment = ["CUSTODIAN_MASTER_KEY": "k", "CUSTODIAN_AUDIT_KEY": "k"]
        #expect(await problems(["--database", "postgres://custodian@db.example/custodian"], environment: keysInEnvironment).isEmpty)
        // Custodian backs up SQLite alone; PostgreSQL has its own tools.
        let backups = await problems(
            ["--database", "postgres://custodian@db.example/custodian", "--backup-directory", "/srv/b"], environment: keysInEnvironment)
        #expect(backups.count == 1 && backups[0].hasPrefix("backup.directory, --backup-directory") && backups[0].contains("pgBackRest"))
        #expect(await problems(["--backup-interval-minutes", "0"]).first?.hasPrefix("backup.intervalMinutes") == true)
        // Witnesses: a witness's key (not the log's) and an http(s) address each, named once, never the log's own origin.
        let key = witness.publicKey.verifierKey
        for (hostile, says) in [
            ("\(key)", "'VKEY URL'"), ("\(key) ftp://w.example", "a witness's address"),
            ("\(key) https://w.example, \(key) https://x.example", "named twice"),
            ("custodian.local/audit+00000000+AQ== https://w.example", "a witness key"),
            (
                "\(Cosigner(name: "custodian.local/audit", privateKey: .init()).publicKey.verifierKey) https://w.example",
                "the log's own origin"
            ),
        ] {
            let said = await problems(["--witnesses=\(hostile)"])
            #expect(said.count == 1 && said[0].hasPrefix("audit.witnesses") && said[0].contains(says), "\(said)")
        }
        // Traces go to an http(s) address with a host, and no credentials in it for config check to show.
        for hostile in ["collector:4318", "ftp://collector/v1/traces", "http://user:secret@collector/v1/traces", "http:///v1/traces"] {
            let said = await problems(["--otlp-endpoint=\(hostile)"])
            #expect(said.count == 1 && said[0].hasPrefix("tracing.otlpEndpoint") && said[0].contains("not one"), "\(said)")
        }
        // pgBackRest backs up PostgreSQL alone, by a stanza's name, from a file that is there.
        let onSQLite = await problems(["--pgbackrest-stanza", "main"])
        #expect(onSQLite.count == 1 && onSQLite[0].hasPrefix("backup.pgbackrestStanza") && onSQLite[0].contains("SQLite"), "\(onSQLite)")
        let postgres2 = ["--database", "postgres://custodian@db.example/custodian"]
        for hostile in ["../main", "-main", "main stanza", "main\n", String(repeating: "s", count: 65)] {
            let said = await problems(postgres2 + ["--pgbackrest-stanza=\(hostile)"], environment: keysInEnvironment)
            #expect(said.count == 1 && said[0].hasPrefix("backup.pgbackrestStanza") && said[0].contains("not one"), "\(said)")
        }
        let noConfig = await problems(
            postgres2 + ["--pgbackrest-stanza", "main", "--pgbackrest-config", absent], environment: keysInEnvironment)
        #expect(noConfig.count == 1 && noConfig[0].hasPrefix("backup.pgbackrestConfig") && noConfig[0].contains(absent), "\(noConfig)")
        let configAlone = await problems(postgres2 + ["--pgbackrest-config", loose], environment: keysInEnvironment)
        #expect(configAlone.count == 1 && configAlone[0].hasPrefix("backup.pgbackrestConfig") && configAlone[0].contains("no stanza"))
        // Without a checkpoint file, a PostgreSQL register keeps none, and config check says what that costs.
        let (postgresStore, _) = try await read(postgres2, environment: keysInEnvironment)
        #expect(PublishedCheckpoint(postgresStore) == nil)
        #expect(
            PublishedCheckpoint(StoreSettings(database: .sqlite(path: "/srv/r.sqlite"), auditOrigin: "a"))?.path
                == "/srv/r.sqlite.checkpoint")
        // HTTPS needs both files, the key its owner's alone.
        #expect(await problems(["--tls-certificate-file", keysInEnvironment.keys.first ?? ""]).first?.hasPrefix("tls.keyFile") == true)
        let looseTLSKey = dir.appendingPathComponent("tls.key").path
        #expect(FileManager.default.createFile(atPath: looseTLSKey, contents: Data("k".utf8), attributes: [.posixPermissions: 0o640]))
        let looseTLS = await problems(["--tls-certificate-file", absent, "--tls-key-file", looseTLSKey])
        #expect(looseTLS.count == 1 && looseTLS[0].hasPrefix("tls.keyFile") && looseTLS[0].contains("chmod 600"), "\(looseTLS)")
    }

    @Test func everyProblemIsNamedAtOnceAndSecretsAreNotShown() async throws {
        let token = "a-scraper-token-of-thirty-two-chars"
        let config = try file(#"{"metrics": {"token": "\#(token)"}, "auditOrigin": "two words"}"#)
        let command = try ConfigCommand.Check.parse(["--config", config, "--idle-connection-seconds", "0", "--port", "70000"])
        let report = ConfigCommand.Check.report(try await command.http.load(with: command.store, environment: [:]))
        #expect(report.problems.count == 3, "\(report.problems)")
        #expect(!report.lines.joined().contains(token))
        #expect(
            report.lines.contains { $0.hasPrefix("metrics.token") && $0.contains("set (not shown)") && $0.contains("(the file \(config))") }
        )
        #expect(report.lines.contains { $0.hasPrefix("http.port") && $0.contains("(the command line)") })
        #expect(report.lines.contains { $0.hasPrefix("database") && $0.contains("(default)") })

        let short = await problems([], environment: ["CUSTODIAN_METRICS_TOKEN": "guessable"])
        #expect(short == ["metrics.token, CUSTODIAN_METRICS_TOKEN: a scraper's token is at least 24 characters"])
    }

    /// `serve` reads the same settings and stops before it listens or opens anything.
    @Test func serveRefusesToStartOnABadSetting() async throws {
        let database = dir.appendingPathComponent("never.sqlite").path
        let serve = try Serve.parse(["--database", database, "--port", "99999"])
        await #expect(throws: SettingsError.self) { try await serve.run() }
        #expect(!FileManager.default.fileExists(atPath: database))
        #expect(CustodianCommand.configuration.version.hasPrefix("custodian "))
    }
}
