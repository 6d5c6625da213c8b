import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    // MARK: The rulebook

    func rulebookVersions() async throws -> [RulebookVersion] {
        try await db.select().column("*").from("rulebook_versions").orderBy("version").all().map { row in
            RulebookVersion(
                rulebook: try JSONDecoder().decode(Rulebook.self, from: Data(try row.text("body").utf8)),
                rationale: try row.text("rationale"), proposedBy: try row.id("proposed_by"),
                proposedAt: Timestamp(microseconds: try row.int64("proposed_at_us")),
                status: try row.enumeration("status", as: RulebookVersion.Status.self),
                decidedBy: try row.optionalText("decided_by").flatMap(UserID.init),
                decidedAt: try row.optionalInt64("decided_at_us").map(Timestamp.init(microseconds:)))
        }
    }

    func activeRulebook() async throws -> Rulebook? {
        try await db.select().column("body").from("rulebook_versions").where("status", .equal, RulebookVersion.Status.active.rawValue)
            .orderBy("version", .descending).limit(1).first()
            .map { try JSONDecoder().decode(Rulebook.self, from: Data(try $0.text("body").utf8)) }
    }

    func insertRulebookVersion(_ v: RulebookVersion) async throws {
        let body = String(decoding: try Self.sortedJSON.encode(v.rulebook), as: UTF8.self)
        try await db.insert(into: "rulebook_versions")
            .columns("version", "body", "rationale", "proposed_by", "proposed_at_us", "status", "decided_by", "decided_at_us")
            .values(
                Int64(v.rulebook.version), body, v.rationale, v.proposedBy.description, v.proposedAt.microseconds, v.status.rawValue,
                v.decidedBy?.description, v.decidedAt?.microseconds
            )
            .run()
    }

    func updateRulebookVersion(_ v: RulebookVersion) async throws {
        try await db.update("rulebook_versions")
            .set("status", to: v.status.rawValue)
            .set("decided_by", to: v.decidedBy?.description)
            .set("decided_at_us", to: v.decidedAt?.microseconds)
            .where("version", .equal, Int64(v.rulebook.version))
            .run()
    }

    // MARK: Inclusions

    func insertInclusion(_ i: SealedInclusion) async throws {
        try await db.insert(into: "inclusions")
            .columns("id", "subject_id", "unit", "status", "next_review_due", "suspended_on", "removal_review_required", "sealed")
            .values(
                i.id.description, i.subjectID.description, i.unit.rawValue, i.status.rawValue, i.nextReviewDue?.description,
                i.suspendedOn?.description, Int64(i.removalReviewRequired ? 1 : 0), i.sealed.base64EncodedString()
            )
            .run()
    }

    func updateInclusion(_ i: SealedInclusion) async throws {
        try await db.update("inclusions")
            .set("status", to: i.status.rawValue)
            .set("next_review_due", to: i.nextReviewDue?.description)
            .set("suspended_on", to: i.suspendedOn?.description)
            .set("removal_review_required", to: Int64(i.removalReviewRequired ? 1 : 0))
            .set("sealed", to: i.sealed.base64EncodedString())
            .where("id", .equal, i.id.description)
            .run()
    }

    func inclusion(_ id: InclusionID) async throws -> SealedInclusion? {
        try await db.select().column("*").from("inclusions").where("id", .equal, id.description).first().map(Self.sealedInclusion)
    }

    func inclusions(subject: SubjectID) async throws -> [SealedInclusion] {
        try await inclusions(subjects: [subject])
    }

    func inclusions(subjects: [SubjectID]) async throws -> [SealedInclusion] {
        try await db.rows(from: "inclusions", where: "subject_id", in: subjects.map(\.description), orderBy: [("id", .ascending)])
            .map(Self.sealedInclusion)
    }

    func inclusions(units: [Borough]?, statuses: [Inclusion.Status]) async throws -> [SealedInclusion] {
        let query = db.select().column("*").from("inclusions").where("status", .in, statuses.map(\.rawValue))
        if let units { query.where("unit", .in, units.map(\.rawValue)) }
        return try await query.orderBy("next_review_due").orderBy("id").all().map(Self.sealedInclusion)
    }

    private static func sealedInclusion(_ row: any SQLRow) throws -> SealedInclusion {
        SealedInclusion(
            id: try row.id("id"), subjectID: try row.id("subject_id"), unit: try row.borough("unit"),
            status: try row.enumeration("status", as: Inclusion.Status.self),
            nextReviewDue: try row.optionalText("next_review_due").flatMap(LocalDate.init(iso:)),
            suspendedOn: try row.optionalText("suspended_on").flatMap(LocalDate.init(iso:)),
            removalReviewRequired: try row.int64("removal_review_required") != 0, sealed: try row.data("sealed"))
    }

    // MARK: Reviews and harm assessments

    func insertReview(_ e: SealedEvent) async throws { try await insertEvent(e, into: "reviews") }
    func insertRectification(_ e: SealedEvent) async throws { try await insertEvent(e, into: "rectifications") }
    func insertRetentionReview(_ e: SealedEvent) async throws { try await insertEvent(e, into: "retention_reviews") }
    func latestRetentionReview(subject: SubjectID, kind: String) async throws -> SealedEvent? {
        try await latestEvent(subject, in: "retention_reviews", kind: kind)
    }

    func retentionFacts(_ subjects: [SubjectID]) async throws -> [SubjectID: RetentionFacts] {
        var facts: [SubjectID: RetentionFacts] = [:]
        func latest(_ a: Timestamp?, _ b: Timestamp) -> Timestamp { a.map { max($0, b) } ?? b }
        for start in stride(from: 0, to: subjects.count, by: 500) {
            let ids = subjects[start..<min(start + 500, subjects.count)].map(\.description)
            for row in try await db.select().columns("subject_id", "category", "recorded_at_us").from("subject_matter_links")
                .where("subject_id", .in, ids).all()
            {
                let id: SubjectID = try row.id("subject_id")
                facts[id, default: RetentionFacts()].categories.append(try row.enumeration("category", as: Category.self))
                facts[id, default: RetentionFacts()].lastLinkAt = latest(
                    facts[id]?.lastLinkAt, Timestamp(microseconds: try row.int64("recorded_at_us")))
            }
            for row in try await db.select().columns("subject_id", "status").from("inclusions").where("subject_id", .in, ids).all() {
                let id: SubjectID = try row.id("subject_id")
                facts[id, default: RetentionFacts()].inclusions.append(try row.enumeration("status", as: Inclusion.Status.self))
            }
            for row in try await db.select().column("subject_id").column(
                SQLFunction("MAX", args: SQLIdentifier("recorded_at_us")), as: "latest"
            )
            .from("intelligence").where("subject_id", .in, ids).groupBy("subject_id").all() {
                facts[try row.id("subject_id"), default: RetentionFacts()].lastIntelligenceAt = Timestamp(
                    microseconds: try row.int64("latest"))
            }
            for row in try await db.select().columns("subject_id", "kind").column(
                SQLFunction("MAX", args: SQLIdentifier("at_us")), as: "latest"
            )
            .from("retention_reviews").where("subject_id", .in, ids).groupBy("subject_id").groupBy("kind").all() {
                let (id, at): (SubjectID, Timestamp) = (try row.id("subject_id"), Timestamp(microseconds: try row.int64("latest")))
                switch try row.text("kind") {
                case RetentionEvent.keep: facts[id, default: RetentionFacts()].lastKeptAt = at
                case RetentionEvent.raised: facts[id, default: RetentionFacts()].lastRaisedAt = at
                case RetentionEvent.erasureProposed: facts[id, default: RetentionFacts()].lastErasureProposedAt = at
                default: break
                }
            }
        }
        return facts
    }

    func latestRetentionReviews() async throws -> [SealedEvent] {
        var latest: [SubjectID: SealedEvent] = [:]
        for row in try await db.select().column("*").from("retention_reviews").orderBy("at_us").all() {
            let event = try Self.sealedEvent(row)
            latest[event.subjectID] = event
        }
        return latest.values.sorted { $0.subjectID.description < $1.subjectID.description }
    }

    func rectifications(subject: SubjectID) async throws -> [SealedEvent] {
        try await db.select().column("*").from("rectifications").where("subject_id", .equal, subject.description).orderBy("at_us").all()
            .map(Self.sealedEvent)
    }
    func insertHarmAssessment(_ e: Permitted<SealedEvent>) async throws { try await insertEvent(e.value, into: "harm_assessments") }

    func latestHarmAssessment(subject: SubjectID) async throws -> SealedEvent? { try await latestEvent(subject, in: "harm_assessments") }

    func latestHarmAssessments(subjects: [SubjectID]) async throws -> [SubjectID: SealedEvent] {
        var latest: [SubjectID: SealedEvent] = [:]
        for row in try await db.rows(
            from: "harm_assessments", where: "subject_id", in: subjects.map(\.description), orderBy: [("at_us", .ascending)])
        {
            let event = try Self.sealedEvent(row)
            latest[event.subjectID] = event
        }
        return latest
    }
    func latestReview(subject: SubjectID) async throws -> SealedEvent? { try await latestEvent(subject, in: "reviews") }
    func harmAssessments(subject: SubjectID) async throws -> [SealedEvent] { try await events(subject, in: "harm_assessments") }
    func reviews(subject: SubjectID) async throws -> [SealedEvent] { try await events(subject, in: "reviews") }

    private func events(_ subject: SubjectID, in table: String) async throws -> [SealedEvent] {
        try await db.select().column("*").from(table).where("subject_id", .equal, subject.description).orderBy("at_us", .ascending)
            .all().map(Self.sealedEvent)
    }

    func upsertChildAction(_ a: SealedChildAction) async throws {
        try await db.delete(from: "child_actions").where("id", .equal, a.id.description).run()
        try await db.insert(into: "child_actions").columns("id", "subject_id", "unit", "status", "sealed")
            .values(a.id.description, a.subjectID.description, a.unit.rawValue, a.status.rawValue, a.sealed.base64EncodedString()).run()
    }

    func childAction(_ id: ChildActionID) async throws -> SealedChildAction? {
        try await db.select().column("*").from("child_actions").where("id", .equal, id.description).first().map(Self.childAction(from:))
    }

    func childActions(units: [Borough]?, statuses: [ChildAction.Status]) async throws -> [SealedChildAction] {
        let query = db.select().column("*").from("child_actions").where("status", .in, statuses.map(\.rawValue))
        if let units { query.where("unit", .in, units.map(\.rawValue)) }
        return try await query.orderBy("id").all().map(Self.childAction(from:))
    }

    private static func childAction(from row: any SQLRow) throws -> SealedChildAction {
        SealedChildAction(
            id: try row.id("id"), subjectID: try row.id("subject_id"), unit: try row.borough("unit"),
            status: try row.enumeration("status", as: ChildAction.Status.self), sealed: try row.data("sealed"))
    }

    private func latestEvent(_ subject: SubjectID, in table: String, kind: String? = nil) async throws -> SealedEvent? {
        let query = db.select().column("*").from(table).where("subject_id", .equal, subject.description)
        if let kind { query.where("kind", .equal, kind) }
        return try await query.orderBy("at_us", .descending).limit(1).first().map(Self.sealedEvent)
    }

    private static func sealedEvent(_ row: any SQLRow) throws -> SealedEvent {
        SealedEvent(
            subjectID: try row.id("subject_id"), unit: try row.borough("unit"), at: Timestamp(microseconds: try row.int64("at_us")),
            kind: try row.text("kind"), sealed: try row.data("sealed"))
    }

    private func insertEvent(_ e: SealedEvent, into table: String) async throws {
        try await db.insert(into: table).columns("subject_id", "unit", "at_us", "kind", "sealed")
            .values(e.subjectID.description, e.unit.rawValue, e.at.microseconds, e.kind, e.sealed.base64EncodedString()).run()
    }

    static let sortedJSON: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}
