import CustodianCore
import Foundation
import SQLKit

extension SQLRegisterTransaction {
    // MARK: Whole records as JSON, looked up by id or one column

    func upsert(_ table: String, id: String, lookup: String?, _ value: some Encodable) async throws {
        let body = String(decoding: try Self.sortedJSON.encode(value), as: UTF8.self)
        try await db.delete(from: table).where("id", .equal, id).run()
        try await db.insert(into: table).columns("id", "lookup", "body").values(id, lookup, body).run()
    }

    /// One record kept whole as JSON, by id.
    func one<T: Decodable>(_ table: String, id: String, _ type: T.Type) async throws -> T? {
        try await db.select().column("body").from(table).where("id", .equal, id).first()
            .map { try JSONDecoder().decode(T.self, from: Data(try $0.text("body").utf8)) }
    }

    func all<T: Decodable>(_ table: String, _ type: T.Type, lookup: String? = nil) async throws -> [T] {
        let query = db.select().column("body").from(table)
        if let lookup { query.where("lookup", .equal, lookup) }
        return try await query.orderBy("id").all().map { try JSONDecoder().decode(T.self, from: Data(try $0.text("body").utf8)) }
    }

    func upsertRightsRequest(_ request: RightsRequest) async throws {
        try await upsert("rights_requests", id: request.id.description, lookup: request.status.rawValue, request)
    }

    func rightsRequest(_ id: RightsRequestID) async throws -> RightsRequest? {
        try await one("rights_requests", id: id.description, RightsRequest.self)
    }

    func rightsRequests() async throws -> [RightsRequest] { try await all("rights_requests", RightsRequest.self) }

    func upsertDPIA(_ dpia: DPIA) async throws {
        try await upsert("dpias", id: dpia.id.description, lookup: dpia.status.rawValue, dpia)
    }

    func dpias() async throws -> [DPIA] { try await all("dpias", DPIA.self) }

    func approvedDPIAs() async throws -> [DPIA] { try await all("dpias", DPIA.self, lookup: DPIA.Status.approved.rawValue) }

    func upsertBreach(_ breach: Breach) async throws {
        try await upsert("breaches", id: breach.id.description, lookup: breach.status.rawValue, breach)
    }

    func breach(_ id: BreachID) async throws -> Breach? {
        try await one("breaches", id: id.description, Breach.self)
    }

    func breaches() async throws -> [Breach] { try await all("breaches", Breach.self) }

    func upsertPolicyDocument(_ document: PolicyDocument) async throws {
        try await upsert("policy_documents", id: document.id.description, lookup: document.status.rawValue, document)
    }

    func policyDocuments() async throws -> [PolicyDocument] { try await all("policy_documents", PolicyDocument.self) }

    func approvedPolicyDocuments() async throws -> [PolicyDocument] {
        try await all("policy_documents", PolicyDocument.self, lookup: PolicyDocument.Status.approved.rawValue)
    }

    func upsertPartner(_ partner: Partner) async throws {
        try await upsert("partners", id: partner.id.description, lookup: nil, partner)
        try await db.delete(from: "partner_recipients").where("partner_id", .equal, partner.id.description).run()
        for user in partner.recipients {
            try await db.insert(into: "partner_recipients").columns("user_id", "partner_id").values(
                user.description, partner.id.description
            ).run()
        }
    }

    func partners() async throws -> [Partner] { try await all("partners", Partner.self) }
    func partner(_ id: PartnerID) async throws -> Partner? { try await one("partners", id: id.description, Partner.self) }
    func partner(recipient: UserID) async throws -> Partner? {
        guard
            let row = try await db.select().column("partner_id").from("partner_recipients").where("user_id", .equal, recipient.description)
                .first()
        else { return nil }
        return try await one("partners", id: try row.text("partner_id"), Partner.self)
    }
    func upsertAgreement(_ agreement: SharingAgreement) async throws {
        try await upsert("agreements", id: agreement.id.description, lookup: nil, agreement)
    }
    func agreements() async throws -> [SharingAgreement] { try await all("agreements", SharingAgreement.self) }
    func agreement(_ id: AgreementID) async throws -> SharingAgreement? {
        try await one("agreements", id: id.description, SharingAgreement.self)
    }
    /// Looked up by borough (`lookup`) and by each person it names (`share_request_subjects`).
    func upsertShareRequest(_ request: ShareRequest) async throws {
        try await upsert("share_requests", id: request.id.description, lookup: request.unit.rawValue, request)
        try await db.delete(from: "share_request_subjects").where("request_id", .equal, request.id.description).run()
        let subjects = Set(request.outcomes.map(\.subjectID.description)).sorted()
        for start in stride(from: 0, to: subjects.count, by: 200) {
            let insert = db.insert(into: "share_request_subjects").columns("request_id", "subject_id")
            for subject in subjects[start..<min(start + 200, subjects.count)] { insert.values(request.id.description, subject) }
            try await insert.run()
        }
    }

