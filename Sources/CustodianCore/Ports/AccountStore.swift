/// Users, their credentials (tokens, enrolments), grants waiting for governance, page sessions and
/// sign-in throttling.
public protocol AccountStore: Sendable {
    func insertUser(_ user: User, passwordHash: String?) async throws
    func updateUser(_ user: User) async throws
    func user(_ id: UserID) async throws -> User?
    func user(username: String) async throws -> (user: User, passwordHash: String?)?
    func users(limit: Int, offset: Int) async throws -> [User]
    /// Whether any governance user is enabled with their grant approved: once one is, no one is
    /// granted anything without governance.
    func governanceUserExists() async throws -> Bool
    func insertToken(hash: String, user: UserID, label: String, createdAt: Timestamp, expiresAt: Timestamp?) async throws
    func userForToken(hash: String, at: Timestamp) async throws -> User?
    /// Revokes every token of the user (on disable): re-enabling the account does not bring them back.
    func revokeTokens(user: UserID, at: Timestamp) async throws
    /// Enrolments: a single-use link by which a person sets their own password.
    func upsertEnrolment(_ enrolment: Enrolment) async throws
    func enrolment(tokenHash: String) async throws -> Enrolment?
    func deleteEnrolment(user: UserID) async throws
    func setPasswordHash(_ hash: String, user: UserID) async throws
    func upsertGrant(_ grant: PendingGrant) async throws
    func grant(user: UserID) async throws -> PendingGrant?
    func grants() async throws -> [PendingGrant]
    func deleteGrant(user: UserID) async throws
    func insertSession(_ session: WebSession) async throws
    func session(id: String) async throws -> WebSession?
    func updateSession(_ session: WebSession) async throws
    func deleteSession(id: String) async throws
    func signInThrottle(username: String) async throws -> SignInThrottle?
    /// Replaces the throttle for a username; nil clears it.
    func setSignInThrottle(username: String, _ throttle: SignInThrottle?) async throws
}
