import Crypto
import Foundation

extension Register {
    /// The s.45 answer for an open access request whose people a person has confirmed: everything
    /// held about each of them (decrypted), item by item with its origin, category, basis and grade;
    /// every disclosure that carried them with a receipt an outside RFC 6962 verifier accepts; what
    /// is withheld and on which grounds; retention and rights. Compiling it is a logged consultation.
    public func accessAnswer(_ id: RightsRequestID, by actor: User, for purpose: StatedPurpose) async throws -> AccessAnswer {
        let (request, drafts) = try await perform(actor, purpose, action: .rightsAnswer, .consultation) { tx, gate in
            guard let request = try await tx.rightsRequest(id) else {
                throw RegisterError.notFound(kind: "rights request", id: id.description)
            }
            guard request.kind == .access, request.status == .open, !request.subjects.isEmpty || request.neitherConfirmNorDeny else {
                throw RegisterError.conflict("an answer is compiled for an open access request whose people have been confirmed")
            }
            let rulebook = try await rulebook(tx)
            let withheld = Set(request.restrictions.compactMap { AuditResource(logged: $0.item) })
            var drafts: [PersonDraft] = []
            // Neither confirm nor deny: nothing about anyone is read, so nothing can leak into it.
            for subject in request.neitherConfirmNorDeny ? [] : request.subjects {
                // A person erased since they were confirmed: nothing is held, so nothing is said.
                guard let sealed = try await tx.subject(subject) else { continue }
                let view = try await view(of: sealed, links: try await tx.links(subject: subject), on: gate.now, tx)
                let key = try await subjectKey(subject, tx)
                let statements = try await rectifications(of: subject, key: key, tx)
                    .filter { $0.kind == .statement }.map { "On \($0.ref), recorded \($0.at.day): \($0.after ?? "")" }
                drafts.append(
                    PersonDraft(
                        view: view, items: Self.items(of: view).filter { !withheld.contains($0.ref) },
                        disclosures: try await disclosures(of: subject, tx), retention: Self.retention(of: view, under: rulebook),
                        statements: statements,
                        derived: try await derived(of: subject, sealed: sealed, key: key, withheld: withheld, tx, gate)))
            }
            try await tx.appendAudit([
                gate.entry(.consultation, subjects: request.subjects, touched: [AuditResource(.rightsRequest, id, part: "answer")])
            ])
            return (request, drafts)
        }
        // The log's tree is read after the consultation, so its own entry is in the checkpoint and
        // the ledger never waits on a connection the consultation holds.
        let checkpoint: StoredCheckpoint
        if let fresh = try await ledger.publish() {
            checkpoint = fresh
        } else if let latest = try await ledger.latestCheckpoint() {
            checkpoint = latest
        } else {
            throw RegisterError.notFound(kind: "checkpoint", id: "latest")
        }
        var people: [AccessAnswer.Person] = []
        for draft in drafts {
            var recipients: [AccessAnswer.Recipient] = []
            for d in draft.disclosures where d.sequence < checkpoint.checkpoint.size {
                guard let entry = try await ledger.entries(from: d.sequence, count: 1).first else { continue }
                let proof = try await ledger.inclusionProof(index: d.sequence, size: checkpoint.checkpoint.size)
                // Only a committed entry's leaf can be handed over: an open one shows everyone in it.
                let opening = CommittedEntry.opening(entry.stored, for: draft.view.id)
                recipients.append(
                    AccessAnswer.Recipient(
                        at: d.at, recipient: d.recipient, agreement: d.agreement, fields: d.fields, action: d.action,
                        receipt: AccessAnswer.Receipt(
                            leafIndex: d.sequence, leafHash: entry.leafHash.base64EncodedString(),
                            canonicalEntry: opening == nil ? nil : entry.canonical.base64EncodedString(), subjectId: draft.view.id,
                            subjectPosition: opening?.position, subjectSalt: opening?.salt.base64EncodedString(),
                            treeSize: checkpoint.checkpoint.size, proof: proof.map { $0.base64EncodedString() }, checkpoint: checkpoint.note
                        )))
            }
            let v = draft.view
            let p = v.personal
            let derived = draft.derived
            people.append(
                AccessAnswer.Person(
                    subjectID: v.id, borough: v.unit.name, names: p.names.map(\.full), aliases: p.aliases, nickname: p.nickname,
                    ethnicity: derived.ethnicity, dateOfBirth: p.dateOfBirth?.description, addresses: p.addresses, pncID: p.pncID,
                    sex: p.sex.rawValue, categories: v.categories.map(\.category.label), items: draft.items, recipients: recipients,
                    retention: draft.retention,
                    registerStatus: v.inclusion.map {
                        "\($0.status.rawValue.replacingOccurrences(of: "-", with: " ")) on the register: \(AccessAnswer.inclusionMarker)"
                    }
                        ?? "recorded, not included on the register", assessments: derived.assessments, decisions: derived.decisions,
                    alsoHeldBy: derived.alsoHeldBy, statements: draft.statements))
        }
        let grounds = Set(request.restrictions.map(\.ground)).sorted { $0.rawValue < $1.rawValue }
        return AccessAnswer(
            requestID: request.id, requester: try request.requester.map { try keyring.openRequester($0, for: request.id) },
            compiledAt: clock.now(),
            confirmation: request.neitherConfirmNorDeny
                ? AccessAnswer.neitherConfirmNorDeny : people.isEmpty ? AccessAnswer.nothingHeld : AccessAnswer.held,
            people: people, purposes: AccessAnswer.purposes, legalBasis: AccessAnswer.legalBasis,
            // Under neither confirm nor deny even the count of withheld items would answer the question.
            withheld: request.restrictions.isEmpty || request.neitherConfirmNorDeny
                ? [] : ["\(request.restrictions.count) item(s) withheld"] + grounds.map(\.statute),
            rights: AccessAnswer.rights, verifying: AccessAnswer.verifying)
    }

