import Foundation

/// Debian's pgBackRest, as Custodian drives it to back up the PostgreSQL cluster a register lives
/// in. Each backup carries the register's name for it as an annotation, so the log and
/// pgBackRest's repository name the same copy. WAL archiving is the database server's own
/// (`archive_command = 'pgbackrest --stanza=… archive-push %p'`), and makes a backup restorable to
/// any moment after it; restoring is pgBackRest's, on the database's host (docs/operations.md).
struct PgBackRest: Sendable {
    let stanza: String
    /// pgBackRest's configuration file; its default (/etc/pgbackrest/pgbackrest.conf) when nil.
    let config: String?
    var executable = "pgbackrest"

    static let annotationKey = "custodian-backup"

    /// A stanza is pgBackRest's name for one cluster: letters, digits, `-`, `_` and `.`.
    static func isStanza(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && !text.hasPrefix("-")
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0))
            }
    }

    /// Takes a backup (pgBackRest's default type: incremental over the newest full one, or full
    /// when there is none), waiting for the WAL that makes it consistent to be archived, and
    /// returns pgBackRest's label for it.
    func backup(annotatedAs name: String) async throws -> String {
        _ = try await run(["--annotation=\(Self.annotationKey)=\(name)", "backup"])
        let info = try await run(["--output=json", "info"])
        guard let label = try Self.label(annotatedAs: name, in: info) else {
            throw CommandError("pgBackRest finished, but its repository for stanza \(stanza) has no backup annotated \(name)")
        }
        return label
    }

    /// The label of the backup in `pgbackrest info --output=json` whose annotation is `name`.
    static func label(annotatedAs name: String, in info: Data) throws -> String? {
        struct Stanza: Decodable {
            struct Backup: Decodable {
                let label: String
                let annotation: [String: String]?
            }
            let backup: [Backup]
        }
        guard let stanzas = try? JSONDecoder().decode([Stanza].self, from: info) else {
            throw CommandError("pgBackRest's info is not the JSON it documents")
        }
        return stanzas.flatMap(\.backup).last { $0.annotation?[annotationKey] == name }?.label
    }

    /// Runs pgBackRest to its end without holding a thread, and returns what it printed. Its
    /// output goes to files rather than pipes, so a long answer cannot fill a pipe and stall it.
    private func run(_ arguments: [String]) async throws -> Data {
        let files = ["out", "err"].map {
            FileManager.default.temporaryDirectory.appendingPathComponent("custodian-pgbackrest-\(UUID().uuidString).\($0)")
        }
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        var handles: [FileHandle] = []
        defer { for handle in handles { try? handle.close() } }
        for file in files {
            guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CommandError("cannot make a file for pgBackRest's output in \(file.deletingLastPathComponent().path)")
            }
            handles.append(try FileHandle(forWritingTo: file))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable, "--stanza=\(stanza)"] + (config.map { ["--config=\($0)"] } ?? []) + arguments
        process.standardOutput = handles[0]
        process.standardError = handles[1]
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: CommandError("cannot run \(executable): \(error)"))
            }
        }
        let printed = (try? Data(contentsOf: files[0])) ?? Data()
        guard status == 0 else {
            let said = String(decoding: printed + ((try? Data(contentsOf: files[1])) ?? Data()), as: UTF8.self)
            let last = said.split(separator: "\n").suffix(3).joined(separator: " / ")
            throw CommandError("pgBackRest \(arguments.last ?? "") for stanza \(stanza) failed (exit \(status)): \(last)")
        }
        return printed
    }
}
