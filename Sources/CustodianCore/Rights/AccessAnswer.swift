public import Foundation

/// The s.45 answer to an access request, as data: what the person can be told, item by item with
/// its origin, what it was used for, who received it, how long it is kept and what the person can
/// do next. Rendered as JSON and as a printable page; both come from this one value.
public struct AccessAnswer: Sendable, Codable, Equatable {
    public struct Origin: Sendable, Codable, Equatable {
        /// police, partner, community or social media; the registered source itself (a source or
        /// informant reference) is never given, as naming it would endanger the source.
        public let sourceType: String
        public let recordedBy: String
        public let recordedOn: String
    }

    public struct Item: Sendable, Codable, Equatable {
        /// `matter/ID`, `intelligence/ID` or `flag/ID`: what a withholding names.
        public let ref: AuditResource
        public let kind: String
        public let description: String
        /// Fact or assessment (s.38(2)): an assessment is an opinion, and is labelled so.
        public let basis: String
        public let category: String?
        public let grade: String?
        public let origin: Origin
    }

    public struct Recipient: Sendable, Codable, Equatable {
        public let at: Timestamp
        public let recipient: String
        public let agreement: String
        public let fields: [String]
        /// How the disclosure went: approved and sent, a package fetched, a portal read.
        public let action: String
        public let receipt: Receipt
    }

    /// Proof that the disclosure is in Custodian's audit log and names the person, checkable without
    /// trusting Custodian and showing no one else: the entry's leaf (everyone else in it, the staff
    /// member and their reasons only as salted digests), which of its subject digests is the
    /// person's with that digest's salt, the RFC 6962 inclusion proof and the signed checkpoint.
    /// An entry logged before entries were committed is given by its leaf hash alone: its bytes
    /// would show everyone it names.
    public struct Receipt: Sendable, Codable, Equatable {
        public let leafIndex: Int64
        public let leafHash: String
        public let canonicalEntry: String?
        public let subjectId: SubjectID
        public let subjectPosition: Int?
        public let subjectSalt: String?
        public let treeSize: Int64
        public let proof: [String]
        public let checkpoint: String
    }

    /// A harm score the register derived about the person: an assessment, not a fact, with every
    /// input and what it weighed, and the rulebook it was made under.
    public struct Assessment: Sendable, Codable, Equatable {
        public let assessedOn: String
        public let score: Double
        public let band: String
        public let rulebookVersion: Int
        public let lines: [String]
        public let marker: String
    }

    /// A decision on the person's inclusion or a review of it, with its reason: who decided is
    /// staff's, not the person's, data, and is left out.
    public struct Decision: Sendable, Codable, Equatable {
        public let on: String
        public let what: String
        public let reason: String
    }

    public struct Person: Sendable, Codable, Equatable {
        public let subjectID: SubjectID
        public let borough: String
        public let names: [String]
        public let aliases: [String]
        public let nickname: String?
        /// Officer-defined and self-defined ethnicity as recorded, each named for what it is.
        public let ethnicity: [String]
        public let dateOfBirth: String?
        public let addresses: [String]
        public let pncID: String?
        public let sex: String
        public let categories: [String]
        public let items: [Item]
        public let recipients: [Recipient]
        public let retention: String
        public let registerStatus: String
        /// Every harm score kept, newest first.
        public let assessments: [Assessment]
        /// Every inclusion decision and review, oldest first.
        public let decisions: [Decision]
        /// Other boroughs' records decided to be of the same person, each answered in its own right.
        public let alsoHeldBy: [String]
        /// Supplementary statements recorded where the person contests an item's accuracy.
        public let statements: [String]
    }

    /// Said beside the person's place on the register: a judgement, which they can contest.
    public static let inclusionMarker =
        "an assessment made on intelligence, not a finding of fact; you can ask for it to be reviewed or corrected"
    public static let assessmentMarker =
        "An assessment, not a fact: an advisory score the register's published method derived from the records above. It decides nothing by itself; a person reviews it."

    public let requestID: RightsRequestID
    /// Who the answer is addressed to, where the request recorded them.
    public let requester: Requester?
    public let compiledAt: Timestamp
    /// Whether personal data is held (s.45(1)(a)), or that the register neither confirms nor denies it.
    public let confirmation: String
    public let people: [Person]
    public let purposes: [String]
    public let legalBasis: String
    /// What the law lets the answer say about withheld items: how many, and on which grounds
    /// (s.45(5)); nothing at all where even that would undermine the restriction.
    public let withheld: [String]
    public let rights: [String]
    public let verifying: String

    public static let held = "Custodian holds personal data about you. It is set out below, with where it came from and who received it."
    public static let nothingHeld = "Custodian holds no personal data about you."
    public static let neitherConfirmNorDeny = """
        Custodian neither confirms nor denies that it holds personal data about you. We give this answer where saying whether we \
        hold data would itself prejudice the prevention or detection of crime or another purpose the law protects (Data Protection \
        Act 2018, s.45(4) and (6)), and we record the reasons. You can ask the Information Commissioner to check that this \
        restriction is lawful.
        """

    public static let purposes = [
        "Preventing serious violence in London and safeguarding people at risk of it",
        "Investigating and detecting offences",
        "Reviewing and keeping the register accurate",
    ]
    public static let legalBasis =
        "Law enforcement processing under Part 3 of the Data Protection Act 2018 (s.31 purposes; s.35 with Schedule 8 for sensitive processing), by the Metropolitan Police Service as controller."
    public static let rights = [
        "To have inaccurate personal data corrected and incomplete data completed (s.46).",
        "To have personal data erased, or its use restricted, where processing breaks the principles (s.47).",
        "To complain to the Information Commissioner: ico.org.uk/make-a-complaint, 0303 123 1113.",
        "Where a right is restricted, to ask the Information Commissioner to check the restriction was lawful (s.51) and to apply to a court (s.167).",
    ]
    public static let verifying = """
        Each receipt shows that a disclosure of your data is recorded in Custodian's append-only audit log, and names you, without \
        showing anyone else it names or the staff involved: those appear in the entry only as salted digests. To check one without \
        trusting Custodian: find the subject digest at subjectPosition in canonicalEntry (its layout is version 3 of Custodian's \
        canonical entry) and check it equals SHA-256(0x02 || subjectSalt || the 16 bytes of subjectId); compute \
        SHA-256(0x00 || canonicalEntry) (the entry's leaf hash, RFC 6962 section 2.1) and check it equals leafHash; combine it with \
        the hashes in proof, as RFC 6962 section 2.1.1 describes, for leafIndex in a tree of treeSize; the result must equal the root \
        hash in checkpoint (its third line, base64); and the checkpoint's signature line must verify with Custodian's Ed25519 key, \
        published without sign-in at /.well-known/custodian/keys (C2SP signed-note format). A receipt without canonicalEntry is for \
        an entry logged before entries were written this way: it proves an entry is in the log, but not that it names you.
        """
}

extension AccessAnswer.Origin {
    init(_ p: Provenance) {
        sourceType = p.sourceType.rawValue
        recordedBy = p.originatingUnit.name
        recordedOn = p.recordedAt.day.description
    }
}
