/// Many records from one borough recorded together: all or nothing. Records refer to each other
/// by the caller's own reference strings. Used by borough feeds and the demo data.
public struct RecordBatch: Sendable {
    public struct SubjectRow: Sendable {
        public var ref: String
        public var draft: SubjectDraft
        public init(ref: String, draft: SubjectDraft) { (self.ref, self.draft) = (ref, draft) }
    }
    public struct MatterRow: Sendable {
        public var ref: String
        public var draft: MatterDraft
        public init(ref: String, draft: MatterDraft) { (self.ref, self.draft) = (ref, draft) }
    }
    public struct LinkRow: Sendable {
        public var subject: String
        public var matter: String
        public var category: String
        public var basis: String
        public init(subject: String, matter: String, category: String, basis: String = "fact") {
            (self.subject, self.matter, self.category, self.basis) = (subject, matter, category, basis)
        }
    }
    /// `draft.subjectID` is ignored: `subject` names the subject by reference.
    public struct IntelligenceRow: Sendable {
        public var ref: String
        public var subject: String
        public var draft: IntelligenceDraft
        public init(ref: String, subject: String, draft: IntelligenceDraft) { (self.ref, self.subject, self.draft) = (ref, subject, draft) }
    }
    public struct FlagRow: Sendable {
        public var subject: String
        public var kind: String
        public var intelligence: [String]
        public var matters: [String]
        public init(subject: String, kind: String, intelligence: [String] = [], matters: [String] = []) {
            (self.subject, self.kind, self.intelligence, self.matters) = (subject, kind, intelligence, matters)
        }
    }

    public var subjects: [SubjectRow] = []
    public var matters: [MatterRow] = []
    public var links: [LinkRow] = []
    public var intelligence: [IntelligenceRow] = []
    public var flags: [FlagRow] = []

    public init() {}

    public var count: Int { subjects.count + matters.count + links.count + intelligence.count + flags.count }
}

/// How far a long batch has got, for a person watching an import run: each kind of record as
/// it is validated, then as it is written.
public struct BatchProgress: Sendable, Equatable {
    public enum Phase: String, Sendable { case validated, written }
    public let phase: Phase
    public let kind: String
    public let done: Int
    public let total: Int

    public init(phase: Phase, kind: String, done: Int, total: Int) {
        (self.phase, self.kind, self.done, self.total) = (phase, kind, done, total)
    }
}

public struct BatchOutcome: Sendable {
    public var subjects: [String: SubjectID] = [:]
    public var matters: [String: MatterID] = [:]
    public var intelligence: [String: IntelligenceID] = [:]
    public var records = 0
}

extension Register {
    /// Validates every row first and refuses the batch with every violation named by row
    /// (`subjects[3].dateOfBirth`); only a wholly valid batch is written.
    public func recordBatch(_ batch: RecordBatch, by actor: User, for purpose: StatedPurpose) async throws -> BatchOutcome {
        try await record(batch, action: .batchRecord, by: actor, for: purpose)
    }

    /// The batch's one path, for feeds and imports alike. `locate` names a violation in the
    /// caller's words (an import's row and column); `dryRun` validates everything, through the
    /// same gates, and writes nothing; `logged` adds the caller's own entry (the import itself);
    /// `known` are problems the caller found first (an import's shape), reported with the rest.
    func record(
        _ batch: RecordBatch, action: UseCase, dryRun: Bool = false, known: [FieldViolation] = [],
        locate: @escaping @Sendable (FieldViolation) -> FieldViolation = { $0 },
        logged: (@Sendable (Gate) -> AuditEntry)? = nil, progress: (@Sendable (BatchProgress) -> Void)? = nil, by actor: User,
        for purpose: StatedPurpose
    ) async throws -> BatchOutcome {
        do {
            return try await perform(actor, purpose, action: action) { tx, gate in
                try await recordValidated(
                    batch, dryRun: dryRun, known: known, locate: locate, logged: logged, progress: progress ?? { _ in }, tx, gate)
            }
        } catch let done as DryRunComplete {
            return done.outcome
        }
    }

    /// Thrown out of a dry run's transaction once everything is validated, so nothing is written.
    struct DryRunComplete: Error { let outcome: BatchOutcome }

