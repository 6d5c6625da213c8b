import Foundation

/// The s.61 record of processing, generated from the register's live configuration every time it
/// is asked for, never typed by hand: the purposes the access policy accepts, the categories of
/// people and of data (the data dictionary), the recipients (partner kinds under agreements in
/// force), retention (the rulebook in force), profiling (the harm method and its version), the
/// logging in place and the DPIA.
public struct RecordOfProcessing: Sendable, Codable, Equatable {
    public struct Recipient: Sendable, Codable, Equatable {
        public let partnerKind: String
        public let agreement: String
        public let legalPower: String
        public let fields: [String]
        public let until: LocalDate
    }

    public struct Profiling: Sendable, Codable, Equatable {
        public let method: String
        public let rulebookVersion: Int
        public let offenceWeights: [String: Double]
        public let bands: String
        public let humanDecision: String
    }

    public let generatedAt: Timestamp
    /// s.61(2)(a), (c).
    public let controller: String
    public let dataProtectionOfficer: String
    /// s.61(2)(d).
    public let purposes: [String]
    /// s.61(2)(i).
    public let legalBasis: [String]
    /// s.61(2)(f): people, by their s.38(3) category.
    public let subjectCategories: [String]
    /// s.61(2)(f): the data dictionary.
    public let dataCategories: [DataDictionary.Entry]
    /// s.61(2)(e): recipients, from the agreements in force today.
    public let recipients: [Recipient]
    /// s.61(2)(h).
    public let transfers: String
    /// s.61(2)(j): from the rulebook in force.
    public let retention: [String]
    /// s.61(2)(g).
    public let profiling: Profiling
    /// s.61(2)(k): the s.66 measures.
    public let security: [String]
    /// s.62: the operations logged.
    public let logging: [String]
    /// s.64: the DPIA in force, or that there is none (and so no processing).
    public let dpia: String
    /// s.42(4): the appropriate policy document for sensitive processing, or that there is none.
    public let sensitiveProcessing: String
    /// The bodies that cosign the s.62 log's checkpoints, as the running server is configured:
    /// each receives checkpoints (a size and a hash), never an entry. Nil where not known.
    public var logWitnesses: [String]? = nil

    public static let controller = "Metropolitan Police Service (controller), New Scotland Yard, Victoria Embankment, London SW1A 2JL"
    public static let dataProtectionOfficer =
        "Data Protection Officer, Metropolitan Police Service (through the register's governance team)"
    public static let transfers = "None: no transfer to a third country or an international organisation."
    public static let security = [
        "Each person's record sealed with their own key (AES-256-GCM), the keys wrapped by a master key and held apart from the data; erasure destroys the key first.",
        "Role- and borough-scoped access denying by default, a stated purpose for every working period, training in date, four-eyes for inclusions, removals, shares, the rulebook, agreements, grants and the DPIA.",
        "Disclosures only under approved agreements with field allow-lists, as age-encrypted packages or a watermarked portal, recallable at once.",
        "A tamper-evident append-only audit log (RFC 6962 Merkle tree, Ed25519-signed checkpoints) that anyone can verify.",
        "Every page and extract watermarked with the viewer and the time; sessions HttpOnly and SameSite=Strict with CSRF tokens.",
    ]
}

