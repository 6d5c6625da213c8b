import CustodianCore
@testable import CustodianStorage
import CustodianTestSupport
import Foundation
import Testing

/// A register created before a role existed takes users of that role once migrated, on both
/// databases, without a row rewritten.
@Suite struct WidenedChecksTests {
    static let databases = TestDatabase.available

    @Test(arguments: databases) func aRegisterMadeBeforeTheSourceUnitTakesOneOnceMigrated(_ db: TestDatabase) async throws {
        try await withRegister(db) { f in
            let before = Role.allCases.filter { $0 != .sourceUnit }.map(\.rawValue)
            try await Self.narrow(f, db, to: before)
            let draft = UserDraft(
                username: "sources.new", displayName: "Nadia Sourcewell", role: Role.sourceUnit.rawValue, unit: "central",
                trainingCompletedOn: "2026-01-05")
            await #expect(throws: (any Error).self, "the narrowed CHECK let a source-unit user in") {
                _ = try await f.directory.createUser(draft, passwordHash: nil, by: f.administrator)
            }
            try await f.store.tamper("DELETE FROM schema_migrations WHERE id = '0026-widen-role-checks'")
            #expect(try await Migrations.run(on: f.store.driver) == ["0026-widen-role-checks"])
            let made = try await f.directory.createUser(draft, passwordHash: nil, by: f.administrator)
            #expect(made.role == .sourceUnit && made.awaitingGrant)
            #expect(
                try await f.directory.pendingGrants(by: f.governance).contains {
                    $0.grant.userID == made.id && $0.grant.role == .sourceUnit
                })
            // Still a CHECK: a role the domain has never had is refused.
            await #expect(throws: (any Error).self) {
                try await f.store.tamper("UPDATE users SET role = 'gang-matrix-admin' WHERE id = '\(made.id)'")
            }
        }
    }

    /// The CHECKs as a register made before the source unit had them, and so with no such user.
    static func narrow(_ f: RegisterFixture, _ db: TestDatabase, to roles: [String]) async throws {
        for table in ["user_grants", "users"] { try await f.store.tamper("DELETE FROM \(table) WHERE role = 'source-unit'") }
        let list = roles.map { "'\($0)'" }.joined(separator: ", ")
        if db.isPostgres {
            for table in ["users", "user_grants"] {
                try await f.store.tamper(
                    "ALTER TABLE \(table) DROP CONSTRAINT \(table)_role_check, ADD CONSTRAINT \(table)_role_check CHECK (role IN (\(list)))"
                )
            }
        } else {
            try await f.store.driver.transaction { sql in
                try await WidenedChecks.widen(
                    [.init(table: "users", column: "role", values: roles), .init(table: "user_grants", column: "role", values: roles)], sql)
            }
        }
    }
}
