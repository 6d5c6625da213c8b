public import Foundation

public typealias PartnerID = Identifier<Partner>

/// An organisation Custodian may share with under an agreement, its recipient users, and the
/// age key packages are encrypted to.
public struct Partner: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case councilDepartment = "council-department"
        case housingAssociation = "housing-association"
        case youthOffendingTeam = "youth-offending-team"
        case school, probation, charity
    }

    public let id: PartnerID
    public var name: String
    public var kind: Kind
    /// Named by the Crime and Disorder Act 1998 (a statutory partner) or sharing on common law
    /// and the public interest.
    public var statutory: Bool
    public var recipients: [UserID]
    public var key: AgeRecipient

    public init(id: PartnerID, name: String, kind: Kind, statutory: Bool, recipients: [UserID], key: AgeRecipient) {
        (self.id, self.name, self.kind, self.statutory, self.recipients, self.key) = (id, name, kind, statutory, recipients, key)
    }
}

public struct PartnerDraft: Sendable {
    public var name: String
    public var kind: String
    public var statutory: Bool
    public var recipientIDs: [String]
    public var ageRecipient: String

    public init(name: String, kind: String, statutory: Bool, recipientIDs: [String], ageRecipient: String) {
        (self.name, self.kind, self.statutory, self.recipientIDs, self.ageRecipient) = (name, kind, statutory, recipientIDs, ageRecipient)
    }

    public func validated(id: PartnerID) throws(RegisterError) -> Partner {
        var v = Validator()
        let name = v.line(name, "name", max: 200)
        let kind = Partner.Kind(rawValue: kind)
        if kind == nil {
            v.fail("kind", "partner.kind", "kind must be one of \(Partner.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let recipients: [UserID] = v.ids(recipientIDs, "recipientIds")
        let key = AgeRecipient(ageRecipient)
        if key == nil { v.fail("ageRecipient", "partner.age-key", "ageRecipient must be an age X25519 recipient: age1… (from age-keygen)") }
        let (nameValue, kindValue, keyValue) = try v.finish(name, kind, key)
        return Partner(id: id, name: nameValue, kind: kindValue, statutory: statutory, recipients: recipients, key: keyValue)
    }
}
