import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One process at a time opens a SQLite register: the server, or a command that writes (every
/// command logs what it reads). Two would each append to one audit log from their own idea of
/// where it ends, and fork it. The lock is the kernel's (`flock` on `PATH.lock`), so it goes with
/// the process that holds it, however that process ends; the file says who holds it.
final class RegisterLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock on the register at `path`, or refuses naming the process that holds it.
    /// For a file that is not a register, `named` names it and `refusal` says what a second process would break.
    static func acquire(
        _ path: String, named: String? = nil,
        refusal: String = "one server or command at a time, so its audit log cannot fork; stop that one first"
    ) throws -> RegisterLock {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw CommandError(
                "\(named ?? "the register at \(path)") is open in another process (\(holder.map { $0.isEmpty ? "unknown" : $0 } ?? "unknown")): \(refusal)"
            )
        }
        let holder = "process \(getpid()) (\(CommandLine.arguments.dropFirst().prefix(1).joined()))\n"
        _ = ftruncate(fd, 0)
        _ = holder.withCString { write(fd, $0, strlen($0)) }
        return RegisterLock(descriptor: fd)
    }

    /// Lets the next process in; also done when this one ends, however it ends.
    func release() { _ = flock(descriptor, LOCK_UN) }

    deinit { close(descriptor) }
}
