import Tracing
import Foundation
import Crypto

/// The register's use cases. Each one checks the access policy, validates, writes and logs in a
/// single transaction; adapters (HTTP, pages, command line) call these and nothing below them.
public struct Register: Sendable {
    /// The storage under the use cases. Every door goes through `perform`; what reaches the store
    /// directly (tests, the demo seeder, benchmarks) says so by importing this SPI.
    @_spi(Storage) public let store: any RegisterStore
    public let ledger: any AuditLedger
    public let keyring: Keyring
    /// Subjects' wrapped keys, kept apart from the data `store` holds.
    public let keys: any SubjectKeyStore
    public let clock: Clock
    public let ids: IdentifierSource

    public init(
        store: any RegisterStore, ledger: any AuditLedger, keyring: Keyring, keys: any SubjectKeyStore,
        clock: Clock = .system, ids: IdentifierSource = .v7
    ) {
        self.store = store
        self.ledger = ledger
        self.keyring = keyring
        self.keys = keys
        self.clock = clock
        self.ids = ids
    }

    /// Whether a use case changes the register or only reads it.
    enum Kind { case write, consultation }

    /// Runs one use case. A write commits its changes with its audit entries; a consultation reads
    /// and its entries are made durable (group commit) before it returns. A policy refusal rolls
    /// back whatever the body did, is then logged on its own (so out-of-scope attempts are visible
    /// to governance), and thrown.
    func perform<R: Sendable>(
        _ actor: User, _ purpose: StatedPurpose?, action: UseCase, _ kind: Kind = .write,
        _ body: @escaping @Sendable (any RegisterTransaction, Gate) async throws -> R
    ) async throws -> R {
        try await UseCaseSpan.run(action, actor) { span in try await performGated(actor, purpose, action: action, kind, span, body) }
    }

    private func performGated<R: Sendable>(
        _ actor: User, _ purpose: StatedPurpose?, action: UseCase, _ kind: Kind, _ span: any Span,
        _ body: @escaping @Sendable (any RegisterTransaction, Gate) async throws -> R
    ) async throws -> R {
        let gate = Gate(actor: actor, purpose: purpose, action: action, now: clock.now())
        // The safeguards the use case's declaration calls for, passed before its body runs in the
        // same transaction, whichever adapter (page, API, command line, import, portal) called it.
        let safeguarded: @Sendable (any RegisterTransaction) async throws -> R = { tx in
            var gate = gate
            if action.declaration.requiresDPIA { try await requireDPIA(tx, gate) }
            if action.declaration.data.contains(.sensitive) {
                gate.policyDocumentInForce = try await tx.approvedPolicyDocuments().contains(where: \.isInForce)
            }
            return try await body(tx, gate)
        }
        do {
            try gate.entitled()
            switch kind {
            case .write: return try await store.transaction(safeguarded)
            case .consultation: return try await store.consultation(safeguarded)
            }
        } catch let refusal as Refusal {
            try await store.log([
                AuditEntry(
                    at: gate.now, operation: .refusal, action: action, actor: actor, purpose: purpose,
                    subjects: refusal.subjects, touched: refusal.touched,
                    outcome: AuditEntry.refusalOutcome([(refusal.denial.rule, refusal.denial.reason)]))
            ])
            // To borough staff, another borough's record answers exactly as an unknown id does: no
            // oracle of what another borough holds. The attempt is on the log all the same.
            if actor.role.isBoroughRole, let named = refusal.named {
                UseCaseSpan.refused(span, refusal.denial.rule)
                throw named.notFound
            }
            throw RegisterError.denied(refusal.denial)
        } catch let shortfall as Shortfall {
            try await store.log([
                AuditEntry(
                    at: gate.now, operation: .refusal, action: action, actor: actor, purpose: purpose,
                    subjects: shortfall.subjects, touched: shortfall.touched,
                    outcome: AuditEntry.refusalOutcome(shortfall.violations.map { (RuleCode(rawValue: $0.rule), $0.message) }))
            ])
            throw RegisterError.invalid(shortfall.violations)
        } catch RegisterError.denied(let denial) {
            // A refusal a use case did not attach a record to is still a refusal: logged all the same.
            try await store.log([
                AuditEntry(
                    at: gate.now, operation: .refusal, action: action, actor: actor, purpose: purpose,
                    outcome: AuditEntry.refusalOutcome([(denial.rule, denial.reason)]))
            ])
            throw RegisterError.denied(denial)
        }
    }

    /// The unwrapped key of a subject, or an error if the key is gone.
    func subjectKey(_ id: SubjectID, _ tx: any RegisterTransaction) async throws -> SymmetricKey {
        guard let wrapped = try await keys.wrappedKey(for: id) else { throw RegisterError.notFound(kind: "subject", id: id.description) }
        return try keyring.unwrap(wrapped, for: id)
    }

