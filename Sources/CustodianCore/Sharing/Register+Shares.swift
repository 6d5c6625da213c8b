import Crypto
import Foundation

/// A disclosure as a partner recipient sees it in the portal.
public struct SharedWithPartner: Sendable {
    public let header: DisclosureHeader
    public let agreementTitle: String
    public let records: [DisclosedRecord]
}

extension Register {
    /// An officer asks to share named people of their borough with one partner under one
    /// agreement. Every person is checked and reported in or out with the reasons; nothing leaves
    /// until a SPOC who is not the requester approves.
    public func requestShare(_ draft: ShareDraft, by actor: User, for purpose: StatedPurpose) async throws -> ShareRequest {
        var v = Validator()
        let agreementIDInput = AgreementID(draft.agreementID)
        let partnerIDInput = PartnerID(draft.partnerID)
        v.check(agreementIDInput != nil, "agreementId", "id.format", "agreementId must be a UUID")
        v.check(partnerIDInput != nil, "partnerId", "id.format", "partnerId must be a UUID")
        v.check(!draft.subjectIDs.isEmpty, "subjectIds", "share.subjects", "name the people to share")
        let subjects: [SubjectID] = v.ids(draft.subjectIDs, "subjectIds")
        let acknowledged: [IntelligenceID] = v.ids(draft.acknowledgedConditions, "acknowledgedConditions")
        let rationale = v.text(draft.safeguardingRationale, "safeguardingRationale", max: 2000, required: false)
        let (agreementID, partnerID) = try v.finish(agreementIDInput, partnerIDInput)
        let id: ShareRequestID = ids.next()
        return try await perform(actor, purpose, action: .shareRequest) { tx, gate in
            let (agreement, _) = try await agreementAndPartner(agreementID, partnerID, tx)
            let rulebook = try await rulebook(tx)
            let named = try await loadSubjects(subjects, tx)
            for sealed in named {
                try gate.scope(sealed.unit, named: .subject(sealed.id))
            }
            let people = try await withKeys(named)
            var outcomes: [ShareRequest.Outcome] = []
            var children = 0
            for ((sealed, key), candidate) in zip(people, try await candidates(people, tx)) {
                if try childRoute(sealed, key: key, rulebook: rulebook, gate) != .adult { children += 1 }
                outcomes.append(
                    .init(
                        subjectID: sealed.id,
                        reasons: ShareEligibility.reasons(
                            candidate, under: agreement, on: gate.now.day, rulebook: rulebook,
                            acknowledged: Set(acknowledged)),
                        harmShown: candidate.harmShown))
            }
            if children > 0, (rationale?.count ?? 0) < 20 {
                throw RegisterError.invalid([
                    FieldViolation(
                        field: "safeguardingRationale", rule: "share.child-rationale",
                        message:
                            "\(children) person(s) named are under 18 or of unknown age: say why sharing protects them, in at least 20 characters"
                    )
                ])
            }
            let anyone = outcomes.contains(where: \.included)
            let request = ShareRequest(
                id: id, agreementID: agreementID, partnerID: partnerID, unit: try actor.unit.recordingBorough(),
                purpose: "\(purpose.purpose.label): \(purpose.justification)", requestedBy: actor.id, requestedAt: gate.now,
                acknowledgedConditions: acknowledged, safeguardingRationale: rationale, outcomes: outcomes,
                status: anyone ? .pending : .rejected,
                decisionReason: anyone ? nil : "no one in the request may be shared under this agreement")
            try await tx.upsertShareRequest(request)
            // Each acknowledgement of an item's handling conditions is on the record, item by item.
            try await tx.appendAudit([
                gate.entry(
                    .alteration, subjects: subjects,
                    touched: [AuditResource(.shareRequest, id)] + acknowledged.map { .intelligence($0, part: "conditions-acknowledged") })
            ])
            return request
        }
    }

