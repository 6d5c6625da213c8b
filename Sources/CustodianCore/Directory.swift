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

    /// An administrator asks for a user; the account can do nothing until a governance user who is
    /// neither that administrator nor the user approves its role and permissions. Only the command
    /// line grants at once, and only while no governance user exists: the installation's own
    /// bootstrap by whoever holds the server's files, which ends when governance can decide.
    public func createUser(_ draft: UserDraft, passwordHash: String?, by actor: User) async throws -> User {
        let id: UserID = register.ids.next()
        return try await register.perform(actor, nil, action: .userCreate) { tx, gate in
            var user = try draft.validated(id: id, now: gate.now)
            if try await tx.user(username: user.username) != nil {
                throw RegisterError.conflict("username '\(user.username)' is taken")
            }
            user.trainingRefresherDue = try await refresherDue(user.trainingCompletedOn, tx)
            let governanceExists = try await tx.governanceUserExists()
            let bootstrap = actor.id == Self.commandLine.id && !governanceExists
            user.awaitingGrant = !bootstrap
            try await tx.insertUser(user, passwordHash: passwordHash)
            if !bootstrap {
                try await tx.upsertGrant(
                    PendingGrant(
                        userID: id, role: user.role, unit: user.unit, permissions: user.permissions,
                        requestedBy: actor.id, requestedAt: gate.now))
            }
            try await tx.appendAudit([
                gate.entry(.userChange, touched: [.user(id)], outcome: bootstrap ? nil : "awaiting governance approval")
            ])
            return user
        }
    }

    /// A user the installation creates and a governance user approves straight after: the two
    /// steps of `createUser` and `decideGrant`, each checked and logged as it would be apart, for
    /// seeding a register (the demo, benchmarks, tests).
    public func admit(_ draft: UserDraft, passwordHash: String? = nil, approvedBy governance: User) async throws -> User {
        let created = try await createUser(draft, passwordHash: passwordHash, by: Self.commandLine)
        guard created.awaitingGrant,
            let waiting = try await pendingGrants(by: governance).first(where: { $0.grant.userID == created.id })
        else { return created }
        return try await decideGrant(
            created.id, version: waiting.grant.version, approve: true, reason: "Seeded at installation; role and permissions checked",
            by: governance)
    }

    /// Changes a user's role, unit, training, vetting, permissions or status; the rules are the same
    /// as at creation. Widening a role, unit or permission waits for governance, and so does
    /// re-enabling a disabled account, whoever disabled it: it can do nothing until a governance
    /// user approves. Narrowing, training, vetting and disabling take effect at once, and disabling
    /// revokes every token.
    public func updateUser(_ id: UserID, _ change: @escaping @Sendable (inout UserDraft) -> Void, disabled: Bool? = nil, by actor: User)
        async throws -> User
    {
        try await register.perform(actor, nil, action: .userUpdate) { tx, gate in
            guard let current = try await tx.user(id) else { throw RegisterError.notFound(kind: "user", id: id.description) }
            var draft = UserDraft(
                username: current.username, displayName: current.displayName, role: current.role.rawValue,
                unit: current.unit.code, trainingCompletedOn: current.trainingCompletedOn?.description,
                permissions: current.permissions.map(\.rawValue), vettingLevel: current.vetting?.level.rawValue,
                vettingExpiresOn: current.vetting?.expiresOn.description)
            change(&draft)
            let wanted = try draft.validated(id: id, now: gate.now)
            guard wanted.username == current.username else {
                throw RegisterError.invalid([
                    FieldViolation(field: "username", rule: "username.immutable", message: "a username cannot change; create a new user")
                ])
            }
            var updated = current
            updated.displayName = wanted.displayName
            updated.trainingCompletedOn = wanted.trainingCompletedOn
            updated.trainingRefresherDue =
                wanted.trainingCompletedOn == current.trainingCompletedOn
                ? current.trainingRefresherDue : try await refresherDue(wanted.trainingCompletedOn, tx)
            updated.vetting = wanted.vetting
            updated.disabledAt = disabled.map { $0 ? (current.disabledAt ?? gate.now) : nil } ?? current.disabledAt
            let reenabling = current.disabledAt != nil && updated.disabledAt == nil
            var outcome: String?
            if PendingGrant.widens(from: current, to: wanted) || reenabling, actor.id != Self.commandLine.id {
                try await tx.upsertGrant(
                    PendingGrant(
                        userID: id, role: wanted.role, unit: wanted.unit, permissions: wanted.permissions,
                        requestedBy: actor.id, requestedAt: gate.now))
                if reenabling { updated.awaitingGrant = true }
                if updated.awaitingGrant {
                    (updated.role, updated.unit, updated.permissions) = (wanted.role, wanted.unit, wanted.permissions)
                }
                outcome = "awaiting governance approval"
            } else {
                (updated.role, updated.unit, updated.permissions) = (wanted.role, wanted.unit, wanted.permissions)
            }
            try await tx.updateUser(updated)
            if updated.disabledAt != nil, current.disabledAt == nil { try await tx.revokeTokens(user: id, at: gate.now) }
            try await tx.appendAudit([gate.entry(.userChange, touched: [.user(id)], outcome: outcome)])
            return updated
        }
    }

    /// Grants waiting for governance, with who they are for, for the administrator who asked and
    /// the governance users who decide.
    public func pendingGrants(by actor: User) async throws -> [(grant: PendingGrant, user: User)] {
        try await register.perform(actor, nil, action: .grantList) { tx, gate in
            var out: [(grant: PendingGrant, user: User)] = []
            for grant in try await tx.grants().sorted(by: { $0.requestedAt < $1.requestedAt }) {
                if let user = try await tx.user(grant.userID) { out.append((grant, user)) }
            }
            return out
        }
    }

    /// A governance user who is neither the administrator who asked nor the user approves or
    /// refuses a grant, with a reason, naming the grant's `version` as it was shown: a grant asked
    /// for again since is refused, so what is approved is exactly what takes effect. A new
    /// account refused stays disabled.
    public func decideGrant(_ id: UserID, version: String, approve: Bool, reason: String, by actor: User) async throws -> User {
        var v = Validator()
        let reasonInput = v.decisionReason(reason)
        let reason = try v.finish(reasonInput)
        return try await register.perform(actor, nil, action: .grantDecide) { tx, gate in
            let touched: [AuditResource] = [.user(id, part: "grant")]
            guard let grant = try await tx.grant(user: id), var user = try await tx.user(id) else {
                throw RegisterError.notFound(kind: "pending grant", id: id.description)
            }
            try gate.separate(TwoPersonCheck(.grant, proposer: grant.requestedBy, about: id), touched: touched)
            guard grant.version == version else { throw Refusal(denial: .grantChanged, subjects: [], touched: touched) }
            if approve {
                (user.role, user.unit, user.permissions, user.awaitingGrant) = (grant.role, grant.unit, grant.permissions, false)
            } else if user.awaitingGrant {
                user.disabledAt = gate.now
            }
            try await tx.updateUser(user)
            try await tx.deleteGrant(user: id)
            try await tx.appendAudit([gate.entry(.userChange, touched: touched, outcome: "\(approve ? "approved" : "refused"): \(reason)")])
            return user
        }
    }

    private func refresherDue(_ training: LocalDate?, _ tx: any RegisterTransaction) async throws -> LocalDate? {
        guard let training else { return nil }
        return training.adding(days: try await register.rulebook(tx).trainingRefresherDays)
    }

    public func users(limit: Int, offset: Int, by actor: User) async throws -> [User] {
        try await register.perform(actor, nil, action: .userList) { tx, gate in
            return try await tx.users(limit: min(max(limit, 1), 500), offset: max(offset, 0))
        }
    }

    /// A user by username, for the command line and the administrator.
    public func user(named username: String, by actor: User) async throws -> User {
        try await register.perform(actor, nil, action: .userRead) { tx, gate in
            guard let found = try await tx.user(username: username.lowercased())?.user else {
                throw RegisterError.notFound(kind: "user", id: username)
            }
            return found
        }
    }

    public func user(_ id: UserID, by actor: User) async throws -> User {
        try await register.perform(actor, nil, action: .userRead) { tx, gate in
            guard let user = try await tx.user(id) else { throw RegisterError.notFound(kind: "user", id: id.description) }
            return user
        }
    }

    /// The display names of staff who had a hand in a record someone decides on: who asked, who
    /// decided before. Names only, never roles, units or credentials; an id no longer on the
    /// register is missing from the answer.
    public func staffNames(_ ids: Set<UserID>, by actor: User) async throws -> [UserID: String] {
        try await register.perform(actor, nil, action: .staffNames) { tx, gate in
            var names: [UserID: String] = [:]
            for id in ids { names[id] = try await tx.user(id)?.displayName }
            return names
        }
    }

    /// Issues a bearer token. Users issue their own: an administrator never holds another user's
    /// credentials. (The command line, the installation's bootstrap, issues for anyone.) The token
    /// is shown once; only its SHA-256 is kept.
    public func issueToken(for id: UserID, label: String, validForDays: Int?, by actor: User) async throws -> String {
        var v = Validator()
        let labelInput = v.text(label, "label", max: 80)
        if let days = validForDays {
            v.check((1...366).contains(days), "validForDays", "token.lifetime", "a token lasts between 1 and 366 days")
        }
        let label = try v.finish(labelInput)
        let token = "cus_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64URL
        return try await register.perform(actor, nil, action: .tokenIssue) { tx, gate in
            if actor.id != Self.commandLine.id {
                guard actor.id == id else {
                    throw Refusal(denial: .ownTokensOnly, subjects: [], touched: [.user(id, part: "token")])
                }
            }
            guard let holder = try await tx.user(id) else { throw RegisterError.notFound(kind: "user", id: id.description) }
            // Not even the command line issues a credential to a disabled account: one issued now
            // would work the moment the account was enabled again.
            guard holder.isActive else { throw Refusal(denial: .accountDisabled, subjects: [], touched: [.user(id, part: "token")]) }
            try await tx.insertToken(
                hash: Self.hash(token: token), user: id, label: label, createdAt: gate.now,
                expiresAt: validForDays.map { gate.now.adding(seconds: Int64($0) * 86_400) })
            try await tx.appendAudit([gate.entry(.userChange, touched: [.user(id, part: "token")])])
            return token
        }
    }

    /// The user a bearer token belongs to, if the token is known, unexpired and unrevoked and the user active.
    public func authenticate(token: String) async throws -> User {
        let now = register.clock.now()
        let user = try await register.store.lookup { tx in try await tx.userForToken(hash: Self.hash(token: token), at: now) }
        guard let user else { throw RegisterError.unauthenticated("the bearer token is unknown, expired or revoked") }
        guard user.isActive else { throw RegisterError.unauthenticated("this account is disabled") }
        return user
    }

    static func hash(token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(token.utf8)))
    }
}

extension Data {
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
