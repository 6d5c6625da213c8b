public import CustodianCore
import Foundation
import SQLKit

/// One ordered list of schema changes for both databases. Additive only: new tables, new nullable
/// columns, new indexes, wider CHECKs (0021 and 0023 rebuild the audit log's smaller, every row kept). Ids as
/// TEXT (the audit log's are `uuid` on PostgreSQL, 0023), times as integer microseconds,
/// enumerations as TEXT with a CHECK built from the domain's own cases.
public struct Migration: Sendable {
    public let id: String
    let up: @Sendable (any SQLDatabase) async throws -> Void
}

public enum Migrations {
    public static let all: [Migration] = [
        Migration(id: "0001-users", up: users),
        Migration(id: "0002-register", up: register),
        Migration(id: "0003-audit", up: audit),
        Migration(id: "0004-audit-merkle-log", up: AuditLogSchema.create),
        Migration(id: "0005-page-sessions", up: pageSessions),
        Migration(id: "0006-governance", up: governance),
        Migration(id: "0007-restrictions", up: restrictions),
        Migration(id: "0008-sharing", up: sharing),
        Migration(id: "0009-user-grants", up: userGrants),
        Migration(id: "0010-registered-sources", up: registeredSources),
        Migration(id: "0011-child-actions", up: childActions),
        Migration(id: "0012-rights-requests", up: rightsRequests),
        Migration(id: "0013-rectifications", up: rectifications),
        Migration(id: "0014-retention-reviews", up: retentionReviews),
        Migration(id: "0015-dpias", up: dpias),
        Migration(id: "0016-policy-documents", up: policyDocuments),
        Migration(id: "0017-breaches", up: breaches),
        Migration(id: "0018-equality", up: equality),
        Migration(id: "0019-duplicates", up: duplicates),
        Migration(id: "0020-share-request-index", up: shareRequestIndex),
        Migration(id: "0021-audit-index-compact", up: Dialect.compactAuditIndexes),
        Migration(id: "0022-harm-zero-kind", up: harmZeroKind),
        Migration(id: "0023-audit-uuid-ids", up: Dialect.compactAuditIDs),
        Migration(id: "0024-enrolments", up: enrolments),
        Migration(id: "0025-source-register", up: sourceRegister),
        Migration(id: "0026-widen-role-checks", up: widenRoleChecks),
        Migration(id: "0027-source-labels-compartment", up: sourceLabelsCompartment),
        Migration(id: "0028-audit-cosignatures", up: AuditLogSchema.cosignatures),
    ]

    /// Applies every migration not yet recorded, each in its own transaction. Returns the ids applied.
    @discardableResult
    public static func run(on driver: any SQLDriver, clock: Clock = .system) async throws -> [String] {
        try await run(all, on: driver, clock: clock)
    }

    /// Applies a list of migrations (the register's, or the key store's) to its own database.
    @discardableResult
    public static func run(_ list: [Migration], on driver: any SQLDriver, clock: Clock = .system) async throws -> [String] {
        try await driver.transaction { db in
            try await db.create(table: "schema_migrations").ifNotExists()
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("applied_at_us", type: .bigint, .notNull)
                .run()
        }
        var applied: [String] = []
        for migration in list {
            let done = try await driver.transaction { db in
                try await db.select().column("id").from("schema_migrations").where("id", .equal, migration.id).first() != nil
            }
            if done { continue }
            try await driver.transaction { db in
                try await migration.up(db)
                try await db.insert(into: "schema_migrations").columns("id", "applied_at_us")
                    .values(migration.id, clock.now().microseconds).run()
            }
            applied.append(migration.id)
        }
        return applied
    }