    /// A SPOC of the borough, never the requester, decides person by person, with each person's
    /// harm assessment in front of them; a request naming a child (or someone of unknown age) then
    /// needs central governance as well. The final approval re-checks every person, builds the
    /// disclosure from the agreement's fields only, seals each record under its subject's key, and
    /// logs the disclosure naming the recipient organisation and users.
    public func decideShare(
        _ id: ShareRequestID, approve: Bool, reason: String, excluding: [String] = [], by actor: User,
        for purpose: StatedPurpose
    ) async throws -> ShareRequest {
        var v = Validator()
        let reasonInput = v.decisionReason(reason)
        let excluded: Set<SubjectID> = Set(v.ids(excluding, "excludedSubjectIds"))
        let reason = try v.finish(reasonInput)
        let disclosureID: DisclosureID = ids.next()
        return try await perform(actor, purpose, action: .shareDecide) { tx, gate in
            guard var request = try await tx.shareRequest(id) else {
                throw RegisterError.notFound(kind: "share request", id: id.description)
            }
            let touched: [AuditResource] = [AuditResource(.shareRequest, id)]
            try gate.scope(request.unit, named: .shareRequest(id))
            let step: InclusionDecision.Step
            switch request.status {
            case .pending: step = .borough
            case .awaitingCentral: step = .central
            case .approved, .rejected: throw RegisterError.conflict("this request is already \(request.status.rawValue)")
            }
            try gate.step(step, unit: request.unit, rules: ("share.spoc", "share.central"), what: "a share", touched: touched)
            try gate.separate(TwoPersonCheck(.share, proposer: request.requestedBy), touched: touched)
            let (agreement, partner) = try await agreementAndPartner(request.agreementID, request.partnerID, tx)
            let rulebook = try await rulebook(tx)
            let acknowledged = Set(request.acknowledgedConditions)
            var outcomes: [ShareRequest.Outcome] = []
            var decisions: [ShareRequest.PersonDecision] = []
            var going: [(sealed: SealedSubject, candidate: ShareCandidate, key: SymmetricKey)] = []
            var needsCentral = false
            // Everyone still in is checked again, read for all of them at once.
            let stillIn = { (outcome: ShareRequest.Outcome) in
                outcome.included && (request.decisions ?? []).allSatisfy { $0.subjectID != outcome.subjectID || $0.approved }
            }
            let people = try await withKeys(try await loadSubjects(request.outcomes.filter(stillIn).map(\.subjectID), tx))
            var checked = zip(people, try await candidates(people, tx)).makeIterator()
            for outcome in request.outcomes {
                guard stillIn(outcome), let ((sealed, key), candidate) = checked.next() else {
                    outcomes.append(outcome)
                    continue
                }
                let reasons = ShareEligibility.reasons(
                    candidate, under: agreement, on: gate.now.day, rulebook: rulebook, acknowledged: acknowledged)
                outcomes.append(.init(subjectID: outcome.subjectID, reasons: reasons, harmShown: candidate.harmShown))
                guard reasons.isEmpty else { continue }
                let yes = approve && !excluded.contains(sealed.id)
                decisions.append(.init(subjectID: sealed.id, approved: yes, harmShown: candidate.harmShown))
                guard yes else { continue }
                going.append((sealed, candidate, key))
                if try childRoute(sealed, key: key, rulebook: rulebook, gate) != .adult { needsCentral = true }
            }
            request.outcomes = outcomes
            request.decisions = (request.decisions ?? []).filter { d in !decisions.contains { $0.subjectID == d.subjectID } } + decisions
            request.decidedBy = actor.id
            request.decisionReason = reason
            if going.isEmpty {
                request.status = .rejected
                if approve { request.decisionReason = "on approval no one in the request could still be shared: \(reason)" }
                try await tx.upsertShareRequest(request)
                try await tx.appendAudit([gate.entry(.alteration, touched: touched)])
                return request
            }
            if needsCentral, request.status == .pending {
                guard (request.safeguardingRationale?.count ?? 0) >= 20 else {
                    throw RegisterError.invalid([
                        FieldViolation(
                            field: "safeguardingRationale", rule: "share.child-rationale",
                            message:
                                "a share naming a child (or someone of unknown age) needs a safeguarding rationale of at least 20 characters on the request"
                        )
                    ])
                }
                request.status = .awaitingCentral
                try await tx.upsertShareRequest(request)
                try await tx.appendAudit([gate.entry(.alteration, subjects: going.map(\.sealed.id), touched: touched)])
                return request
            }
            let watermark = keyring.watermark(disclosure: disclosureID, partner: partner.id)
            var outgoing: [Outgoing] = []
            var keys: [SubjectID: SymmetricKey] = [:]
            for (sealed, candidate, key) in going {
                let links = try await tx.links(subject: sealed.id)
                let view = try await view(of: sealed, key: key, links: links, on: gate.now, tx)
                outgoing.append(
                    Outgoing(
                        facts: try facts(sealed, key: key, links: links), candidate: candidate, view: view,
                        ref: "R-" + UUID().uuidString.prefix(13).replacingOccurrences(of: "-", with: ""),
                        lastReviewed: try await tx.latestReview(subject: sealed.id)?.at.day ?? view.inclusion?.decisions.last?.at.day))
                keys[sealed.id] = key
            }
            let header = DisclosureHeader(
                id: disclosureID, requestID: id, agreementID: agreement.id, partnerID: partner.id, unit: request.unit,
                purpose: request.purpose, expiresOn: min(agreement.expiresOn, gate.now.day.adding(days: agreement.retentionDays)),
                watermark: watermark, createdAt: gate.now)
            let sealing = SubjectKeys(keys)
            let disclosure = try Monitor.disclosure(
                header, outgoing, agreement: agreement, rulebook: rulebook, acknowledged: acknowledged,
                centralStep: request.status == .awaitingCentral,
                seal: { record, subject in
                    try keyring.seal(
                        record, key: try sealing.key(for: subject), subject: subject, label: "disclosure:\(disclosureID)")
                }, gate)
            try await tx.insertDisclosure(disclosure)
            let sealedRecords = disclosure.value.records
            try await tx.insertEqualityEvents(
                try Monitor.equality(
                    try going.map { (sealed, _, key) in try equalityEvent(.shared, sealed, key: key, on: gate.now.day, gate) }, gate))
            request.status = .approved
            request.disclosureID = disclosureID
            try await tx.upsertShareRequest(request)
            let recipients = try await recipientNames(partner, tx)
            try await tx.appendAudit([
                gate.entry(
                    .disclosure, subjects: sealedRecords.map(\.subject), touched: touched + [.disclosure(disclosureID)],
                    recipient: recipientLabel(partner, users: recipients))
            ])
            return request
        }
    }

