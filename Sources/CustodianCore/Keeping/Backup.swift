import Foundation

/// A copy of the whole register, as its entries in the log say: which, when, and how far its log
/// reaches. Anything logged after `entries` is not in it.
public struct BackupRecord: Sendable, Codable, Equatable {
    public let name: String
    public let takenAt: Timestamp
    public let entries: Int64

    public init(name: String, takenAt: Timestamp, entries: Int64) {
        (self.name, self.takenAt, self.entries) = (name, takenAt, entries)
    }

    /// A backup's name is its folder's: `custodian-` and the time it was taken, to the second
    /// (`custodian-20261207T173500Z`), so names sort by age and none can name another path.
    public static func name(at time: Timestamp) -> String {
        "custodian-" + String(time.description.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }

    public static func isName(_ text: String) -> Bool {
        text.utf8.count == 26 && text.hasPrefix("custodian-") && text.hasSuffix("Z")
            && text.dropFirst(10).dropLast().allSatisfy { $0.isASCII && ($0.isNumber || $0 == "T") }
    }
}

/// How a restored log stands against the newest checkpoint the register is known to have
/// published. Anything but `continues` means entries the world was told of are gone or rewritten:
/// an old backup silently restored is how a log loses entries.
public enum RestoreContinuity: Sendable, Equatable, CustomStringConvertible {
    /// The restored log holds the published one as its start (or nothing was ever published).
    case continues
    /// The restored log ends before the published checkpoint: `published - restored` entries lost.
    case shorter(published: Int64, restored: Int64)
    /// The restored log is long enough but is not the log that was published.
    case forked(published: Int64)

    public var description: String {
        switch self {
        case .continues: "the restored log continues the newest checkpoint published"
        case .shorter(let published, let restored):
            "a rollback: the register published a checkpoint of \(published) entries and this backup's log ends at \(restored): "
                + "restoring it loses \(published - restored) \(published - restored == 1 ? "entry" : "entries")"
        case .forked(let published):
            "a fork: this backup's log does not hold the \(published) entries of the newest checkpoint the register published"
        }
    }
}

/// A governance user's word that a rollback or fork may be restored, and why.
public struct RollbackAcknowledgement: Sendable {
    public let governance: User
    public let reason: String

    public init(governance: User, reason: String) { (self.governance, self.reason) = (governance, reason) }

    /// A restore that loses or rewrites published entries goes ahead only with an active
    /// governance user's acknowledgement and a reason; one that continues the log needs none.
    public static func check(_ continuity: RestoreContinuity, _ acknowledgement: Self?, today: LocalDate) throws(RegisterError) {
        guard continuity != .continues else { return }
        guard let acknowledgement else { throw .denied(.rollbackUnacknowledged(continuity)) }
        if case .failure(let denial) = AccessPolicy.decide(
            acknowledgement.governance, .registerRollbackAcknowledge, purpose: nil, today: today)
        {
            throw .denied(denial)
        }
        let reason = acknowledgement.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count), !reason.contains(where: \.isNewline) else { throw .denied(.rollbackReason) }
    }
}
