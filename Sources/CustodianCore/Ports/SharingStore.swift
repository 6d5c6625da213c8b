public import Foundation

/// Partners, agreements, share requests, disclosures and recalls. Organisational records are kept
/// as they are; each disclosed record is sealed under its subject's key.
public protocol SharingStore: Sendable {
    func upsertPartner(_ partner: Partner) async throws
    func partners() async throws -> [Partner]
    func partner(_ id: PartnerID) async throws -> Partner?
    /// The organisation a partner user receives for, if any.
    func partner(recipient: UserID) async throws -> Partner?
    func upsertAgreement(_ agreement: SharingAgreement) async throws
    func agreements() async throws -> [SharingAgreement]
    func agreement(_ id: AgreementID) async throws -> SharingAgreement?
    func upsertShareRequest(_ request: ShareRequest) async throws
    func shareRequest(_ id: ShareRequestID) async throws -> ShareRequest?
    /// A borough's share requests, and (for erasure) those naming one person: looked up by
    /// index, never by reading every request.
    func shareRequests(unit: Borough) async throws -> [ShareRequest]
    func shareRequests(naming subject: SubjectID) async throws -> [ShareRequest]
    /// Only a disclosure the monitor permitted (`Monitor.disclosure`) can be written.
    func insertDisclosure(_ disclosure: Permitted<SealedDisclosure>) async throws
    func disclosures(partner: PartnerID) async throws -> [DisclosureHeader]
    func disclosure(_ id: DisclosureID) async throws -> DisclosureHeader?
    func disclosedRecords(_ id: DisclosureID) async throws -> [(ref: String, subject: SubjectID, sealed: Data)]
    /// Every disclosed record of a subject, to recall them before the subject is erased.
    func disclosedRecords(subject: SubjectID) async throws -> [(disclosure: DisclosureID, ref: String)]
    func upsertRecall(_ recall: Recall) async throws
    func recalls(partner: PartnerID?) async throws -> [Recall]
}
