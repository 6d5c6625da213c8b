import Configuration
import Synchronization

/// What the configuration reader found for each setting it was asked for: which source answered
/// (by its place in the order), and whether a value was there but could not be read as the kind
/// of value the setting takes. The reader itself answers a default in that case; Custodian
/// refuses to start instead, so a typo in a port never becomes port 8080 in silence.
final class SettingSources: AccessReporter, Sendable {
    struct Found: Sendable {
        /// Index of the first source that held a value, or nil when the default was used.
        var source: Int?
        var unreadable: Bool
    }

    private let found = Mutex<[String: Found]>([:])

    func report(_ event: AccessEvent) {
        let key = event.metadata.key.components.joined(separator: ".")
        var answer = Found(source: nil, unreadable: event.conversionError != nil)
        for (index, result) in event.providerResults.enumerated() {
            switch result.result {
            case .success(let lookup) where lookup.value == nil: continue
            case .success: answer.source = index
            case .failure:
                answer.source = index
                answer.unreadable = true
            }
            break
        }
        if case .failure = event.result { answer.unreadable = true }
        found.withLock { $0[key] = answer }
    }

    func found(_ setting: Setting) -> Found? { found.withLock { $0[setting.key] } }
}