extension Register {
    /// Generated now, from the live configuration; governance and auditors read it. The generation
    /// is logged.
    public func recordOfProcessing(by actor: User, for purpose: StatedPurpose) async throws -> RecordOfProcessing {
        try await perform(actor, purpose, action: .recordOfProcessingRead, .consultation) { tx, gate in
            let touched: [AuditResource] = [.whole(.recordOfProcessing)]
            let today = gate.now.day
            let rulebook = try await rulebook(tx)
            let partners = Dictionary(try await tx.partners().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var recipients: [RecordOfProcessing.Recipient] = []
            for agreement in try await tx.agreements() where agreement.standing(on: today) == .active {
                for kind in Set(agreement.partners.compactMap { partners[$0]?.kind.rawValue }).sorted() {
                    recipients.append(
                        .init(
                            partnerKind: kind, agreement: agreement.title, legalPower: agreement.legalPower,
                            fields: agreement.fields.map { DataDictionary.field(for: $0) }.sorted(), until: agreement.expiresOn))
                }
            }
            let inForce = try await tx.approvedDPIAs().first { $0.isInForce(on: today) }
            let policy = try await tx.approvedPolicyDocuments().first(where: \.isInForce)
            let r = rulebook.retention
            try await tx.appendAudit([gate.entry(.consultation, touched: touched)])
            return RecordOfProcessing(
                generatedAt: gate.now, controller: RecordOfProcessing.controller,
                dataProtectionOfficer: RecordOfProcessing.dataProtectionOfficer,
                purposes: Purpose.allCases.filter { $0 != .audit }.map(\.label),
                legalBasis: [
                    "Law enforcement purposes (DPA 2018 s.31), processing necessary for a task carried out for them by a competent authority (s.35(2)(b)).",
                    "Sensitive processing of ethnicity: strictly necessary, Schedule 8 para 1 (statutory purposes) and the equality monitoring duty, under an appropriate policy document (s.35(5), s.42).",
                ],
                subjectCategories: Category.allCases.map(\.label),
                dataCategories: DataDictionary.entries,
                recipients: recipients.sorted { ($0.partnerKind, $0.agreement) < ($1.partnerKind, $1.agreement) },
                transfers: RecordOfProcessing.transfers,
                retention: [
                    "Included people: reviewed every \(rulebook.review.cadenceDays) days (suspended \(rulebook.review.graceDays) days after a missed review); proposed for removal after \(rulebook.review.zeroScoreRemovalDays) days with no assessed harm.",
                    "Held only as a victim or witness: reviewed \(r.victimOrWitnessDays) days after the last activity.",
                    "A rejected proposal: reviewed \(r.rejectedProposalDays) days after the last activity.",
                    "Recorded and never proposed: reviewed \(r.neverProposedDays) days after the last activity.",
                    r.matterRecordsKeptApart
                        ? "Matters outlive the erasure of the people linked to them, kept under the force's MoPI schedule."
                        : "A matter no one is linked to any more is erased with the last person.",
                    "The audit log is kept whole: it proves what was done, and holds no register content beyond record ids.",
                ],
                profiling: .init(
                    method:
                        "Harm score: each offence the person is linked to as suspect or convicted, weighted by severity, halving every \(rulebook.harm.halfLifeDays) days and counted for \(rulebook.harm.lookbackDays) days, plus \(rulebook.harm.weaponIntelligenceWeight) for each weapon-access item graded B2 or better within \(rulebook.harm.weaponIntelligenceWindowDays) days.",
                    rulebookVersion: rulebook.version,
                    offenceWeights: Dictionary(
                        rulebook.harm.offenceWeights.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { first, _ in first }),
                    bands: "amber from \(rulebook.harm.amberFrom), red from \(rulebook.harm.redFrom)",
                    humanDecision:
                        "No decision is taken by the score alone: inclusion needs two people, and the score's working is shown to them."),
                security: RecordOfProcessing.security,
                logging: AuditEntry.Operation.allCases.map(\.rawValue),
                dpia: inForce.map { "Version \($0.version), approved \($0.approvedAt?.day.description ?? "-"), review by \($0.reviewOn)" }
                    ?? "None in force: collection, inclusion and sharing are refused.",
                sensitiveProcessing: policy.map {
                    "Ethnicity (racial or ethnic origin), under the appropriate policy document version \($0.version), approved \($0.approvedAt?.day.description ?? "-"): \($0.conditions) Equality monitoring (Equality Act 2010 s.149) counts each stage a person reaches with their groups but no identifier, and publishes only suppressed aggregates."
                } ?? "None: no appropriate policy document is approved, so ethnicity is neither recorded nor read.")
        }
    }
}