    private func recordValidated(
        _ batch: RecordBatch, dryRun: Bool, known: [FieldViolation], locate: @Sendable (FieldViolation) -> FieldViolation,
        logged: (@Sendable (Gate) -> AuditEntry)?,
        progress: @Sendable (BatchProgress) -> Void, _ tx: any RegisterTransaction, _ gate: Gate
    ) async throws -> BatchOutcome {
        let actor = gate.actor
        // Ethnicity in any row is special-category data: the permission and the policy document, once for the batch.
        if batch.subjects.contains(where: \.draft.recordsEthnicity) {
            try requireSensitive(gate, touched: [AuditResource(.batch, "ethnicity")])
        }
        let unit = try actor.unit.recordingBorough()
        var v = Validator()
        var out = BatchOutcome()
        var subjects: [Subject] = []
        var matters: [Matter] = []
        var links: [SubjectMatterLink] = []
        var items: [(IntelligenceID, IntelligenceDraft.Validated)] = []
        var flags: [Permitted<Flag>] = []
        // Every registered source a row cites, checked against the source register in one pass.
        var citations: [(field: String, id: SourceID)] = []

        func collect<T>(_ prefix: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch RegisterError.invalid(let violations) {
                for x in violations { v.fail(prefix + x.field, x.rule, x.message) }
            } catch { v.fail(prefix, "invalid", "\(error)") }
            return nil
        }
        for (i, row) in batch.subjects.enumerated() {
            let id: SubjectID = ids.next()
            if out.subjects[row.ref] != nil { v.fail("subjects[\(i)].ref", "batch.ref-unique", "reference '\(row.ref)' is used twice") }
            if let s = collect("subjects[\(i)].", { try row.draft.validated(id: id, unit: unit, author: actor.id, now: gate.now) }) {
                subjects.append(s)
                out.subjects[row.ref] = id
            }
        }
        progress(BatchProgress(phase: .validated, kind: "subjects", done: batch.subjects.count, total: batch.subjects.count))
        for (i, row) in batch.matters.enumerated() {
            let id: MatterID = ids.next()
            if let m = collect("matters[\(i)].", { try row.draft.validated(id: id, unit: unit, author: actor.id, now: gate.now) }) {
                matters.append(m)
                out.matters[row.ref] = id
                if let source = m.provenance.source { citations.append(("matters[\(i)].sourceId", source)) }
            }
        }
        progress(BatchProgress(phase: .validated, kind: "matters", done: batch.matters.count, total: batch.matters.count))
        // A row naming a record that is in the batch but failed its own rules adds no second
        // error: the record's own row says what is wrong.
        let submitted = (subjects: Set(batch.subjects.map(\.ref)), matters: Set(batch.matters.map(\.ref)))
        for (i, row) in batch.links.enumerated() {
            guard let s = out.subjects[row.subject] else {
                if !submitted.subjects.contains(row.subject) {
                    v.fail("links[\(i)].subject", "batch.ref", "no subject '\(row.subject)' in this batch")
                }
                continue
            }
            guard let m = out.matters[row.matter] else {
                if !submitted.matters.contains(row.matter) {
                    v.fail("links[\(i)].matter", "batch.ref", "no matter '\(row.matter)' in this batch")
                }
                continue
            }
            if let (_, _, category, basis) = collect(
                "links[\(i)].",
                {
                    try LinkDraft(subjectID: s.description, matterID: m.description, category: row.category, basis: row.basis)
                        .validated()
                })
            {
                links.append(
                    SubjectMatterLink(
                        id: ids.next(), subjectID: s, matterID: m, category: category, basis: basis,
                        provenance: Provenance(sourceType: .police, originatingUnit: actor.unit, author: actor.id, recordedAt: gate.now)
                    ))
            }
        }
        for (i, row) in batch.intelligence.enumerated() {
            guard let s = out.subjects[row.subject] else {
                if !submitted.subjects.contains(row.subject) {
                    v.fail("intelligence[\(i)].subject", "batch.ref", "no subject '\(row.subject)' in this batch")
                }
                continue
            }
            var draft = row.draft
            draft.subjectID = s.description
            if let item = collect("intelligence[\(i)].", { try draft.validated(now: gate.now) }) {
                let id: IntelligenceID = ids.next()
                items.append((id, item))
                out.intelligence[row.ref] = id
                if let source = item.source { citations.append(("intelligence[\(i)].sourceId", source)) }
            }
        }
        try await checkCitations(citations, tx, &v)
        progress(BatchProgress(phase: .validated, kind: "links", done: batch.links.count, total: batch.links.count))
        progress(BatchProgress(phase: .validated, kind: "intelligence", done: batch.intelligence.count, total: batch.intelligence.count))
        let subjectOfItem = Dictionary(items.map { ($0.0, $0.1.subjectID) }, uniquingKeysWith: { first, _ in first })
        // Each flag is checked against its own subject's links: grouped once, not searched per flag.
        let linksOfSubject = Dictionary(grouping: links, by: \.subjectID)
        let subjectByID = Dictionary(subjects.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rulebook = batch.flags.isEmpty ? nil : try await rulebook(tx)
        // A row the monitor refuses (a child, a victim only) is reported with the file's other
        // errors, and the file's refusal is logged with every rule it broke.
        var refused = false
        for (i, row) in batch.flags.enumerated() {
            guard let s = out.subjects[row.subject] else {
                if !submitted.subjects.contains(row.subject) {
                    v.fail("flags[\(i)].subject", "batch.ref", "no subject '\(row.subject)' in this batch")
                }
                continue
            }
            let draft = FlagDraft(
                subjectID: s.description, kind: row.kind,
                intelligenceIDs: row.intelligence.map { out.intelligence[$0]?.description ?? $0 },
                matterIDs: row.matters.map { out.matters[$0]?.description ?? $0 })
            guard let (_, kind, evidence) = collect("flags[\(i)].", { try draft.validated() }) else { continue }
            let own = linksOfSubject[s] ?? []
            try gate.scope(unit, subjects: [s], touched: [])
            var fv = Validator(prefix: "flags[\(i)].")
            Flag.checkEvidence(evidence, subject: s, links: own, subjectOfItem: subjectOfItem, &fv)
            v.merge(fv)
            let flag = Flag(
                id: ids.next(), subjectID: s, unit: unit, kind: kind, evidence: evidence,
                provenance: Provenance(sourceType: .police, originatingUnit: actor.unit, author: actor.id, recordedAt: gate.now))
            guard let rulebook, let subject = subjectByID[s] else { continue }
            let person = PersonFacts(
                id: s, dateOfBirth: subject.personal.dateOfBirth, standing: CategoryStanding(own.map(\.category)), restricted: false)
            do {
                flags.append(try Monitor.flag(flag, on: person, rulebook: rulebook, gate))
            } catch let refusal as Refusal {
                refused = true
                v.fail("flags[\(i)].subject", refusal.denial.rule.rawValue, refusal.denial.reason)
            }
        }
        progress(BatchProgress(phase: .validated, kind: "flags", done: batch.flags.count, total: batch.flags.count))
        // A reference the caller's shape check already named as dangling is not named again.
        let found = known + v.violations.filter { known.isEmpty || $0.rule != "batch.ref" }.map(locate)
        if !found.isEmpty {
            if refused || v.violations.contains(where: \.isCitation) {
                throw Shortfall(violations: found, subjects: [], touched: [])
            }
            throw RegisterError.invalid(found)
        }
        if dryRun {
            var outcome = out
            outcome.records = subjects.count + matters.count + links.count + items.count + flags.count
            throw DryRunComplete(outcome: outcome)
        }

        var entries: [AuditEntry] = logged.map { [$0(gate)] } ?? []
        // Written in chunks of many rows a statement, so a long file shows its progress as it goes.
        let chunk = 2_000
        var keys: [SubjectID: SymmetricKey] = [:]
        for start in stride(from: 0, to: subjects.count, by: chunk) {
            let part = Array(subjects[start..<min(start + chunk, subjects.count)])
            keys.merge(try await insert(part, tx, gate)) { first, _ in first }
            progress(BatchProgress(phase: .written, kind: "subjects", done: start + part.count, total: subjects.count))
        }
        for s in subjects {
            entries.append(gate.entry(.collection, subjects: [s.id], touched: [.subject(s.id)]))
        }
        for start in stride(from: 0, to: matters.count, by: chunk) {
            let part = Array(matters[start..<min(start + chunk, matters.count)])
            try await tx.insertMatters(part)
            for m in part { entries.append(gate.entry(.collection, touched: [.matter(m.id)])) }
            progress(BatchProgress(phase: .written, kind: "matters", done: start + part.count, total: matters.count))
        }
        for start in stride(from: 0, to: links.count, by: chunk) {
            let part = Array(links[start..<min(start + chunk, links.count)])
            try await tx.insertLinks(part)
            for l in part {
                entries.append(gate.entry(.collection, subjects: [l.subjectID], touched: [.link(l.id), .matter(l.matterID)]))
            }
            progress(BatchProgress(phase: .written, kind: "links", done: start + part.count, total: links.count))
        }
        for start in stride(from: 0, to: items.count, by: chunk) {
            var sealed: [SealedIntelligence] = []
            for (id, item) in items[start..<min(start + chunk, items.count)] {
                let key: SymmetricKey
                if let known = keys[item.subjectID] {
                    key = known
                } else {
                    key = try await subjectKey(item.subjectID, tx)
                    keys[item.subjectID] = key
                }
                sealed.append(
                    SealedIntelligence(
                        id: id, subjectID: item.subjectID, unit: unit, grade: item.grade, basis: item.basis,
                        provenance: Provenance(
                            sourceType: item.sourceType, originatingUnit: actor.unit, author: actor.id, recordedAt: gate.now,
                            source: item.source),
                        content: try keyring.seal(item.content, key: key, subject: item.subjectID, label: "intelligence:\(id)")))
                entries.append(gate.entry(.collection, subjects: [item.subjectID], touched: [.intelligence(id)]))
            }
            try await tx.insertIntelligence(sealed)
            progress(BatchProgress(phase: .written, kind: "intelligence", done: start + sealed.count, total: items.count))
        }
        for f in flags {
            try await tx.insertFlag(f)
            entries.append(gate.entry(.collection, subjects: [f.value.subjectID], touched: [.flag(f.value.id)]))
        }
        try await tx.appendAudit(entries)
        out.records = entries.count - (logged == nil ? 0 : 1)
        return out
    }
}

import Crypto
