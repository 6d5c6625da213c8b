import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The register, its key store and its keys are its owner's alone: every file Custodian makes is
/// created readable and writable only by the user the server runs as (0600, directories 0700),
/// and it refuses to open one that anyone else could read or write, naming the file and the fix.
/// A register copied with a loose umask, or a key file left world-readable, is a disclosure of
/// everyone on it waiting to happen.
enum PrivateFiles {
    /// From here on, files and directories this process creates (SQLite's database, journal and
    /// shared-memory files included) are private to its owner.
    static func restrictNewFiles() { _ = umask(0o077) }

    static func createDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Refuses `path`, when it exists, if its group or others have any access to it.
    static func requirePrivate(_ path: String, _ what: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 != 0 else { return }
        let isDirectory = status.st_mode & S_IFMT == S_IFDIR
        throw CommandError(
            "the \(what) \(path) can be read or written by users other than its owner (mode \(String(mode, radix: 8))): "
                + "run chmod \(isDirectory ? "700" : "600") \(path) before starting Custodian")
    }

    /// The SQLite database at `path` with the journal and shared-memory files beside it.
    static func requirePrivateDatabase(_ path: String, _ what: String) throws {
        for file in [path, path + "-wal", path + "-shm"] { try requirePrivate(file, what) }
    }
}