    /// The encrypted package for a disclosure's recipient: fetched by the recipient organisation's
    /// own users, or by staff of the borough that made the share to hand on. Every record is
    /// checked again today (recall, restriction, review, suspension, agreement); what fails stays
    /// behind and the entry says why. Building one is logged as a disclosure.
    public func package(_ id: DisclosureID, by actor: User, for purpose: StatedPurpose) async throws -> SharePackage.Built {
        try await perform(actor, purpose, action: .sharePackage) { tx, gate in
            let touched: [AuditResource] = [.disclosure(id, part: "package")]
            let header = try await receivable(id, tx, gate, touched: touched)
            let sending = try await transmission(of: header, tx, gate)
            guard sending.agreement.standing(on: gate.now.day) == .active, gate.now.day <= header.expiresOn else {
                throw Refusal(denial: .agreementInactive, subjects: [], touched: touched)
            }
            guard !sending.records.isEmpty else {
                throw Refusal(
                    denial: .withdrawn(sending.withheldSummary), subjects: sending.withheld.map(\.subject), touched: touched)
            }
            let recipients = try await recipientNames(sending.partner, tx)
            let disclosure = Disclosure(
                id: id, agreementID: header.agreementID, partnerID: header.partnerID, purpose: header.purpose, records: sending.records,
                expiresOn: header.expiresOn, watermark: header.watermark, createdAt: header.createdAt)
            let built = try SharePackage.build(
                disclosure, agreement: sending.agreement, partner: sending.partner, recipientUsers: recipients,
                signedBy: ledger.verifier, sign: ledger.signature(for:))
            try await tx.appendAudit([
                gate.entry(
                    .disclosure, subjects: sending.subjects, touched: touched,
                    recipient: recipientLabel(sending.partner, users: recipients), outcome: sending.outcome)
            ])
            return built
        }
    }

    /// Who may take a disclosure's package: a recipient of the partner it was made to, or staff of
    /// the borough that made it, and only for the partner its share request named.
    private func receivable(_ id: DisclosureID, _ tx: any RegisterTransaction, _ gate: Gate, touched: [AuditResource]) async throws
        -> DisclosureHeader
    {
        guard let header = try await tx.disclosure(id) else { throw RegisterError.notFound(kind: "disclosure", id: id.description) }
        if !gate.actor.role.isBoroughRole {
            let partner = try await partnerOf(gate.actor, tx, gate)
            guard partner.id == header.partnerID else {
                throw Refusal(denial: .madeToAnotherOrganisation, subjects: [], touched: touched)
            }
            return header
        }
        try gate.scope(header.unit, named: .disclosure(id))
        guard let request = try await tx.shareRequest(header.requestID), request.partnerID == header.partnerID, request.unit == header.unit
        else {
            throw Refusal(denial: .packageToNamedPartnerOnly, subjects: [], touched: touched)
        }
        return header
    }