    struct PersonDraft: Sendable {
        let view: SubjectView
        let items: [AccessAnswer.Item]
        let disclosures: [DisclosureLine]
        let retention: String
        let statements: [String]
        let derived: Derived
    }

    /// What the register holds about a person beyond the items: their ethnicity as recorded, what
    /// it derived (scores), what it decided (inclusions, reviews), and where else they are held.
    struct Derived: Sendable {
        let ethnicity: [String]
        let assessments: [AccessAnswer.Assessment]
        let decisions: [AccessAnswer.Decision]
        let alsoHeldBy: [String]
    }

    func derived(
        of subject: SubjectID, sealed: SealedSubject, key: SymmetricKey, withheld: Set<AuditResource>, _ tx: any RegisterTransaction,
        _ gate: Gate
    ) async throws -> Derived {
        var ethnicity: [String] = []
        // Special-category data is opened only while an appropriate policy document is in force (s.42);
        // until then the answer says it is held and not what it is.
        if gate.policyDocumentInForce == true {
            let sensitive = try keyring.open(SensitiveDetails.self, from: sealed.sensitive, key: key, subject: subject, label: "sensitive")
            if let officer = sensitive.officerDefinedEthnicity {
                ethnicity.append(
                    "Officer-defined ethnicity (how an officer saw you): \(officer.code.label), recorded \(officer.recordedAt.day)")
            }
            if let stated = sensitive.selfDefinedEthnicity {
                ethnicity.append(
                    "Self-defined ethnicity (as you stated it): \(stated.code.rawValue.replacingOccurrences(of: "-", with: " ")), recorded \(stated.recordedAt.day)"
                )
            }
        } else if !sealed.sensitive.isEmpty {
            ethnicity.append(
                "Ethnicity may be recorded; it is special-category data and is given once the policy document for it is in force.")
        }
        let assessments =
            withheld.contains(.harm(subject))
            ? []
            : try await tx.harmAssessments(subject: subject).map { try openHarm($0, key: key) }.reversed().map { a in
                AccessAnswer.Assessment(
                    assessedOn: a.assessedOn.description, score: a.score, band: a.band.rawValue, rulebookVersion: a.rulebookVersion,
                    lines: a.lines.map { "\($0.input): \(String(format: "%.0f", $0.points)) points (\($0.working))" },
                    marker: AccessAnswer.assessmentMarker)
            }
        var decisions: [(Timestamp, AccessAnswer.Decision)] = []
        for sealedInclusion in try await tx.inclusions(subject: subject) {
            let inclusion = try openInclusion(sealedInclusion, key: key)
            decisions.append(
                (
                    inclusion.proposedAt,
                    AccessAnswer.Decision(
                        on: inclusion.proposedAt.day.description, what: "Proposed for inclusion", reason: inclusion.rationale)
                ))
            for d in inclusion.decisions {
                let what =
                    "\(d.approved ? "Approved" : "Rejected") by \(d.step == .borough ? "the borough's supervisor" : "central governance")"
                decisions.append((d.at, AccessAnswer.Decision(on: d.at.day.description, what: what, reason: d.reason)))
            }
        }
        for stored in try await tx.reviews(subject: subject) {
            let review = try keyring.open(Review.self, from: stored.sealed, key: key, subject: subject, label: "review")
            decisions.append(
                (
                    review.at,
                    AccessAnswer.Decision(
                        on: review.at.day.description, what: "Reviewed: \(review.outcome.rawValue)", reason: review.rationale)
                ))
        }
        var alsoHeldBy: [String] = []
        for decision in try await tx.duplicateDecisions(subject: subject) where decision.inForce && decision.verdict == .same {
            if let other = decision.pair.other(than: subject), let record = try await tx.subject(other) {
                alsoHeldBy.append(
                    "\(record.unit.name) holds a record decided on \(decision.at.day) to be of you as well; it is answered here too")
            }
        }
        return Derived(
            ethnicity: ethnicity, assessments: assessments, decisions: decisions.sorted { $0.0 < $1.0 }.map(\.1), alsoHeldBy: alsoHeldBy)
    }

