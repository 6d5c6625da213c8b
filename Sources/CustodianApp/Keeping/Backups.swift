import CustodianCore
import CustodianStorage
import Crypto
import Foundation

/// Taking a backup of a register while it serves. For SQLite: a folder named for the moment,
/// holding a consistent copy of the register, then of its key store (in that order, so a key
/// destroyed while the copy is made stays destroyed in it), and a manifest with each file's
/// SHA-256. For PostgreSQL: a pgBackRest backup of the cluster, register and key store together,
/// annotated with the same kind of name. The keys that unlock either are never in it: keep those
/// apart (docs/operations.md).
struct Backups: Sendable {
    let runtime: Runtime
    /// What backs up a PostgreSQL register.
    var pgBackRest: PgBackRest?

    static let manifestName = "backup.json"
    static let registerName = "register.sqlite"
    static let keysName = "keys.sqlite"

    struct Manifest: Codable, Equatable {
        var name: String
        var takenAt: String
        var entries: Int64
        var custodian: String
        /// File name to lower-case hex SHA-256.
        var sha256: [String: String]
    }

    /// Takes a backup, logged as started and finished by `actor`: of a SQLite register into a new
    /// folder under `directory`, of a PostgreSQL one through pgBackRest.
    func take(into directory: String?, by actor: User) async throws -> BackupRecord {
        if case .postgres = runtime.location {
            guard let pgBackRest else {
                throw CommandError(
                    "a PostgreSQL register is backed up through pgBackRest: set \(Setting.pgBackRestStanza) (docs/operations.md)")
            }
            return try await take(through: pgBackRest, by: actor)
        }
        guard case .sqlite(let registerPath) = runtime.location, registerPath != ":memory:",
            case .sqlite(let keysPath) = runtime.keyLocation
        else {
            throw CommandError("a register in memory, or one whose key store is not a SQLite file beside it, cannot be copied")
        }
        guard let directory else {
            throw CommandError("a SQLite register is backed up into a folder: set \(Setting.backupDirectory) (or --to)")
        }
        let takenAt = runtime.register.clock.now()
        let name = BackupRecord.name(at: takenAt)
        let folder = URL(fileURLWithPath: directory).appendingPathComponent(name)
        try PrivateFiles.createDirectory(folder.deletingLastPathComponent())
        guard
            (try? FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])) != nil
        else { throw CommandError("cannot make \(folder.path): a backup of that second is there already, or the folder cannot be written") }

        try await runtime.register.beginBackup(name, by: actor)
        let register = folder.appendingPathComponent(Self.registerName).path
        try await SQLiteCopy.copy(from: registerPath, to: register)
        try await SQLiteCopy.copy(from: keysPath, to: folder.appendingPathComponent(Self.keysName).path)
        let entries = try SQLiteCopy.logLength(register)
        var manifest = Manifest(
            name: name, takenAt: takenAt.description, entries: entries, custodian: CustodianVersion.current, sha256: [:])
        for file in [Self.registerName, Self.keysName] {
            let url = folder.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: url.path) { manifest.sha256[file] = try Self.digest(url) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: folder.appendingPathComponent(Self.manifestName))
        try await runtime.register.finishBackup(name, entries: entries, by: actor)
        return BackupRecord(name: name, takenAt: takenAt, entries: entries)
    }

    /// The whole PostgreSQL cluster, register and key store in one consistent copy. Everything
    /// logged up to the backup's start entry is in it (its log's length then is the count
    /// recorded); what is logged while it runs may be too.
    private func take(through pgBackRest: PgBackRest, by actor: User) async throws -> BackupRecord {
        let takenAt = runtime.register.clock.now()
        let name = BackupRecord.name(at: takenAt)
        try await runtime.register.beginBackup(name, by: actor)
        let entries = try await runtime.ledger.size()
        let label = try await pgBackRest.backup(annotatedAs: name)
        try await runtime.register.finishBackup(name, entries: entries, copy: "pgBackRest backup \(label)", by: actor)
        return BackupRecord(name: name, takenAt: takenAt, entries: entries)
    }

    /// Reads a backup folder's manifest and checks every file it lists against its digest.
    static func open(_ folder: URL) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(manifestName).path),
            let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else { throw CommandError("\(folder.path) is not a Custodian backup: it has no readable \(manifestName)") }
        guard BackupRecord.isName(manifest.name), manifest.sha256[registerName] != nil, manifest.sha256[keysName] != nil else {
            throw CommandError("\(folder.path)/\(manifestName) does not describe a whole backup")
        }
        for (file, expected) in manifest.sha256.sorted(by: { $0.key < $1.key }) {
            guard [registerName, keysName].contains(file) else {
                throw CommandError("\(folder.path)/\(manifestName) lists \(file), which is no part of a backup")
            }
            let actual = try digest(folder.appendingPathComponent(file))
            guard actual == expected else {
                throw CommandError("\(folder.path)/\(file) is not the file that was backed up: its SHA-256 differs from the manifest's")
            }
        }
        return manifest
    }

    static func digest(_ url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
