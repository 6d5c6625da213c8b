import CustodianCore
import SQLKit

extension SQLRegisterTransaction {
    func insertUser(_ user: User, passwordHash: String?) async throws {
        try await db.insert(into: "users")
            .columns("id", "username", "display_name", "role", "unit", "training_completed_on", "password_hash", "created_at_us", "disabled_at_us")
            .values(user.id.description, user.username, user.displayName, user.role.rawValue, user.unit.code,
                    user.trainingCompletedOn?.description, passwordHash, user.createdAt.microseconds, user.disabledAt?.microseconds)
            .run()
        try await insertPermissions(user)
    }

    func updateUser(_ user: User) async throws {
        try await db.update("users")
            .set("display_name", to: user.displayName)
            .set("role", to: user.role.rawValue)
            .set("unit", to: user.unit.code)
            .set("training_completed_on", to: user.trainingCompletedOn?.description)
            .set("disabled_at_us", to: user.disabledAt?.microseconds)
            .where("id", .equal, user.id.description)
            .run()
        try await db.delete(from: "user_permissions").where("user_id", .equal, user.id.description).run()
        try await insertPermissions(user)
    }

    private func insertPermissions(_ user: User) async throws {
        guard !user.permissions.isEmpty else { return }
        let insert = db.insert(into: "user_permissions").columns("user_id", "permission")
        for permission in user.permissions.sorted(by: { $0.rawValue < $1.rawValue }) {
            insert.values(user.id.description, permission.rawValue)
        }
        try await insert.run()
    }

    func user(_ id: UserID) async throws -> User? {
        guard let row = try await db.select().column("*").from("users").where("id", .equal, id.description).first() else { return nil }
        return try await user(from: row)
    }

    func user(username: String) async throws -> (user: User, passwordHash: String?)? {
        guard let row = try await db.select().column("*").from("users").where("username", .equal, username).first() else { return nil }
        return (try await user(from: row), try row.optionalText("password_hash"))
    }

    func users(limit: Int, offset: Int) async throws -> [User] {
        var users: [User] = []
        for row in try await db.select().column("*").from("users").orderBy("username").limit(limit).offset(offset).all() {
            users.append(try await user(from: row))
        }
        return users
    }

    func insertToken(hash: String, user: UserID, label: String, createdAt: Timestamp, expiresAt: Timestamp?) async throws {
        try await db.insert(into: "api_tokens")
            .columns("token_hash", "user_id", "label", "created_at_us", "expires_at_us", "revoked_at_us")
            .values(hash, user.description, label, createdAt.microseconds, expiresAt?.microseconds, Int64?.none)
            .run()
    }

    func userForToken(hash: String, at: Timestamp) async throws -> User? {
        guard let row = try await db.select().columns("user_id", "expires_at_us", "revoked_at_us").from("api_tokens")
            .where("token_hash", .equal, hash).first() else { return nil }
        if try row.optionalInt64("revoked_at_us") != nil { return nil }
        if let expires = try row.optionalInt64("expires_at_us"), expires <= at.microseconds { return nil }
        return try await user(try row.id("user_id"))
    }

    private func user(from row: any SQLRow) async throws -> User {
        let id: UserID = try row.id("id")
        let permissions = try (try await db.select().column("permission").from("user_permissions")
            .where("user_id", .equal, id.description).all())
            .map { try $0.enumeration("permission", as: Permission.self) }
        return User(id: id, username: try row.text("username"), displayName: try row.text("display_name"),
                    role: try row.enumeration("role", as: Role.self), unit: try row.unit("unit"),
                    trainingCompletedOn: try row.optionalText("training_completed_on").flatMap(LocalDate.init(iso:)),
                    permissions: Set(permissions), disabledAt: try row.optionalInt64("disabled_at_us").map(Timestamp.init(microseconds:)),
                    createdAt: Timestamp(microseconds: try row.int64("created_at_us")))
    }
}