    /// The unwrapped keys of many subjects in one read of the key store; a subject whose key is
    /// gone is left out.
    func subjectKeys(_ ids: [SubjectID]) async throws -> SubjectKeys {
        var unwrapped: [SubjectID: SymmetricKey] = [:]
        for (id, wrapped) in try await keys.wrappedKeys(for: ids) { unwrapped[id] = try keyring.unwrap(wrapped, for: id) }
        return SubjectKeys(unwrapped)
    }

    func loadSubject(_ id: SubjectID, _ tx: any RegisterTransaction) async throws -> SealedSubject {
        guard let sealed = try await tx.subject(id) else { throw RegisterError.notFound(kind: "subject", id: id.description) }
        return sealed
    }

    /// The named people on the register, read at once, by id (those not on it are absent).
    func subjectsByID(_ ids: [SubjectID], _ tx: any RegisterTransaction) async throws -> [SubjectID: SealedSubject] {
        Dictionary(try await tx.subjects(ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The named people in the order named, read at once; the first not on the register is not found.
    func loadSubjects(_ ids: [SubjectID], _ tx: any RegisterTransaction) async throws -> [SealedSubject] {
        let found = try await subjectsByID(ids, tx)
        return try ids.map { id in
            guard let sealed = found[id] else { throw RegisterError.notFound(kind: "subject", id: id.description) }
            return sealed
        }
    }

    /// Each subject with their unwrapped key, one read of the key store for all; a key gone is not found.
    func withKeys(_ sealed: [SealedSubject]) async throws -> [(sealed: SealedSubject, key: SymmetricKey)] {
        let keys = try await subjectKeys(sealed.map(\.id))
        return try sealed.map { subject in (subject, try keys.key(for: subject.id)) }
    }

    /// A subject for operational use: refused, and the attempt logged, while it is restricted,
    /// unless governance is reading it (with the recorded reason).
    func operationalSubject(_ id: SubjectID, _ tx: any RegisterTransaction, _ gate: Gate) async throws -> SealedSubject {
        let sealed = try await loadSubject(id, tx)
        // Scope before everything: to another borough a restricted person is no one.
        try gate.scope(sealed.unit, named: .subject(id))
        if sealed.restricted, !AccessPolicy.readsRestricted(gate.actor) {
            throw Refusal.restricted(id)
        }
        // Opening a person's record by id: a victim or witness only is opened for safeguarding,
        // never for enforcement. Recording about them (a statement, a matter) stays open.
        if gate.action.declaration.does == [.reads], let purpose = gate.purpose?.purpose, !AccessPolicy.listsProtectedOnly(for: purpose) {
            let standing = CategoryStanding(try await tx.links(subject: id).map(\.category))
            if case .failure(let denial) = AccessPolicy.readsByID(standing, for: purpose) {
                throw Refusal(denial: denial, subjects: [id], touched: [.subject(id)])
            }
        }
        return sealed
    }

    func openPersonal(_ sealed: SealedSubject, key: SymmetricKey) throws -> PersonalDetails {
        try keyring.open(PersonalDetails.self, from: sealed.personal, key: key, subject: sealed.id, label: "personal")
    }

    func openInclusion(_ sealed: SealedInclusion, key: SymmetricKey) throws -> Inclusion {
        try keyring.open(Inclusion.self, from: sealed.sealed, key: key, subject: sealed.subjectID, label: "inclusion")
    }

    /// The subject's inclusion that is proposed, awaiting central approval or in force, if any.
    func currentInclusion(_ subject: SubjectID, key: SymmetricKey, _ tx: any RegisterTransaction) async throws -> Inclusion? {
        try currentInclusion(among: try await tx.inclusions(subject: subject), key: key)
    }

    /// Of a subject's inclusions (oldest first), the one proposed, awaiting approval or in force.
    func currentInclusion(among inclusions: [SealedInclusion], key: SymmetricKey) throws -> Inclusion? {
        try inclusions.filter { $0.status != .rejected }.last.map { try openInclusion($0, key: key) }
    }

    /// The latest harm assessment kept for the subject, if any.
    func latestHarm(_ subject: SubjectID, key: SymmetricKey, _ tx: any RegisterTransaction) async throws -> HarmAssessment? {
        try await tx.latestHarmAssessment(subject: subject).map { try openHarm($0, key: key) }
    }

    func openHarm(_ sealed: SealedEvent, key: SymmetricKey) throws -> HarmAssessment {
        try keyring.open(HarmAssessment.self, from: sealed.sealed, key: key, subject: sealed.subjectID, label: "harm")
    }

    func openIntelligence(_ sealed: SealedIntelligence, key: SymmetricKey) throws -> IntelligenceItem {
        let content = try keyring.open(
            IntelligenceContent.self, from: sealed.content, key: key, subject: sealed.subjectID, label: "intelligence:\(sealed.id)")
        return IntelligenceItem(
            id: sealed.id, subjectID: sealed.subjectID, unit: sealed.unit, grade: sealed.grade,
            basis: sealed.basis, provenance: sealed.provenance, content: content)
    }
}

/// The access check inside a use case: asks the policy, and on refusal throws what `perform`
/// turns into a logged denial.
struct Gate: Sendable {
    let actor: User
    let purpose: StatedPurpose?
    let action: UseCase
    let now: Timestamp
    /// Whether an appropriate policy document (s.42) is in force, read for use cases that declare
    /// sensitive data; nil for the rest, which can therefore make no permit that carries it.
    var policyDocumentInForce: Bool?

    /// The four-eyes rule for a step, refused and logged like any policy refusal.
    func separate(_ check: TwoPersonCheck, subjects: [SubjectID] = [], touched: [AuditResource]) throws {
        if case .failure(let denial) = AccessPolicy.separation(actor, check) {
            throw Refusal(denial: denial, subjects: subjects, touched: touched)
        }
    }

    /// Runs a domain step (a record deciding its next state) whose refusals, four-eyes among them,
    /// are logged with the record they were about, like the policy's own.
    func refusals<T>(subjects: [SubjectID] = [], touched: [AuditResource], _ step: () throws(RegisterError) -> T) throws -> T {
        do {
            return try step()
        } catch .denied(let denial) {
            throw Refusal(denial: denial, subjects: subjects, touched: touched)
        }
    }

    /// The use case's row of the policy, asked by `perform` before anything else.
    func entitled() throws {
        if case .failure(let denial) = AccessPolicy.decide(actor, action, purpose: purpose, today: now.day) {
            throw Refusal(denial: denial, subjects: [], touched: [])
        }
    }

    /// Scope for a record reached without being named by id (a list, a step of a batch).
    func scope(_ unit: Borough, subjects: [SubjectID] = [], touched: [AuditResource]) throws {
        if case .failure(let denial) = AccessPolicy.scope(actor, unit) {
            throw Refusal(denial: denial, subjects: subjects, touched: touched)
        }
    }

    /// The step of a two-step decision the actor may take (`AccessPolicy.step`).
    func step(
        _ step: InclusionDecision.Step, unit: Borough, rules: (spoc: RuleCode, central: RuleCode), what: String, touched: [AuditResource]
    )
        throws
    {
        if case .failure(let denial) = AccessPolicy.step(step, actor, unit: unit, rules: rules, what: what) {
            throw Refusal(denial: denial, subjects: [], touched: touched)
        }
    }

    /// The sensitive-data permission, for a use case that records ethnicity only when it is given.
    func sensitive(subjects: [SubjectID] = [], touched: [AuditResource]) throws {
        if case .failure(let denial) = AccessPolicy.sensitive(actor) {
            throw Refusal(denial: denial, subjects: subjects, touched: touched)
        }
    }

    /// Scope alone, before anything else is said about a record: borough staff reach their own
    /// borough's records only, and another borough's answers as no one's.
    func scope(_ unit: Borough, named: NamedRecord) throws {
        if case .failure(let denial) = AccessPolicy.scope(actor, unit) {
            throw Refusal(denial: denial, subjects: named.subject.map { [$0] } ?? [], touched: [named.touched], named: named)
        }
    }

    func entry(
        _ operation: AuditEntry.Operation, subjects: [SubjectID] = [], touched: [AuditResource], recipient: String? = nil,
        outcome: String? = nil
    ) -> AuditEntry {
        AuditEntry(
            at: now, operation: operation, action: action, actor: actor, purpose: purpose,
            subjects: subjects, recipient: recipient, touched: touched, outcome: outcome)
    }
}

struct Refusal: Error {
    let denial: AccessDenial
    let subjects: [SubjectID]
    let touched: [AuditResource]
    /// The record the caller named, set only by a scope refusal (`Gate.scope(_:named:)`): answered
    /// to borough staff as that id would be were no one to hold it.
    var named: NamedRecord? = nil
}

/// A request the register's rules refuse on its merits (an inclusion short of the threshold):
/// answered like bad input, naming each rule, and logged like any refusal, so attempts to game a
/// rule are visible to governance.
struct Shortfall: Error {
    let violations: [FieldViolation]
    let subjects: [SubjectID]
    let touched: [AuditResource]
}