    /// What of a disclosure may go out today, record by record. Frozen records never go out
    /// unchecked: each is withdrawn by any recall that names it (before and after the recipient
    /// acknowledges it), and its person is checked again against the agreement as they stand now.
    struct Transmission {
        let agreement: SharingAgreement
        let partner: Partner
        let records: [DisclosedRecord]
        let subjects: [SubjectID]
        let withheld: [(subject: SubjectID, reasons: [AccessDenial])]

        var withheldSummary: String {
            let rules = withheld.flatMap { $0.reasons.map(\.rule) }
            return Dictionary(grouping: rules, by: { $0 }).map { "\($0.key) x\($0.value.count)" }.sorted().joined(separator: ", ")
        }

        /// For the audit entry: what was held back and by which rule; nil when everything went.
        var outcome: String? { withheld.isEmpty ? nil : "withheld \(withheld.count) record(s): \(withheldSummary)" }
    }

    func transmission(of header: DisclosureHeader, _ tx: any RegisterTransaction, _ gate: Gate) async throws -> Transmission {
        let (agreement, partner) = try await agreementAndPartner(header.agreementID, header.partnerID, tx)
        let recalls = try await tx.recalls(partner: header.partnerID).filter { $0.disclosureID == header.id }
        let rulebook = try await rulebook(tx)
        let today = gate.now.day
        var records: [DisclosedRecord] = []
        var subjects: [SubjectID] = []
        var withheld: [(subject: SubjectID, reasons: [AccessDenial])] = []
        let rows = try await tx.disclosedRecords(header.id)
        let recalled = { (row: (ref: String, subject: SubjectID, sealed: Data)) in recalls.contains { $0.withdraws(row.ref) } }
        // A person erased since: their key is gone, and with it the record.
        let sealed = try await tx.subjects(rows.filter { !recalled($0) }.map(\.subject))
        let keys = try await subjectKeys(sealed.map(\.id))
        let people = sealed.compactMap { subject in keys[subject.id].map { (sealed: subject, key: $0) } }
        let standing = Dictionary(
            zip(people.map(\.sealed.id), try await candidates(people, tx)), uniquingKeysWith: { first, _ in first })
        for row in rows {
            if recalled(row) {
                withheld.append((row.subject, [.recalled]))
                continue
            }
            guard let key = keys[row.subject], let candidate = standing[row.subject] else { continue }
            var reasons = ShareEligibility.standing(candidate, under: agreement, on: today, rulebook: rulebook)
            if today > header.expiresOn {
                reasons.append(.disclosureExpired(header.expiresOn))
            }
            guard reasons.isEmpty else {
                withheld.append((row.subject, reasons))
                continue
            }
            records.append(
                try keyring.open(DisclosedRecord.self, from: row.sealed, key: key, subject: row.subject, label: "disclosure:\(header.id)"))
            subjects.append(row.subject)
        }
        return Transmission(agreement: agreement, partner: partner, records: records, subjects: subjects, withheld: withheld)
    }

    /// The borough's share requests, newest first, for its officers and SPOCs.
    public func shareRequests(by actor: User, for purpose: StatedPurpose) async throws -> [ShareRequest] {
        try await shareRequests(by: actor, for: purpose, named: false).requests
    }

    /// The same list, with each person's name as the decider should see it: a SPOC approving a
    /// share decides on people, not ids. A person restricted since the request is not named.
    public func namedShareRequests(by actor: User, for purpose: StatedPurpose) async throws -> ShareRequestList {
        try await shareRequests(by: actor, for: purpose, named: true)
    }

    private func shareRequests(by actor: User, for purpose: StatedPurpose, named: Bool) async throws -> ShareRequestList {
        try await perform(actor, purpose, action: .shareList, .consultation) { tx, gate in
            let found = try await tx.shareRequests(unit: try actor.unit.recordingBorough()).sorted { $0.requestedAt > $1.requestedAt }
            let people = Array(Set(found.flatMap { $0.outcomes.map(\.subjectID) })).sorted { $0.description < $1.description }
            var names: [SubjectID: String] = [:]
            for id in named ? people : [] {
                guard let sealed = try await tx.subject(id), !sealed.restricted else { continue }
                names[id] = try openPersonal(sealed, key: try await subjectKey(id, tx)).displayName
            }
            try await tx.appendAudit([gate.entry(.consultation, subjects: people, touched: [.whole(.shareRequests)])])
            return ShareRequestList(requests: found, names: names)
        }
    }

