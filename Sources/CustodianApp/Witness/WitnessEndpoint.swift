import CustodianCore
import Foundation

/// A witness the register sends its checkpoints to: its public key (the vkey `custodian witness
/// key` prints) and its submission prefix, to which `/add-checkpoint` is added. Written in the
/// settings as `VKEY URL`, several separated by commas.
struct WitnessEndpoint: Sendable, Equatable {
    let key: CosignerKey
    let url: URL

    var name: String { key.name }

    /// Every witness in `text`, or the problem with the first that is not one.
    static func list(_ text: String, origin: String) throws(SettingProblem) -> [WitnessEndpoint] {
        var found: [WitnessEndpoint] = []
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2 else { throw SettingProblem("each witness is its key and its address, 'VKEY URL', separated by commas") }
            let key: CosignerKey
            do { key = try CosignerKey(verifierKey: String(parts[0])) } catch { throw SettingProblem("\(parts[0]): \(error)") }
            guard let url = URL(string: String(parts[1])), ["http", "https"].contains(url.scheme?.lowercased()), url.host?.isEmpty == false,
                url.user == nil
            else { throw SettingProblem("\(parts[1]): a witness's address is http:// or https://, a host and its prefix") }
            guard key.name != origin else { throw SettingProblem("a witness is named \(origin), the log's own origin: name it apart") }
            guard !found.contains(where: { $0.name == key.name }) else { throw SettingProblem("witness \(key.name) is named twice") }
            found.append(WitnessEndpoint(key: key, url: url))
        }
        return found
    }
}

struct SettingProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
