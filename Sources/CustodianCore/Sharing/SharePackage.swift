public import Foundation
import Crypto

/// What a package says about itself, signed with Custodian's Ed25519 key.
public struct PackageManifest: Sendable, Equatable, Codable {
    public let format: String
    public let disclosureId: String
    public let agreementId: String
    public let agreementTitle: String
    public let purpose: String
    public let recipientOrganisation: String
    public let recipientOrganisationId: String
    public let recipientUsers: [String]
    public let createdAt: String
    public let expiresOn: String
    public let watermark: String
    public let records: Int
    public let recordsJSONSHA256: String
    public let recordsCSVSHA256: String
    public let signedBy: String
    public let onwardSharing: Bool
    public let retentionDays: Int
}

/// A package for one recipient: records as JSON and CSV, the manifest and its signature, in a
/// tar archive encrypted to the partner's age key.
public enum SharePackage {
    public struct Built: Sendable {
        public let encrypted: Data
        public let manifest: PackageManifest
        public let manifestJSON: Data
        public let signature: Data
    }

    public static func build(
        _ disclosure: Disclosure, agreement: SharingAgreement, partner: Partner, recipientUsers: [String],
        signedBy signer: NoteVerifier, sign: (Data) throws -> Data
    ) throws -> Built {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(disclosure.records)
        let csv = Data(csv(disclosure.records).utf8)
        let manifest = PackageManifest(
            format: "custodian-disclosure/v1", disclosureId: disclosure.id.description, agreementId: agreement.id.description,
            agreementTitle: agreement.title, purpose: disclosure.purpose, recipientOrganisation: partner.name,
            recipientOrganisationId: partner.id.description, recipientUsers: recipientUsers, createdAt: disclosure.createdAt.description,
            expiresOn: disclosure.expiresOn.description, watermark: disclosure.watermark, records: disclosure.records.count,
            recordsJSONSHA256: hex(SHA256.hash(data: json)), recordsCSVSHA256: hex(SHA256.hash(data: csv)), signedBy: signer.name,
            onwardSharing: agreement.onwardSharing, retentionDays: agreement.retentionDays)
        let manifestJSON = try encoder.encode(manifest)
        let signature = try sign(manifestJSON)
        var tar = TarArchive(modified: disclosure.createdAt)
        try tar.add("manifest.json", manifestJSON)
        try tar.add("manifest.sig", Data(signature.base64EncodedString().utf8) + Data("\n".utf8))
        try tar.add("records.json", json)
        try tar.add("records.csv", csv)
        try tar.add("README.txt", Data(readme(manifest, key: signer).utf8))
        return Built(
            encrypted: try AgeEncryption.encrypt(tar.finished, to: [partner.key]), manifest: manifest,
            manifestJSON: manifestJSON, signature: signature)
    }

    /// One row per person: the always-present columns, then whichever allowed fields are set.
    static func csv(_ records: [DisclosedRecord]) -> String {
        let header = [
            "record_ref", "categories", "last_reviewed", "name", "aliases", "nickname", "date_of_birth", "sex", "addresses",
            "pnc_id", "harm_band", "matters", "intelligence", "flags", "watermark",
        ]
        var lines = [header.joined(separator: ",")]
        for r in records {
            let matters = r.matters?.map {
                "\($0.grade.map { "[\($0)] " } ?? "")\($0.reference) \($0.kind)\($0.offence.map { " " + $0 } ?? "") \($0.occurredOn) as \($0.category) (\($0.basis))"
            }
            let intelligence = r.intelligence?.map {
                "[\($0.grade), \($0.basis)] \($0.text)\($0.handlingConditions.map { " CONDITIONS: " + $0 } ?? "")"
            }
            let row: [String?] = [
                r.recordRef, r.categories.joined(separator: "; "), r.lastReviewed, r.name, r.aliases?.joined(separator: "; "),
                r.nickname, r.dateOfBirth, r.sex, r.addresses?.joined(separator: "; "), r.pncId,
                r.harmBand.map { "\($0) (\(r.harmBandBasis ?? Basis.assessment.rawValue))" },
                matters?.joined(separator: "; "), intelligence?.joined(separator: "; "),
                r.flags?.map { "\($0.kind) (\($0.basis))" }.joined(separator: "; "), r.watermark,
            ]
            lines.append(row.map { quote($0 ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        // A leading =, +, - or @ would run as a formula in a spreadsheet: neutralise it.
        let safe = field.first.map { "=+-@".contains($0) } == true ? "'" + field : field
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func hex(_ digest: SHA256.Digest) -> String { Hex.lowercase(digest) }

    /// Printed with the key itself, so a recipient verifies with their own tools and needs nothing
    /// from Custodian but what is also published at /.well-known/custodian/keys.
    static func readme(_ m: PackageManifest, key: NoteVerifier) -> String {
        """
        Custodian disclosure \(m.disclosureId) for \(m.recipientOrganisation)
        Agreement: \(m.agreementTitle) (\(m.agreementId)). Purpose: \(m.purpose).
        Use these records only for that purpose. Onward sharing: \(m.onwardSharing ? "as the agreement allows" : "not permitted").
        Delete them by \(m.expiresOn) (kept at most \(m.retentionDays) days), and at once if Custodian recalls them.
        Every record carries the watermark \(m.watermark): a leaked copy names this recipient.
        manifest.sig is an Ed25519 signature (base64) over manifest.json by Custodian's key \(m.signedBy).
        The public key (raw 32 bytes, base64): \(key.rawPublicKey.base64EncodedString())
        The same key, published without sign-in: /.well-known/custodian/keys on the Custodian server.
        Check with any Ed25519 tool, for example Python's cryptography package:
          Ed25519PublicKey.from_public_bytes(b64decode(KEY)).verify(b64decode(open('manifest.sig').read()), open('manifest.json','rb').read())

        """
    }
}