    // MARK: The partner portal

    /// What has been shared with the recipient's organisation, under agreements in force and
    /// disclosures not expired, each record checked again today. A recipient reads with a stated
    /// purpose and justification like anyone else, and each look is logged with them.
    public func sharedWithMe(by actor: User, for purpose: StatedPurpose) async throws -> [SharedWithPartner] {
        try await perform(actor, purpose, action: .portalList, .consultation) { tx, gate in
            let partner = try await partnerOf(actor, tx, gate)
            var out: [SharedWithPartner] = []
            var subjects: [SubjectID] = []
            var outcomes: [String] = []
            for header in try await tx.disclosures(partner: partner.id) {
                let sending = try await transmission(of: header, tx, gate)
                guard sending.agreement.standing(on: gate.now.day) == .active, gate.now.day <= header.expiresOn else { continue }
                subjects += sending.subjects
                if let outcome = sending.outcome { outcomes.append("disclosure \(header.id): \(outcome)") }
                guard !sending.records.isEmpty else { continue }
                out.append(SharedWithPartner(header: header, agreementTitle: sending.agreement.title, records: sending.records))
            }
            try await tx.appendAudit([
                gate.entry(
                    .consultation, subjects: subjects, touched: [.whole(.portal)], recipient: recipientLabel(partner),
                    outcome: outcomes.isEmpty ? nil : outcomes.joined(separator: "; "))
            ])
            return out
        }
    }

    // MARK: Recall

    public func recalls(by actor: User) async throws -> [Recall] {
        try await perform(actor, nil, action: .recallList, .consultation) { tx, gate in
            if !AccessPolicy.runs(actor.role, .portalList) {
                try await tx.appendAudit([gate.entry(.consultation, touched: [.whole(.recalls)])])
                return try await tx.recalls(partner: nil)
            }
            let partner = try await partnerOf(actor, tx, gate)
            let found = try await tx.recalls(partner: partner.id)
            try await tx.appendAudit([gate.entry(.consultation, touched: [.whole(.recalls)], recipient: recipientLabel(partner))])
            return found
        }
    }

    /// A recipient acknowledges a recall, then confirms the records are deleted.
    public func answerRecall(_ id: RecallID, confirmDeletion: Bool, by actor: User) async throws -> Recall {
        try await perform(actor, nil, action: confirmDeletion ? .recallConfirmDeletion : .recallAcknowledge) { tx, gate in
            let partner = try await partnerOf(actor, tx, gate)
            guard var recall = try await tx.recalls(partner: partner.id).first(where: { $0.id == id }) else {
                throw RegisterError.notFound(kind: "recall", id: id.description)
            }
            if recall.acknowledgedAt == nil { (recall.acknowledgedAt, recall.acknowledgedBy) = (gate.now, actor.id) }
            if confirmDeletion { (recall.deletionConfirmedAt, recall.confirmedBy) = (gate.now, actor.id) }
            try await tx.upsertRecall(recall)
            try await tx.appendAudit([gate.entry(.alteration, touched: [AuditResource(.recall, id)], recipient: recipientLabel(partner))])
            return recall
        }
    }

    /// Governance recalls a whole disclosure found to have been shared unlawfully.
    public func recallDisclosure(_ id: DisclosureID, by actor: User) async throws -> Recall {
        try await perform(actor, nil, action: .recallRaise) { tx, gate in
            guard let header = try await tx.disclosure(id) else { throw RegisterError.notFound(kind: "disclosure", id: id.description) }
            guard try await !tx.recalls(partner: header.partnerID).contains(where: { $0.disclosureID == id && $0.isWholeDisclosure }) else {
                throw RegisterError.conflict("this disclosure is already recalled")
            }
            let recall = Recall(
                id: ids.next(), disclosureID: id, partnerID: header.partnerID, unit: header.unit, recordRefs: [],
                reason: .unlawful, raisedAt: gate.now)
            try await tx.upsertRecall(recall)
            try await tx.appendAudit([gate.entry(.alteration, touched: [AuditResource(.recall, recall.id)])])
            return recall
        }
    }

