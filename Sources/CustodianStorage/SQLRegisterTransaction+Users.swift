import CustodianCore
import SQLKit

extension SQLRegisterTransaction {
    func insertUser(_ user: User, passwordHash: String?) async throws {
        try await db.insert(into: "users")
            .columns(
                "id", "username", "display_name", "role", "unit", "training_completed_on", "password_hash", "created_at_us",
                "disabled_at_us",
                "training_refresher_due", "vetting_level", "vetting_expires_on", "awaiting_grant"
            )
            .values(
                user.id.description, user.username, user.displayName, user.role.rawValue, user.unit.code,
                user.trainingCompletedOn?.description, passwordHash, user.createdAt.microseconds, user.disabledAt?.microseconds,
                user.trainingRefresherDue?.description, user.vetting?.level.rawValue, user.vetting?.expiresOn.description,
                user.awaitingGrant ? Int64(1) : nil
            )
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
            .set("training_refresher_due", to: user.trainingRefresherDue?.description)
            .set("vetting_level", to: user.vetting?.level.rawValue)
            .set("vetting_expires_on", to: user.vetting?.expiresOn.description)
            .set("awaiting_grant", to: user.awaitingGrant ? Int64(1) : nil)
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

    func governanceUserExists() async throws -> Bool {
        try await db.select().column("id").from("users")
            .where("role", .equal, Role.governance.rawValue).where("disabled_at_us", .is, SQLLiteral.null)
            .where("awaiting_grant", .is, SQLLiteral.null)
            .limit(1).first() != nil
    }

    func insertToken(hash: String, user: UserID, label: String, createdAt: Timestamp, expiresAt: Timestamp?) async throws {
        try await db.insert(into: "api_tokens")
            .columns("token_hash", "user_id", "label", "created_at_us", "expires_at_us", "revoked_at_us")
            .values(hash, user.description, label, createdAt.microseconds, expiresAt?.microseconds, Int64?.none)
            .run()
    }

    func userForToken(hash: String, at: Timestamp) async throws -> User? {
        guard
            let row = try await db.select().columns("user_id", "expires_at_us", "revoked_at_us").from("api_tokens")
                .where("token_hash", .equal, hash).first()
        else { return nil }
        if try row.optionalInt64("revoked_at_us") != nil { return nil }
        if let expires = try row.optionalInt64("expires_at_us"), expires <= at.microseconds { return nil }
        return try await user(try row.id("user_id"))
    }

    func revokeTokens(user: UserID, at: Timestamp) async throws {
        try await db.update("api_tokens").set("revoked_at_us", to: at.microseconds)
            .where("user_id", .equal, user.description).where("revoked_at_us", .is, SQLLiteral.null).run()
    }

    func upsertGrant(_ grant: PendingGrant) async throws {
        try await deleteGrant(user: grant.userID)
        try await db.insert(into: "user_grants").columns("user_id", "role", "unit", "permissions", "requested_by", "requested_at_us")
            .values(
                grant.userID.description, grant.role.rawValue, grant.unit.code,
                grant.permissions.map(\.rawValue).sorted().joined(separator: ","),
                grant.requestedBy.description, grant.requestedAt.microseconds
            )
            .run()
    }

    func grant(user: UserID) async throws -> PendingGrant? {
        try await db.select().column("*").from("user_grants").where("user_id", .equal, user.description).first().map(Self.grant(from:))
    }

    func grants() async throws -> [PendingGrant] {
        try await db.select().column("*").from("user_grants").orderBy("requested_at_us").all().map(Self.grant(from:))
    }

    func deleteGrant(user: UserID) async throws {
        try await db.delete(from: "user_grants").where("user_id", .equal, user.description).run()
    }

    private static func grant(from row: any SQLRow) throws -> PendingGrant {
        PendingGrant(
            userID: try row.id("user_id"), role: try row.enumeration("role", as: Role.self), unit: try row.unit("unit"),
            permissions: Set(try row.text("permissions").split(separator: ",").compactMap { Permission(rawValue: String($0)) }),
            requestedBy: try row.id("requested_by"), requestedAt: Timestamp(microseconds: try row.int64("requested_at_us")))
    }

    private func user(from row: any SQLRow) async throws -> User {
        let id: UserID = try row.id("id")
        let permissions = try
            (try await db.select().column("permission").from("user_permissions")
            .where("user_id", .equal, id.description).all())
            .map { try $0.enumeration("permission", as: Permission.self) }
        var vetting: Vetting?
        if let level = try row.optionalText("vetting_level").flatMap(VettingLevel.init(rawValue:)),
            let expires = try row.optionalText("vetting_expires_on").flatMap(LocalDate.init(iso:))
        {
            vetting = Vetting(level: level, expiresOn: expires)
        }
        return User(
            id: id, username: try row.text("username"), displayName: try row.text("display_name"),
            role: try row.enumeration("role", as: Role.self), unit: try row.unit("unit"),
            trainingCompletedOn: try row.optionalText("training_completed_on").flatMap(LocalDate.init(iso:)),
            trainingRefresherDue: try row.optionalText("training_refresher_due").flatMap(LocalDate.init(iso:)), vetting: vetting,
            permissions: Set(permissions), disabledAt: try row.optionalInt64("disabled_at_us").map(Timestamp.init(microseconds:)),
            awaitingGrant: try row.optionalInt64("awaiting_grant") != nil,
            createdAt: Timestamp(microseconds: try row.int64("created_at_us")))
    }

    func upsertEnrolment(_ e: Enrolment) async throws {
        try await deleteEnrolment(user: e.userID)
        try await db.insert(into: "enrolments").columns("user_id", "token_hash", "expires_at_us", "issued_by", "issued_at_us")
            .values(e.userID.description, e.tokenHash, e.expiresAt.microseconds, e.issuedBy.description, e.issuedAt.microseconds)
            .run()
    }

    func enrolment(tokenHash: String) async throws -> Enrolment? {
        guard let row = try await db.select().column("*").from("enrolments").where("token_hash", .equal, tokenHash).first() else {
            return nil
        }
        return Enrolment(
            userID: try row.id("user_id"), tokenHash: try row.text("token_hash"),
            expiresAt: Timestamp(microseconds: try row.int64("expires_at_us")), issuedBy: try row.id("issued_by"),
            issuedAt: Timestamp(microseconds: try row.int64("issued_at_us")))
    }

    func deleteEnrolment(user: UserID) async throws {
        try await db.delete(from: "enrolments").where("user_id", .equal, user.description).run()
    }

    func setPasswordHash(_ hash: String, user: UserID) async throws {
        try await db.update("users").set("password_hash", to: hash).where("id", .equal, user.description).run()
    }
}