    struct DisclosureLine: Sendable {
        let sequence: Int64
        let at: Timestamp
        let recipient: String
        let agreement: String
        let fields: [String]
        let action: String
    }

    static func items(of view: SubjectView) -> [AccessAnswer.Item] {
        let matters = view.matters.map { linked in
            let m = linked.matter
            let what = [
                m.kind.rawValue.replacingOccurrences(of: "-", with: " "), m.offence?.rawValue.replacingOccurrences(of: "-", with: " "),
            ]
            .compactMap { $0 }.joined(separator: ": ")
            return AccessAnswer.Item(
                ref: .matter(m.id), kind: "matter", description: "\(what), \(m.occurredOn), reference \(m.reference)",
                basis: linked.link.basis.rawValue, category: linked.link.category.label, grade: m.grade?.code,
                origin: AccessAnswer.Origin(m.provenance))
        }
        let intelligence = view.intelligence.map { item in
            AccessAnswer.Item(
                ref: .intelligence(item.id), kind: "intelligence", description: item.content.text, basis: item.basis.rawValue,
                category: nil, grade: item.grade.code, origin: AccessAnswer.Origin(item.provenance))
        }
        let flags = view.flags.map { flag in
            AccessAnswer.Item(
                ref: .flag(flag.id), kind: "flag", description: flag.kind.label, basis: flag.basis.rawValue, category: nil,
                grade: nil, origin: AccessAnswer.Origin(flag.provenance))
        }
        return matters + intelligence + flags
    }

    static func retention(of view: SubjectView, under rulebook: Rulebook) -> String {
        guard let inclusion = view.inclusion, inclusion.status == .included else {
            return "Held as a record of the matters above; reviewed with them under the force's records management (MoPI) schedule."
        }
        return "Reviewed every \(rulebook.review.cadenceDays) days"
            + (inclusion.nextReviewDue.map { " (next by \($0))" } ?? "")
            + "; removed when a review finds no continuing need, and proposed for removal after \(rulebook.review.zeroScoreRemovalDays) days with no assessed harm."
    }

    /// Every disclosure on the log that carried the person: the approval that sent it, each
    /// package fetched and each portal read, with the agreement's title and fields.
    func disclosures(of subject: SubjectID, _ tx: any RegisterTransaction) async throws -> [DisclosureLine] {
        let agreements = try await tx.agreements()
        var lines: [DisclosureLine] = []
        var before: Int64?
        while true {
            let page = try await tx.auditEntries(AuditQuery(subject: subject, operation: .disclosure, before: before, limit: 500))
            for recorded in page {
                let e = recorded.entry
                let disclosureID = e.touched.lazy.compactMap(\.disclosure).first
                var agreement = "not recorded"
                var fields: [String] = []
                if let disclosureID, let header = try await tx.disclosure(disclosureID),
                    let terms = agreements.first(where: { $0.id == header.agreementID })
                {
                    agreement = terms.title
                    fields = terms.fields.map(\.rawValue).sorted()
                }
                lines.append(
                    DisclosureLine(
                        sequence: recorded.sequence, at: e.at, recipient: e.recipient ?? "not recorded", agreement: agreement,
                        fields: fields,
                        action: e.action))
            }
            guard page.count == 500, let last = page.last else { break }
            before = last.sequence
        }
        return lines.sorted { $0.sequence < $1.sequence }
    }
}

/// One disclosure of a person, as the rights team reads the person's history.
public struct DisclosureEvent: Sendable, Equatable {
    public let at: Timestamp
    public let recipient: String
    public let agreement: String
    public let fields: [String]
    public let action: String
}

extension Register {
    /// Who received what about one person, and when: every disclosure on the log that carried
    /// them, for the rights team (not only the auditor). Reading it is a logged consultation.
    public func disclosureHistory(of subject: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> [DisclosureEvent] {
        try await perform(actor, purpose, action: .rightsDisclosureHistory, .consultation) { tx, gate in
            let touched: [AuditResource] = [.subject(subject, part: "disclosures")]
            guard try await tx.subject(subject) != nil else { throw RegisterError.notFound(kind: "subject", id: subject.description) }
            let lines = try await disclosures(of: subject, tx)
            try await tx.appendAudit([gate.entry(.consultation, subjects: [subject], touched: touched)])
            return lines.map {
                DisclosureEvent(at: $0.at, recipient: $0.recipient, agreement: $0.agreement, fields: $0.fields, action: $0.action)
            }
        }
    }
}
