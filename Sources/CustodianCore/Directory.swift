import Foundation
import Crypto

/// Users, roles, training dates and API tokens: the administrator's work. Every change is logged.
public struct Directory: Sendable {
    public let register: Register
    public init(register: Register) { self.register = register }

    /// The actor for changes made at the command line by whoever holds the server's files: the
    /// first administrator is created this way. Logged like anyone else.
    public static let commandLine = User(
        id: UserID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))), username: "custodian-command-line",
        displayName: "custodian command line", role: .administrator, unit: .central, trainingCompletedOn: nil,
        createdAt: Timestamp(microseconds: 0))

    public func createUser(_ draft: UserDraft, passwordHash: String?, by actor: User) async throws -> User {
        let id: UserID = register.ids.next()
        return try await register.perform(actor, nil, action: "user.create") { tx, gate in
            try gate.require(.manageUsers, unit: nil, touched: ["user"])
            let user = try draft.validated(id: id, now: gate.now)
            if try await tx.user(username: user.username) != nil {
                throw RegisterError.conflict("username '\(user.username)' is taken")
            }
            try await tx.insertUser(user, passwordHash: passwordHash)
            try await tx.appendAudit([gate.entry(.userChange, touched: ["user/\(id)"])])
            return user
        }
    }

    /// Changes a user's role, unit, training date, permissions or status; the rules are the same as at creation.
    public func updateUser(_ id: UserID, _ change: @escaping @Sendable (inout UserDraft) -> Void, disabled: Bool? = nil, by actor: User) async throws -> User {
        try await register.perform(actor, nil, action: "user.update") { tx, gate in
            try gate.require(.manageUsers, unit: nil, touched: ["user/\(id)"])
            guard let current = try await tx.user(id) else { throw RegisterError.notFound(kind: "user", id: id.description) }
            var draft = UserDraft(username: current.username, displayName: current.displayName, role: current.role.rawValue,
                                  unit: current.unit.code, trainingCompletedOn: current.trainingCompletedOn?.description,
                                  permissions: current.permissions.map(\.rawValue))
            change(&draft)
            var updated = try draft.validated(id: id, now: gate.now)
            guard updated.username == current.username else {
                throw RegisterError.invalid([FieldViolation(field: "username", rule: "username.immutable", message: "a username cannot change; create a new user")])
            }
            updated = User(id: id, username: updated.username, displayName: updated.displayName, role: updated.role, unit: updated.unit,
                           trainingCompletedOn: updated.trainingCompletedOn, permissions: updated.permissions,
                           disabledAt: disabled.map { $0 ? (current.disabledAt ?? gate.now) : nil } ?? current.disabledAt,
                           createdAt: current.createdAt)
            try await tx.updateUser(updated)
            try await tx.appendAudit([gate.entry(.userChange, touched: ["user/\(id)"])])
            return updated
        }
    }

    public func users(limit: Int, offset: Int, by actor: User) async throws -> [User] {
        try await register.perform(actor, nil, action: "user.list") { tx, gate in
            try gate.require(.manageUsers, unit: nil, touched: ["user"])
            return try await tx.users(limit: min(max(limit, 1), 500), offset: max(offset, 0))
        }
    }

    public func user(_ id: UserID, by actor: User) async throws -> User {
        try await register.perform(actor, nil, action: "user.read") { tx, gate in
            try gate.require(.manageUsers, unit: nil, touched: ["user/\(id)"])
            guard let user = try await tx.user(id) else { throw RegisterError.notFound(kind: "user", id: id.description) }
            return user
        }
    }

    /// Issues a bearer token for a user. The token is shown once; only its SHA-256 is kept.
    public func issueToken(for id: UserID, label: String, validForDays: Int?, by actor: User) async throws -> String {
        var v = Validator()
        let label = v.text(label, "label", max: 80)
        if let days = validForDays { v.check((1...366).contains(days), "validForDays", "token.lifetime", "a token lasts between 1 and 366 days") }
        try v.finish()
        let token = "cus_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64URL
        return try await register.perform(actor, nil, action: "token.issue") { tx, gate in
            try gate.require(.manageUsers, unit: nil, touched: ["user/\(id)"])
            guard try await tx.user(id) != nil else { throw RegisterError.notFound(kind: "user", id: id.description) }
            try await tx.insertToken(hash: Self.hash(token: token), user: id, label: label!, createdAt: gate.now,
                                     expiresAt: validForDays.map { gate.now.adding(seconds: Int64($0) * 86_400) })
            try await tx.appendAudit([gate.entry(.userChange, touched: ["user/\(id)/token"])])
            return token
        }
    }

    /// The user a bearer token belongs to, if the token is known, unexpired and unrevoked and the user active.
    public func authenticate(token: String) async throws -> User {
        let now = register.clock.now()
        let user = try await register.store.transaction { tx in try await tx.userForToken(hash: Self.hash(token: token), at: now) }
        guard let user else { throw RegisterError.unauthenticated("the bearer token is unknown, expired or revoked") }
        guard user.isActive else { throw RegisterError.unauthenticated("this account is disabled") }
        return user
    }

    static func hash(token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Data {
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