    func shareRequest(_ id: ShareRequestID) async throws -> ShareRequest? {
        try await one("share_requests", id: id.description, ShareRequest.self)
    }

    func shareRequests(unit: Borough) async throws -> [ShareRequest] {
        try await all("share_requests", ShareRequest.self, lookup: unit.rawValue)
    }

    func shareRequests(naming subject: SubjectID) async throws -> [ShareRequest] {
        try await db.select().column(SQLColumn("body", table: "r")).from(SQLAlias(SQLIdentifier("share_requests"), as: SQLIdentifier("r")))
            .join(
                SQLAlias(SQLIdentifier("share_request_subjects"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                on: SQLColumn("request_id", table: "s"), .equal, SQLColumn("id", table: "r")
            )
            .where(SQLColumn("subject_id", table: "s"), .equal, SQLBind(subject.description))
            .orderBy(SQLColumn("id", table: "r")).all()
            .map { try JSONDecoder().decode(ShareRequest.self, from: Data(try $0.text("body").utf8)) }
    }

    func upsertRecall(_ recall: Recall) async throws {
        try await upsert("recalls", id: recall.id.description, lookup: recall.partnerID.description, recall)
    }
    func recalls(partner: PartnerID?) async throws -> [Recall] { try await all("recalls", Recall.self, lookup: partner?.description) }

    // MARK: Disclosures

    func insertDisclosure(_ permitted: Permitted<SealedDisclosure>) async throws {
        let (d, records) = (permitted.value.header, permitted.value.records)
        try await db.insert(into: "disclosures").columns("id", "partner_id", "body")
            .values(d.id.description, d.partnerID.description, String(decoding: try Self.sortedJSON.encode(d), as: UTF8.self)).run()
        for start in stride(from: 0, to: records.count, by: 200) {
            let insert = db.insert(into: "disclosure_records").columns("disclosure_id", "record_ref", "subject_id", "sealed")
            for r in records[start..<min(start + 200, records.count)] {
                insert.values(d.id.description, r.ref, r.subject.description, r.sealed.base64EncodedString())
            }
            try await insert.run()
        }
    }

    func disclosures(partner: PartnerID) async throws -> [DisclosureHeader] {
        try await db.select().column("body").from("disclosures").where("partner_id", .equal, partner.description).orderBy("id", .descending)
            .all()
            .map { try JSONDecoder().decode(DisclosureHeader.self, from: Data(try $0.text("body").utf8)) }
    }

    func disclosure(_ id: DisclosureID) async throws -> DisclosureHeader? {
        try await one("disclosures", id: id.description, DisclosureHeader.self)
    }

    func disclosedRecords(_ id: DisclosureID) async throws -> [(ref: String, subject: SubjectID, sealed: Data)] {
        try await db.select().columns("record_ref", "subject_id", "sealed").from("disclosure_records").where(
            "disclosure_id", .equal, id.description
        )
        .orderBy("record_ref").all().map { (try $0.text("record_ref"), try $0.id("subject_id"), try $0.data("sealed")) }
    }

    func disclosedRecords(subject: SubjectID) async throws -> [(disclosure: DisclosureID, ref: String)] {
        try await db.select().columns("disclosure_id", "record_ref").from("disclosure_records").where(
            "subject_id", .equal, subject.description
        )
        .all().map { (try $0.id("disclosure_id"), try $0.text("record_ref")) }
    }
}
