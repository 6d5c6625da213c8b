extension PendingGrant {
    /// Whether going from `current` to `wanted` widens what the user may do.
    public static func widens(from current: User?, to wanted: User) -> Bool {
        guard let current else { return true }
        return current.role != wanted.role || current.unit != wanted.unit || !wanted.permissions.isSubset(of: current.permissions)
            || current.awaitingGrant
    }
}
