import CustodianCore

/// The names of the staff who had a hand in a record, for the person deciding on it: who asked,
/// who decided before. A decider sees "Requested by Dana Okoro", not an id.
struct StaffNames {
    let names: [UserID: String]
    let shown: Bool

    subscript(_ id: UserID) -> String {
        names[id] ?? (shown ? "a user no longer on the register" : "another member of staff")
    }
}

extension Pages {
    /// Asked only where the policy lets the visitor see staff names, so a page never provokes a refusal.
    func staffNames(_ ids: some Sequence<UserID>, _ visitor: Visitor) async throws -> StaffNames {
        guard AccessPolicy.runs(visitor.user.role, .staffNames) else { return StaffNames(names: [:], shown: false) }
        let wanted = Set(ids)
        if wanted.isEmpty { return StaffNames(names: [:], shown: true) }
        return StaffNames(names: try await directory.staffNames(wanted, by: visitor.user), shown: true)
    }
}
