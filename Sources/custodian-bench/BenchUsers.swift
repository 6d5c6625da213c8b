import CustodianCore

/// The benchmark registers' users, made as an installation makes them: by the command line's
/// bootstrap until a governance user exists, everyone after approved by the first who decides grants.
enum BenchUsers {
    static func make(_ name: String, _ role: Role, _ unit: String, dpo: Bool = false, _ directory: Directory) async throws -> User {
        let draft = UserDraft(
            username: name, displayName: name, role: role.rawValue, unit: unit,
            trainingCompletedOn: directory.register.clock.now().day.adding(days: -30).description,
            permissions: dpo ? [Permission.dataProtectionOfficer.rawValue] : [])
        let existing = try await directory.users(limit: 500, offset: 0, by: Directory.commandLine)
        guard let approver = existing.first(where: { AccessPolicy.runs($0.role, .grantDecide) && $0.isActive && !$0.awaitingGrant })
        else {
            return try await directory.createUser(draft, passwordHash: nil, by: Directory.commandLine)
        }
        return try await directory.admit(draft, approvedBy: approver)
    }
}