    static func oneOf<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) -> SQLRaw where T.RawValue == String {
        SQLRaw("\(column) IN (" + T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")")
    }

    static func users(_ db: any SQLDatabase) async throws {
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("username", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("role", type: .text, .notNull)
            .column("unit", type: .text, .notNull)
            .column("training_completed_on", type: .text)
            .column("password_hash", type: .text)
            .column("created_at_us", type: .bigint, .notNull)
            .column("disabled_at_us", type: .bigint)
            .check(oneOf("role", Role.self), named: String?.none)
            .run()
        try await db.create(table: "user_permissions")
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("permission", type: .text, .notNull)
            .primaryKey("user_id", "permission")
            .check(oneOf("permission", Permission.self), named: String?.none)
            .run()
        try await db.create(table: "api_tokens")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("label", type: .text, .notNull)
            .column("created_at_us", type: .bigint, .notNull)
            .column("expires_at_us", type: .bigint)
            .column("revoked_at_us", type: .bigint)
            .run()
    }

    static func register(_ db: any SQLDatabase) async throws {
        // Subject keys are a table of their own so that destroying one is one row's delete.
        try await db.create(table: "subject_keys")
            .column("subject_id", type: .text, .primaryKey(autoIncrement: false))
            .column("wrapped_key", type: .text, .notNull)
            .column("created_at_us", type: .bigint, .notNull)
            .run()
        try await db.create(table: "subjects")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("unit", type: .text, .notNull)
            .column("source_type", type: .text, .notNull)
            .column("originating_unit", type: .text, .notNull)
            .column("author", type: .text, .notNull)
            .column("recorded_at_us", type: .bigint, .notNull)
            .column("personal", type: .text, .notNull)
            .column("sensitive", type: .text, .notNull)
            .check(oneOf("source_type", SourceType.self), named: String?.none)
            .run()
        try await db.create(index: "subjects_unit").on("subjects").column("unit").column("id").run()
        try await db.create(table: "subject_search")
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("unit", type: .text, .notNull)
            .column("token", type: .text, .notNull)
            .primaryKey("subject_id", "token")
            .run()
        try await db.create(index: "subject_search_token").on("subject_search").column("token").column("unit").run()
        try await db.create(table: "matters")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("unit", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("reference", type: .text, .notNull)
            .column("offence", type: .text)
            .column("occurred_on", type: .text, .notNull)
            .column("basis", type: .text, .notNull)
            .column("source_type", type: .text, .notNull)
            .column("originating_unit", type: .text, .notNull)
            .column("author", type: .text, .notNull)
            .column("recorded_at_us", type: .bigint, .notNull)
            .check(oneOf("kind", Matter.Kind.self), named: String?.none)
            .check(SQLRaw("offence IS NULL OR " + oneOf("offence", OffenceType.self).sql), named: String?.none)
            .check(oneOf("basis", Basis.self), named: String?.none)
            .run()
        try await db.create(index: "matters_unit").on("matters").column("unit").column("id").run()
        try await db.create(table: "subject_matter_links")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("matter_id", type: .text, .notNull, .references("matters", "id"))
            .column("category", type: .text, .notNull)
            .column("basis", type: .text, .notNull)
            .column("source_type", type: .text, .notNull)
            .column("originating_unit", type: .text, .notNull)
            .column("author", type: .text, .notNull)
            .column("recorded_at_us", type: .bigint, .notNull)
            .unique("subject_id", "matter_id", "category")
            .check(oneOf("category", CustodianCore.Category.self), named: String?.none)
            .check(oneOf("basis", Basis.self), named: String?.none)
            .run()
        try await db.create(index: "links_matter").on("subject_matter_links").column("matter_id").run()
        try await db.create(table: "intelligence")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("unit", type: .text, .notNull)
            .column("grade_scheme", type: .text, .notNull)
            .column("grade_source", type: .text, .notNull)
            .column("grade_assessment", type: .text, .notNull)
            .column("grade_handling", type: .text, .notNull)
            .column("grade_conditions", type: .text)
            .column("basis", type: .text, .notNull)
            .column("source_type", type: .text, .notNull)
            .column("originating_unit", type: .text, .notNull)
            .column("author", type: .text, .notNull)
            .column("recorded_at_us", type: .bigint, .notNull)
            .column("content", type: .text, .notNull)
            .check(SQLRaw("grade_scheme IN ('3x5x2', '5x5x5')"), named: String?.none)
            .check(oneOf("basis", Basis.self), named: String?.none)
            .check(oneOf("source_type", SourceType.self), named: String?.none)
            .run()
        try await db.create(index: "intelligence_subject").on("intelligence").column("subject_id").run()
        try await db.create(table: "flags")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("unit", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .column("originating_unit", type: .text, .notNull)
            .column("author", type: .text, .notNull)
            .column("recorded_at_us", type: .bigint, .notNull)
            .check(oneOf("kind", Flag.Kind.self), named: String?.none)
            .run()
        try await db.create(index: "flags_subject").on("flags").column("subject_id").run()
        try await db.create(table: "flag_evidence")
            .column("flag_id", type: .text, .notNull, .references("flags", "id"))
            .column("evidence_kind", type: .text, .notNull)
            .column("evidence_id", type: .text, .notNull)
            .primaryKey("flag_id", "evidence_kind", "evidence_id")
            .check(SQLRaw("evidence_kind IN ('intelligence', 'matter')"), named: String?.none)
            .run()
    }

    static func audit(_ db: any SQLDatabase) async throws {
        try await db.create(table: "audit_entries")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: false))
            .column("at_us", type: .bigint, .notNull)
            .column("operation", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("actor_id", type: .text, .notNull)
            .column("actor_role", type: .text, .notNull)
            .column("actor_unit", type: .text, .notNull)
            .column("purpose", type: .text)
            .column("justification", type: .text)
            .column("recipient", type: .text)
            .column("touched", type: .text, .notNull)
            .column("outcome", type: .text)
            .check(oneOf("operation", AuditEntry.Operation.self), named: String?.none)
            .run()
        try await db.create(index: "audit_actor").on("audit_entries").column("actor_id").column("seq").run()
        try await db.create(index: "audit_time").on("audit_entries").column("at_us").run()
        try await db.create(table: "audit_subjects")
            .column("seq", type: .bigint, .notNull, .references("audit_entries", "seq"))
            .column("subject_id", type: .text, .notNull)
            .primaryKey("subject_id", "seq")
            .run()
    }

    /// Signed-in page sessions (token hashes only) and failed sign-in counts for lock-out.
    @Sendable static func pageSessions(_ db: any SQLDatabase) async throws {
        try await db.create(table: "web_sessions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("csrf_token", type: .text, .notNull)
            .column("created_at_us", type: .bigint, .notNull)
            .column("last_seen_at_us", type: .bigint, .notNull)
            .column("purpose", type: .text)
            .column("justification", type: .text)
            .column("purpose_until_us", type: .bigint)
            .check(SQLRaw("purpose IS NULL OR " + oneOf("purpose", Purpose.self).sql), named: String?.none)
            .run()
        try await db.create(index: "web_sessions_user").on("web_sessions").column("user_id").run()
        try await db.create(table: "sign_in_throttle")
            .column("username", type: .text, .primaryKey(autoIncrement: false))
            .column("failures", type: .bigint, .notNull)
            .column("locked_until_us", type: .bigint)
            .run()
    }

    /// The rulebook's versions, inclusions and the reviews and harm assessments made of them.
    /// Free text rests sealed under the subject's key; only what storage filters on is clear.
    @Sendable static func governance(_ db: any SQLDatabase) async throws {
        try await db.create(table: "rulebook_versions")
            .column("version", type: .bigint, .primaryKey(autoIncrement: false))
            .column("body", type: .text, .notNull)
            .column("rationale", type: .text, .notNull)
            .column("proposed_by", type: .text, .notNull)
            .column("proposed_at_us", type: .bigint, .notNull)
            .column("status", type: .text, .notNull)
            .column("decided_by", type: .text)
            .column("decided_at_us", type: .bigint)
            .check(oneOf("status", RulebookVersion.Status.self), named: String?.none)
            .run()
        try await db.create(table: "inclusions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("unit", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("next_review_due", type: .text)
            .column("suspended_on", type: .text)
            .column("removal_review_required", type: .bigint, .notNull)
            .column("sealed", type: .text, .notNull)
            .check(oneOf("status", Inclusion.Status.self), named: String?.none)
            .run()
        try await db.create(index: "inclusions_unit_status").on("inclusions").column("unit").column("status").run()
        try await db.create(index: "inclusions_subject").on("inclusions").column("subject_id").run()
        for table in ["reviews", "harm_assessments"] { try await eventTable(table, db) }
    }

    /// A record kept whole as JSON, found by id or by one indexed lookup value (a status, a
    /// partner): agreements, share requests, rights requests, DPIAs. One shape, written once.
    static func documentTable(_ table: String, _ db: any SQLDatabase) async throws {
        try await db.create(table: table)
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("lookup", type: .text)
            .column("body", type: .text, .notNull)
            .run()
        try await db.create(index: "\(table)_lookup").on(table).column("lookup").run()
    }

    /// A subject's sealed events, newest found by time: reviews, assessments, rectifications,
    /// retention decisions. One shape, so each kind is its own table and goes with the subject.
    static func eventTable(_ table: String, _ db: any SQLDatabase) async throws {
        try await db.create(table: table)
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("unit", type: .text, .notNull)
            .column("at_us", type: .bigint, .notNull)
            .column("kind", type: .text, .notNull)
            .column("sealed", type: .text, .notNull)
            .run()
        try await db.create(index: "\(table)_subject").on(table).column("subject_id").column("at_us").run()
    }

    /// Subjects held under restriction instead of erasure, with the sealed reason.
    /// Vetting and training refreshers beside each user; grants waiting for governance. Accounts
    /// that exist already were granted under the old process and stay granted (awaiting_grant NULL).
    @Sendable static func userGrants(_ db: any SQLDatabase) async throws {
        // One column per statement: SQLite adds columns one at a time.
        for column in ["training_refresher_due", "vetting_level", "vetting_expires_on"] {
            try await db.alter(table: "users").column(column, type: .text).run()
        }
        try await db.alter(table: "users").column("awaiting_grant", type: .bigint).run()
        try await db.create(table: "user_grants")
            .column("user_id", type: .text, .primaryKey(autoIncrement: false), .references("users", "id"))
            .column("role", type: .text, .notNull)
            .column("unit", type: .text, .notNull)
            .column("permissions", type: .text, .notNull)
            .column("requested_by", type: .text, .notNull)
            .column("requested_at_us", type: .bigint, .notNull)
            .check(oneOf("role", Role.self), named: String?.none)
            .run()
    }

    /// Where an item came from, as a registered source (a partner organisation, a source
    /// reference), on every record with provenance; and the 3x5x2 grade of intelligence reports.
    @Sendable static func registeredSources(_ db: any SQLDatabase) async throws {
        for table in ["subjects", "matters", "intelligence", "subject_matter_links"] {
            try await db.alter(table: table).column("source_reference", type: .text).run()
        }
        try await db.alter(table: "matters").column("grade", type: .text).run()
    }

    /// Flags and scores for children, held sealed until a SPOC and central governance approve.
    @Sendable static func childActions(_ db: any SQLDatabase) async throws {
        try await db.create(table: "child_actions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("unit", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("sealed", type: .text, .notNull)
            .check(oneOf("status", ChildAction.Status.self), named: String?.none)
            .run()
        try await db.create(index: "child_actions_status").on("child_actions").column("status").column("unit").run()
    }

    /// Rights requests, kept whole as JSON (status as the lookup column), like other organisational records.
    @Sendable static func rightsRequests(_ db: any SQLDatabase) async throws {
        try await documentTable("rights_requests", db)
    }

    /// Rectifications and supplementary statements, sealed under the subject's key: the before
    /// and after of every correction, kept so the alteration can be shown (s.62) and gone with the key.
    @Sendable static func rectifications(_ db: any SQLDatabase) async throws {
        try await eventTable("rectifications", db)
    }

    /// The versions of the data protection impact assessment, each a whole record (s.64).
    @Sendable static func dpias(_ db: any SQLDatabase) async throws {
        try await documentTable("dpias", db)
    }

    /// The appropriate policy document for sensitive processing (s.42), every version kept.
    @Sendable static func policyDocuments(_ db: any SQLDatabase) async throws {
        try await documentTable("policy_documents", db)
    }

    /// The breach register (s.67(6)): every breach, notified or not, each a whole record.
    @Sendable static func breaches(_ db: any SQLDatabase) async throws {
        try await documentTable("breaches", db)
    }

    /// Equality monitoring: one row per person reaching a stage, with no subject id (like the
    /// erasure tally), read only as sums by period; baselines, alerts and impact assessments whole.
    @Sendable static func equality(_ db: any SQLDatabase) async throws {
        try await db.create(table: "equality_events")
            .column("on_day", type: .text, .notNull)
            .column("unit", type: .text, .notNull)
            .column("stage", type: .text, .notNull)
            .column("band", type: .text)
            .column("officer_ethnicity", type: .text)
            .column("self_ethnicity", type: .text)
            .column("age_band", type: .text, .notNull)
            .column("sex", type: .text, .notNull)
            .check(oneOf("stage", EqualityStage.self), named: String?.none)
            .run()
        try await db.create(index: "equality_events_day").on("equality_events").column("on_day").run()
        // The same events summed by month as they are written, one row per stage, borough, band
        // and stored value of each characteristic (empty text for none): a report over whole months
        // reads these sums, and only its part-months read events.
        try await db.create(table: "equality_month_tallies")
            .column("month", type: .text, .notNull)
            .column("unit", type: .text, .notNull)
            .column("stage", type: .text, .notNull)
            .column("band", type: .text, .notNull)
            .column("characteristic", type: .text, .notNull)
            .column("stored", type: .text, .notNull)
            .column("n", type: .bigint, .notNull)
            .primaryKey("month", "unit", "stage", "band", "characteristic", "stored")
            .run()
        for table in ["equality_baselines", "equality_alerts", "equality_impact_assessments"] { try await documentTable(table, db) }
    }

    /// Duplicates across boroughs: the last scan's pairs (ids, boroughs, score and the codes of the
    /// reasons, no names) and people's decisions about pairs, kept whole with their reversals.
    /// Both go with either subject's record when it is erased.
    @Sendable static func duplicates(_ db: any SQLDatabase) async throws {
        try await db.create(table: "duplicate_candidates")
            .column("pair_key", type: .text, .primaryKey(autoIncrement: false))
            .column("first_id", type: .text, .notNull)
            .column("second_id", type: .text, .notNull)
            .column("first_unit", type: .text, .notNull)
            .column("second_unit", type: .text, .notNull)
            .column("score", type: .bigint, .notNull)
            .column("evidence", type: .text, .notNull)
            .column("found_at_us", type: .bigint, .notNull)
            .run()
        try await db.create(table: "duplicate_decisions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("pair_key", type: .text, .notNull)
            .column("first_id", type: .text, .notNull)
            .column("second_id", type: .text, .notNull)
            .column("settles", type: .bigint, .notNull)
            .column("decided_at_us", type: .bigint, .notNull)
            .column("body", type: .text, .notNull)
            .run()
        for (table, column) in [
            ("duplicate_candidates", "first_id"), ("duplicate_candidates", "second_id"), ("duplicate_decisions", "pair_key"),
            ("duplicate_decisions", "first_id"), ("duplicate_decisions", "second_id"),
        ] {
            try await db.create(index: "\(table)_\(column)").on(table).column(column).run()
        }
        try await db.create(index: "duplicate_candidates_score").on("duplicate_candidates").column("score").column("pair_key").run()
    }

    /// Decisions to keep a person who is not included past their retention review.
    @Sendable static func retentionReviews(_ db: any SQLDatabase) async throws {
        try await eventTable("retention_reviews", db)
    }

    @Sendable static func restrictions(_ db: any SQLDatabase) async throws {
        try await db.create(table: "subject_restrictions")
            .column("subject_id", type: .text, .primaryKey(autoIncrement: false), .references("subjects", "id"))
            .column("restricted_by", type: .text, .notNull)
            .column("at_us", type: .bigint, .notNull)
            .column("sealed_reason", type: .text, .notNull)
            .run()
        // How many were erased, per borough and day: no subject, so no list of removed people.
        try await db.create(table: "erasure_tally")
            .column("unit", type: .text, .notNull)
            .column("on_day", type: .text, .notNull)
            .column("erased", type: .bigint, .notNull)
            .primaryKey("unit", "on_day")
            .run()
    }

    /// Share requests found by borough and by the people they name, not by reading them all:
    /// `lookup` holds the borough (it held the partner, which nothing looked up by), and each
    /// request's people are indexed. Existing requests are indexed as they are.
    @Sendable static func shareRequestIndex(_ db: any SQLDatabase) async throws {
        try await db.create(table: "share_request_subjects")
            .column("request_id", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .primaryKey("request_id", "subject_id")
            .run()
        try await db.create(index: "share_request_subjects_subject").on("share_request_subjects").column("subject_id").run()
        for row in try await db.select().columns("id", "body").from("share_requests").all() {
            let (id, body) = (try row.decode(column: "id", as: String.self), try row.decode(column: "body", as: String.self))
            let request = try JSONDecoder().decode(ShareRequest.self, from: Data(body.utf8))
            try await db.update("share_requests").set("lookup", to: request.unit.rawValue).where("id", .equal, id).run()
            for subject in Set(request.outcomes.map(\.subjectID.description)).sorted() {
                try await db.insert(into: "share_request_subjects").columns("request_id", "subject_id").values(id, subject).run()
            }
        }
    }

    /// A harm assessment's row says `zero` for a score of nothing (`HarmRowKind`); rows written
    /// before said `green` for zero and low scores alike, and cannot be told apart without the
    /// person's key, so they are marked to be opened when counted.
    /// Single-use links by which a person sets their own password: only the link's hash is kept.
    @Sendable static func enrolments(_ db: any SQLDatabase) async throws {
        try await db.create(table: "enrolments")
            .column("user_id", type: .text, .primaryKey(autoIncrement: false), .references("users", "id"))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("expires_at_us", type: .bigint, .notNull)
            .column("issued_by", type: .text, .notNull)
            .column("issued_at_us", type: .bigint, .notNull)
            .run()
    }

    /// The source register, kept whole as JSON, and the registered source each record cites by
    /// id. A label typed before the register existed is not a source (its item counts as its
    /// unit's own); 0027 moves such labels out of `source_reference` into their own compartment.
    @Sendable static func sourceRegister(_ db: any SQLDatabase) async throws {
        try await documentTable("registered_sources", db)
        for table in ["subjects", "matters", "intelligence", "subject_matter_links"] {
            try await db.alter(table: table).column("source_id", type: .text).run()
        }
    }

    @Sendable static func harmZeroKind(_ db: any SQLDatabase) async throws {
        try await db.update("harm_assessments").set("kind", to: HarmRowKind.unopenedGreen).where("kind", .equal, HarmBand.green.rawValue)
            .run()
    }

    /// Partners, agreements, share requests, disclosures (records sealed per subject) and recalls.
    /// Organisational records are kept whole as JSON beside the columns storage looks them up by.
    @Sendable static func sharing(_ db: any SQLDatabase) async throws {
        for table in ["partners", "agreements", "share_requests", "recalls"] { try await documentTable(table, db) }
        try await db.create(table: "partner_recipients")
            .column("user_id", type: .text, .primaryKey(autoIncrement: false))
            .column("partner_id", type: .text, .notNull)
            .run()
        try await db.create(table: "disclosures")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("partner_id", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .run()
        try await db.create(index: "disclosures_partner").on("disclosures").column("partner_id").run()
        try await db.create(table: "disclosure_records")
            .column("disclosure_id", type: .text, .notNull, .references("disclosures", "id"))
            .column("record_ref", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull, .references("subjects", "id"))
            .column("sealed", type: .text, .notNull)
            .primaryKey("disclosure_id", "record_ref")
            .run()
        try await db.create(index: "disclosure_records_subject").on("disclosure_records").column("subject_id").run()
    }
}
