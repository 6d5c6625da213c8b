import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The configuration file decides where the register is and who may read its metrics, so only
/// its owner (and its group, for a file root keeps for the service) may change it, no one else may
/// read it, and every key in it must be one Custodian knows: a misspelt key would otherwise be
/// ignored and its default used without a word.
enum SettingsFile {
    static func check(_ path: String) throws(SettingsError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw SettingsError(["the configuration file \(path) cannot be read: \(String(cString: strerror(errno)))"])
        }
        let mode = status.st_mode & 0o777
        if mode & 0o026 != 0 {
            throw SettingsError([
                "the configuration file \(path) can be \(mode & 0o022 != 0 ? "changed" : "read") by users it does not belong to "
                    + "(mode \(String(mode, radix: 8))): run chmod 640 \(path)"
            ])
        }
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw SettingsError(["the configuration file \(path) is not a JSON object of settings"])
        }
        let known = Set(Setting.all.map(\.key))
        let unknown = keys(of: object).filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw SettingsError(
                unknown.map {
                    "the configuration file \(path) sets \($0), which is not a Custodian setting (custodian config check lists them)"
                })
        }
    }

    /// The dotted keys of every value in `object`, nested objects flattened.
    private static func keys(of object: [String: Any], under prefix: String = "") -> [String] {
        object.flatMap { name, value in
            let key = prefix.isEmpty ? name : prefix + "." + name
            return (value as? [String: Any]).map { keys(of: $0, under: key) } ?? [key]
        }
    }
}
