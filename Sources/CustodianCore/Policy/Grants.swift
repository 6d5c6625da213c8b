import Crypto

extension PendingGrant {
    /// Whether going from `current` to `wanted` widens what the user may do.
    public static func widens(from current: User?, to wanted: User) -> Bool {
        guard let current else { return true }
        return current.role != wanted.role || current.unit != wanted.unit || !wanted.permissions.isSubset(of: current.permissions)
            || current.awaitingGrant
    }

    /// A digest of exactly what is asked for, by whom and when: a decision names it, so a grant
    /// asked for again after it was shown cannot ride on an approval of the earlier one.
    public var version: String {
        let canonical = [
            userID.description, role.rawValue, unit.code, permissions.map(\.rawValue).sorted().joined(separator: ","),
            requestedBy.description, String(requestedAt.microseconds),
        ].joined(separator: "\n")
        return Hex.lowercase(SHA256.hash(data: Array(canonical.utf8)).prefix(12))
    }
}
