import CustodianCore
import Foundation

/// A witness's own small state: for each log it witnesses, the newest checkpoint it cosigned, in
/// one JSON file. A request is checked against it and the new checkpoint written (aside, synced,
/// renamed) before the cosignature is returned, one request at a time, so two requests can never
/// both pass against the same old size and roll the state back.
actor WitnessState {
    let path: String
    private var logs: [String: WitnessedCheckpoint]

    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            logs = [:]
            return
        }
        guard let stored = try? JSONDecoder().decode([WitnessedCheckpoint].self, from: data) else {
            throw CommandError("\(path) is not a witness's state: a JSON list of the checkpoints it cosigned")
        }
        logs = Dictionary(stored.map { ($0.origin, $0) }) { _, newer in newer }
    }

    /// Checks `request`, keeps the checkpoint, and returns it cosigned by `cosigner`.
    func add(_ request: AddCheckpoint, trusting trusted: [NoteVerifier], cosigner: Cosigner, now: UInt64) throws -> String {
        let origin = request.note.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let checkpoint = try Witnessing.check(request, logs: trusted, latest: logs[origin])
        var next = logs
        next[checkpoint.origin] = WitnessedCheckpoint(origin: checkpoint.origin, size: checkpoint.size, root: checkpoint.root)
        try write(next)
        logs = next
        return try cosigner.cosign(checkpoint, at: now)
    }

    private func write(_ state: [String: WitnessedCheckpoint]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(state.values.sorted { $0.origin < $1.origin })
        let aside = path + ".new"
        guard FileManager.default.createFile(atPath: aside, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CommandError("cannot write \(aside)")
        }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: aside))
        try handle.synchronize()
        try handle.close()
        guard rename(aside, path) == 0 else { throw CommandError("cannot replace \(path)") }
    }
}
