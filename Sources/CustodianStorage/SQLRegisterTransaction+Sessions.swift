import CustodianCore
import SQLKit

extension SQLRegisterTransaction {
    func insertSession(_ s: WebSession) async throws {
        try await db.insert(into: "web_sessions")
            .columns("id", "user_id", "csrf_token", "created_at_us", "last_seen_at_us", "purpose", "justification", "purpose_until_us")
            .values(
                s.id, s.userID.description, s.csrfToken, s.createdAt.microseconds, s.lastSeenAt.microseconds,
                s.purpose?.purpose.rawValue, s.purpose?.justification, s.purposeUntil?.microseconds
            )
            .run()
    }

    func session(id: String) async throws -> WebSession? {
        guard let row = try await db.select().column("*").from("web_sessions").where("id", .equal, id).first() else { return nil }
        var purpose: StatedPurpose?
        if try row.optionalText("purpose") != nil {
            purpose = StatedPurpose(
                purpose: try row.enumeration("purpose", as: Purpose.self), justification: try row.optionalText("justification") ?? "")
        }
        return WebSession(
            id: id, userID: try row.id("user_id"), csrfToken: try row.text("csrf_token"),
            createdAt: Timestamp(microseconds: try row.int64("created_at_us")),
            lastSeenAt: Timestamp(microseconds: try row.int64("last_seen_at_us")),
            purpose: purpose, purposeUntil: try row.optionalInt64("purpose_until_us").map(Timestamp.init(microseconds:)))
    }

    func updateSession(_ s: WebSession) async throws {
        try await db.update("web_sessions")
            .set("last_seen_at_us", to: s.lastSeenAt.microseconds)
            .set("purpose", to: s.purpose?.purpose.rawValue)
            .set("justification", to: s.purpose?.justification)
            .set("purpose_until_us", to: s.purposeUntil?.microseconds)
            .where("id", .equal, s.id)
            .run()
    }

    func deleteSession(id: String) async throws {
        try await db.delete(from: "web_sessions").where("id", .equal, id).run()
    }

    func signInThrottle(username: String) async throws -> SignInThrottle? {
        guard
            let row = try await db.select().columns("failures", "locked_until_us").from("sign_in_throttle")
                .where("username", .equal, username).first()
        else { return nil }
        return SignInThrottle(
            failures: Int(try row.int64("failures")),
            lockedUntil: try row.optionalInt64("locked_until_us").map(Timestamp.init(microseconds:)))
    }

    func setSignInThrottle(username: String, _ throttle: SignInThrottle?) async throws {
        try await db.delete(from: "sign_in_throttle").where("username", .equal, username).run()
        guard let throttle else { return }
        try await db.insert(into: "sign_in_throttle").columns("username", "failures", "locked_until_us")
            .values(username, throttle.failures, throttle.lockedUntil?.microseconds).run()
    }
}