    /// A SPOC of the borough recalls a person's shared records after correcting them: every
    /// recipient is told to delete what they hold (a corrected share can then be requested).
    public func recallCorrected(_ subject: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> Int {
        try await perform(actor, purpose, action: .recallCorrection) { tx, gate in
            let sealed = try await loadSubject(subject, tx)
            try gate.scope(sealed.unit, named: .subject(subject))
            let raised = try await recallRecords(of: subject, reason: .correction, tx, gate)
            try await tx.appendAudit([gate.entry(.alteration, subjects: [subject], touched: [.subject(subject, part: "recall")])])
            return raised
        }
    }

    /// Recalls every disclosed record of a subject: called before the subject is erased (or when
    /// their record is corrected), so every recipient is told.
    @discardableResult
    func recallRecords(of subject: SubjectID, reason: Recall.Reason, _ tx: any RegisterTransaction, _ gate: Gate) async throws -> Int {
        let held = try await tx.disclosedRecords(subject: subject)
        var raised = 0
        for (disclosure, refs) in Dictionary(grouping: held, by: \.disclosure) {
            guard let header = try await tx.disclosure(disclosure) else { continue }
            let recall = Recall(
                id: ids.next(), disclosureID: disclosure, partnerID: header.partnerID, unit: header.unit,
                recordRefs: refs.map(\.ref).sorted(), reason: reason, raisedAt: gate.now)
            try await tx.upsertRecall(recall)
            raised += 1
        }
        return raised
    }

    // MARK: Helpers

    private func agreementAndPartner(_ agreementID: AgreementID, _ partnerID: PartnerID, _ tx: any RegisterTransaction) async throws -> (
        SharingAgreement, Partner
    ) {
        guard let agreement = try await tx.agreement(agreementID) else {
            throw RegisterError.notFound(kind: "agreement", id: agreementID.description)
        }
        guard agreement.partners.contains(partnerID), let partner = try await tx.partner(partnerID) else {
            throw RegisterError.invalid([
                FieldViolation(field: "partnerId", rule: "share.partner", message: "the partner is not a party to this agreement")
            ])
        }
        return (agreement, partner)
    }

    /// How an audit entry names a recipient: organisation, its id, and the users who receive.
    private func recipientLabel(_ partner: Partner, users: [String] = []) -> String {
        "\(partner.name) [\(partner.id)]" + (users.isEmpty ? "" : ": " + users.joined(separator: ", "))
    }

    private func partnerOf(_ actor: User, _ tx: any RegisterTransaction, _ gate: Gate) async throws -> Partner {
        guard let partner = try await tx.partner(recipient: actor.id), partner.recipients.contains(actor.id) else {
            throw Refusal(denial: .notARecipient, subjects: [], touched: [.whole(.portal)])
        }
        return partner
    }

    private func recipientNames(_ partner: Partner, _ tx: any RegisterTransaction) async throws -> [String] {
        var names: [String] = []
        for id in partner.recipients { if let user = try await tx.user(id) { names.append(user.username) } }
        return names
    }

    /// What the sharing rules need of a person; the caller has their key already (one unwrap each).
    /// Each person's standing for a share, in the order given: their inclusion, latest harm
    /// assessment, items' grades and categories, read for all of them with one query a kind.
    private func candidates(_ people: [(sealed: SealedSubject, key: SymmetricKey)], _ tx: any RegisterTransaction) async throws
        -> [ShareCandidate]
    {
        let ids = people.map(\.sealed.id)
        let inclusions = Dictionary(grouping: try await tx.inclusions(subjects: ids), by: \.subjectID)
        let harms = try await tx.latestHarmAssessments(subjects: ids)
        let items = Dictionary(grouping: try await tx.intelligence(subjects: ids), by: \.subjectID)
        let links = Dictionary(grouping: try await tx.links(subjects: ids), by: \.subjectID)
        let reports = try await tx.matters(Array(Set(links.values.joined().map(\.matterID)))).reduce(into: [MatterID: IntelligenceGrade]())
        {
            if let grade = $1.grade { $0[$1.id] = grade }
        }
        return try people.map { sealed, key in
            let harm = try harms[sealed.id].map { try openHarm($0, key: key) }
            return ShareCandidate(
                subjectID: sealed.id, categories: Set((links[sealed.id] ?? []).map(\.category)),
                inclusion: try currentInclusion(among: inclusions[sealed.id] ?? [], key: key), band: harm?.band, score: harm?.score,
                restricted: sealed.restricted, intelligence: (items[sealed.id] ?? []).map { (id: $0.id, grade: $0.grade) },
                reports: (links[sealed.id] ?? []).compactMap { link in reports[link.matterID].map { (id: link.matterID, grade: $0) } })
        }
    }
}

/// A borough's share requests, newest first, with the names of the people in them.
public struct ShareRequestList: Sendable {
    public let requests: [ShareRequest]
    public let names: [SubjectID: String]
}
