import CustodianCore

/// The benchmark registers' users, made as an installation makes them: the first governance user
/// (the DPO) by the command line's bootstrap, everyone after approved by that DPO.
enum BenchUsers {
    static func make(_ name: String, _ role: Role, _ unit: String, dpo: Bool = false, _ directory: Directory) async throws -> User {
        let draft = UserDraft(
            username: name, displayName: name, role: role.rawValue, unit: unit,
            trainingCompletedOn: directory.register.clock.now().day.adding(days: -30).description,
            permissions: dpo ? [Permission.dataProtectionOfficer.rawValue] : [])
        let existing = try await directory.users(limit: 500, offset: 0, by: Directory.commandLine)
        guard let approver = existing.first(where: { $0.permissions.contains(.dataProtectionOfficer) && !$0.awaitingGrant }) else {
            return try await directory.createUser(draft, passwordHash: nil, by: Directory.commandLine)
        }
        return try await directory.admit(draft, approvedBy: approver)
    }
}
