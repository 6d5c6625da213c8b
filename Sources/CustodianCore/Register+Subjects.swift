import Crypto
import Foundation

/// What a permitted reader sees of a subject: every category held, labelled; the matters; the
/// graded intelligence; the flags with their evidence.
public struct SubjectView: Sendable, Equatable {
    public let id: SubjectID
    public let unit: Borough
    public let personal: PersonalDetails
    public let safeguarding: Safeguarding
    public let categories: [CategoryHeld]
    public let matters: [LinkedMatter]
    public let intelligence: [IntelligenceItem]
    public let flags: [Flag]
    public let provenance: Provenance
    /// Why the record is restricted, shown to governance only; nil when it is not.
    public let restriction: String?
    /// The subject's inclusion (proposed, awaiting central approval, or in force), if any.
    public let inclusion: Inclusion?
    /// The latest harm assessment kept, with its explanation; nil when none is kept or the purpose
    /// does not read it (`harmWithheld`).
    public private(set) var harm: HarmAssessment?
    /// The purpose stated does not read the harm score (`AccessPolicy.readsHarmScore`).
    public private(set) var harmWithheld = false
    /// Other boroughs' records decided to be of this person: shown to central analysts and
    /// governance only, each borough's staff keeping to their own record.
    public let sameAs: [SameSubject]

    public init(
        id: SubjectID, unit: Borough, personal: PersonalDetails, safeguarding: Safeguarding, categories: [CategoryHeld],
        matters: [LinkedMatter], intelligence: [IntelligenceItem], flags: [Flag], provenance: Provenance,
        restriction: String?, inclusion: Inclusion?, harm: HarmAssessment?, sameAs: [SameSubject] = []
    ) {
        self.id = id
        self.unit = unit
        self.personal = personal
        self.safeguarding = safeguarding
        self.categories = categories
        self.matters = matters
        self.intelligence = intelligence
        self.flags = flags
        self.provenance = provenance
        self.restriction = restriction
        self.inclusion = inclusion
        self.harm = harm
        self.sameAs = sameAs
    }
}

public struct CategoryHeld: Sendable, Equatable {
    public let category: Category
    public let matters: [MatterID]
}

public struct LinkedMatter: Sendable, Equatable {
    public let link: SubjectMatterLink
    public let matter: Matter
}

extension SubjectView {
    /// The view as the stated purpose reads it.
    public func read(for purpose: Purpose?) -> SubjectView {
        guard !AccessPolicy.readsHarmScore(for: purpose) else { return self }
        var seen = self
        seen.harmWithheld = seen.harm != nil
        seen.harm = nil
        return seen
    }
}

/// A page of subjects and where the next one starts.
public struct SubjectPage: Sendable, Equatable {
    public let subjects: [SubjectSummary]
    /// Pass as `before` for the next page; nil on the last.
    public let next: SubjectID?
}

/// A search hit: enough to tell people apart, with the categories they hold.
public struct SubjectSummary: Sendable, Equatable {
    public let id: SubjectID
    public let unit: Borough
    public let displayName: String
    public let dateOfBirth: LocalDate?
    public let categories: [Category]

    /// Linked to matters, and only ever as a victim or witness.
    public var heldOnlyAsVictimOrWitness: Bool { !categories.isEmpty && !categories.contains(where: \.isEnforcement) }
}

extension Register {
    /// Collection: an officer records a subject in their own borough.
    public func recordSubject(_ draft: SubjectDraft, by actor: User, for purpose: StatedPurpose) async throws -> SubjectID {
        let id: SubjectID = ids.next()
        return try await perform(actor, purpose, action: .subjectCreate) { tx, gate in
            if draft.recordsEthnicity {
                try requireSensitive(gate, touched: [.subject(id, part: "ethnicity")])
            }
            let subject = try draft.validated(id: id, unit: try actor.unit.recordingBorough(), author: actor.id, now: gate.now)
            try await insert([subject], tx, gate)
            try await tx.appendAudit([gate.entry(.collection, subjects: [id], touched: [.subject(id)])])
            return id
        }
    }

    /// Seals and stores validated subjects with their keys and search tokens. The keys go to the
    /// key store first, in one step; a key whose subject then fails to commit seals nothing.
    /// Returns each new subject's key, so a batch seals their other records without unwrapping it again.
    @discardableResult
    func insert(_ subjects: [Subject], _ tx: any RegisterTransaction, _ gate: Gate) async throws -> [SubjectID: SymmetricKey] {
        var made: [(subject: SubjectID, key: SymmetricKey, wrapped: Data)] = []
        for subject in subjects {
            let (key, wrapped) = try keyring.newSubjectKey(for: subject.id)
            made.append((subject.id, key, wrapped))
        }
        try await keys.store(made.map { ($0.subject, $0.wrapped) }, at: subjects.first?.provenance.recordedAt ?? clock.now())
        try await keys.storeSearchTokens(
            subjects.map { subject in
                (subject.id, subject.unit, Array(Set(NameSearch.terms(for: subject.personal).map(keyring.searchToken))).sorted())
            })
        try await tx.insertSubjects(
            try zip(subjects, made).map { subject, made in
                SealedSubject(
                    id: subject.id, unit: subject.unit, provenance: subject.provenance,
                    personal: try keyring.seal(subject.personal, key: made.key, subject: subject.id, label: "personal"),
                    sensitive: try keyring.seal(subject.sensitive, key: made.key, subject: subject.id, label: "sensitive"))
            })
        try await tx.insertEqualityEvents(
            try Monitor.equality(subjects.map { EqualityEvent(.recorded, of: $0, on: $0.provenance.recordedAt.day) }, gate))
        return Dictionary(made.map { ($0.subject, $0.key) }, uniquingKeysWith: { first, _ in first })
    }

    /// Consultation of one subject: one audit entry, committed before the answer.
    public func subject(_ id: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> SubjectView {
        try await perform(actor, purpose, action: .subjectRead, .consultation) { tx, gate in
            let sealed = try await operationalSubject(id, tx, gate)
            let links = try await tx.links(subject: id)
            try gate.scope(sealed.unit, subjects: [id], touched: [.subject(id)])
            let view = try await view(of: sealed, links: links, on: gate.now, tx, sameAs: try await sameSubjects(of: id, for: actor, tx))
                .read(for: purpose.purpose)
            let touched: [AuditResource] =
                [.subject(id)] + view.matters.map { .matter($0.matter.id) }
                + view.intelligence.map { .intelligence($0.id) } + view.flags.map { .flag($0.id) }
            var entries = [gate.entry(.consultation, subjects: [id], touched: touched)]
            if !view.sameAs.isEmpty {
                // Showing another borough's record as the same person joins the two: combination.
                entries.append(
                    gate.entry(
                        .combination, subjects: [id] + view.sameAs.map(\.subject),
                        touched: view.sameAs.map { AuditResource(.duplicateDecision, $0.decision.id) }))
            }
            try await tx.appendAudit(entries)
            return view
        }
    }

    /// Everything held about a subject, opened. The caller has checked access and logs the read.
    func view(
        of sealed: SealedSubject, key known: SymmetricKey? = nil, links: [SubjectMatterLink], on now: Timestamp,
        _ tx: any RegisterTransaction,
        sameAs: [SameSubject] = []
    ) async throws -> SubjectView {
        let id = sealed.id
        // A caller that has unwrapped the key passes it: each unwrap is a call to the key store.
        let key: SymmetricKey
        if let known { key = known } else { key = try await subjectKey(id, tx) }
        let personal = try openPersonal(sealed, key: key)
        let matters = Dictionary(try await tx.matters(links.map(\.matterID)).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let linked = links.compactMap { link in matters[link.matterID].map { LinkedMatter(link: link, matter: $0) } }
            .sorted { ($0.matter.occurredOn, $0.link.id.description) > ($1.matter.occurredOn, $1.link.id.description) }
        let intelligence = try await tx.intelligence(subject: id).map { try openIntelligence($0, key: key) }
        let flags = try await tx.flags(subject: id)
        let held = Dictionary(grouping: links, by: \.category).map { CategoryHeld(category: $0.key, matters: $0.value.map(\.matterID)) }
        var restriction: String?
        if sealed.restricted, let kept = try await tx.restriction(subject: id) {
            restriction = try keyring.open(String.self, from: kept.sealedReason, key: key, subject: id, label: "restriction")
        }
        let inclusion = try await currentInclusion(id, key: key, tx)
        let harm = try await latestHarm(id, key: key, tx)
        return SubjectView(
            id: id, unit: sealed.unit, personal: personal, safeguarding: personal.safeguarding(on: now.day),
            categories: held.sorted { $0.category < $1.category }, matters: linked,
            intelligence: intelligence, flags: flags, provenance: sealed.provenance, restriction: restriction,
            inclusion: inclusion, harm: harm, sameAs: sameAs)
    }

    /// Consultation of special-category data, under its own permission.
    public func ethnicity(of id: SubjectID, by actor: User, for purpose: StatedPurpose) async throws -> SensitiveDetails {
        try await perform(actor, purpose, action: .subjectEthnicityRead, .consultation) { tx, gate in
            let sealed = try await operationalSubject(id, tx, gate)
            try requireSensitive(gate, subjects: [id], touched: [.subject(id, part: "ethnicity")])
            let key = try await subjectKey(id, tx)
            let sensitive = try keyring.open(SensitiveDetails.self, from: sealed.sensitive, key: key, subject: id, label: "sensitive")
            try await tx.appendAudit([gate.entry(.consultation, subjects: [id], touched: [.subject(id, part: "ethnicity")])])
            return sensitive
        }
    }

    public static let searchLimit = 50
    /// The longest name a search takes (the API's own limit): at most 100 words.
    public static let searchNameLimit = 200
    public static let pageSize = 25

    /// One page of the subjects a user may see, newest first: the borough's for borough staff,
    /// London's for central analysts. A consultation of everyone on the page.
    public func listSubjects(before: SubjectID?, limit: Int = Register.pageSize, by actor: User, for purpose: StatedPurpose) async throws
        -> SubjectPage
    {
        try await perform(actor, purpose, action: .subjectList, .consultation) { tx, gate in
            let units = actor.role.isBoroughRole ? actor.unit.borough.map { [$0] } : nil
            let size = min(max(limit, 1), 100)
            // A page is filled with people this purpose may see, reading on past those it may not
            // (restricted, or held only as a victim or witness under an enforcement purpose), up to
            // a bound: the cursor is the last record read, so nothing is skipped or shown twice.
            var results: [SubjectSummary] = []
            var cursor = before
            var next: SubjectID?
            scan: for _ in 0..<40 {
                let batch = try await tx.subjects(units: units, before: cursor, limit: size + 1)
                let page = Array(batch.prefix(size))
                let visible = try await summaries(of: page.filter { !$0.restricted || AccessPolicy.readsRestricted(actor) }, tx)
                    .filter { AccessPolicy.listsProtectedOnly(for: purpose.purpose) || !$0.heldOnlyAsVictimOrWitness }
                for summary in visible {
                    if results.count == size {
                        next = results.last?.id
                        break scan
                    }
                    results.append(summary)
                }
                guard batch.count > size, let last = page.last else {
                    next = nil
                    break
                }
                (cursor, next) = (last.id, last.id)
                if results.count == size { break }
            }
            try await tx.appendAudit([gate.entry(.consultation, subjects: results.map(\.id), touched: [.whole(.subjectList)])])
            return SubjectPage(subjects: results, next: next)
        }
    }

    /// A line for each person of a page, in its order: their keys, and the categories they are
    /// held in, read for the whole page at once.
    func summaries(of sealed: [SealedSubject], _ tx: any RegisterTransaction) async throws -> [SubjectSummary] {
        let links = Dictionary(grouping: try await tx.links(subjects: sealed.map(\.id)), by: \.subjectID)
        return try await withKeys(sealed).map { subject, key in
            let personal = try openPersonal(subject, key: key)
            return SubjectSummary(
                id: subject.id, unit: subject.unit, displayName: personal.displayName, dateOfBirth: personal.dateOfBirth,
                categories: Set((links[subject.id] ?? []).map(\.category)).sorted())
        }
    }

    /// A search is a consultation of everyone it returns: one entry naming them all by id.
    /// Borough staff search their own borough; central analysts search London.
    /// A PNC id, where given, finds its holder whatever their name is spelt as (the rights team's
    /// search for a person everywhere); name words and date of birth narrow each other.
    public func searchSubjects(
        name: String, dateOfBirth: String?, pncID: String? = nil, by actor: User, for purpose: StatedPurpose
    ) async throws -> [SubjectSummary] {
        var v = Validator()
        let words = NameSearch.words(name)
        let pnc = pncID.flatMap(NameSearch.pnc)
        if let pncID, !pncID.isEmpty,
            pnc == nil || pncID.count > 20 || !pncID.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "/" || $0 == " " })
        {
            v.fail("pncId", "search.pnc", "pncId is up to 20 letters, digits, slashes and spaces, with at least one letter or digit")
        } else if words.isEmpty, pnc == nil {
            v.fail("name", "search.name", "name must contain at least one word of letters")
        }
        // Each word is two terms of the key store's one statement: bounded here, at every door.
        if name.count > Self.searchNameLimit {
            v.fail("name", "search.name", "name is at most \(Self.searchNameLimit) characters")
        }
        var dob: LocalDate?
        if let text = dateOfBirth, !text.isEmpty {
            dob = LocalDate(iso: text)
            if dob == nil { v.fail("dateOfBirth", "date.format", "dateOfBirth must be a date as YYYY-MM-DD") }
        }
        try v.finish()
        let born = dob
        return try await perform(actor, purpose, action: .subjectSearch, .consultation) { tx, gate in
            let units = actor.role.isBoroughRole ? actor.unit.borough.map { [$0] } : nil
            var byPNC: [SubjectID] = []
            if let pnc {
                let token = keyring.searchToken(.pnc(pnc))
                byPNC = (try await keys.subjectsHolding(tokens: [token], units: units)[token] ?? []).sorted {
                    $0.description < $1.description
                }
            }
            // The first `searchLimit` by name are enough: those found by PNC go first and are not
            // repeated, and the list is cut at `searchLimit` either way.
            let byName =
                words.isEmpty
                ? []
                : try await keys.subjectsRanked(
                    NameQuery(words: words, dateOfBirth: born, limit: Self.searchLimit, tokenOf: keyring.searchToken), units: units)
            let ranked = byPNC + byName.filter { !byPNC.contains($0) }
            let shown = Array(ranked.prefix(Self.searchLimit))
            // The index is written before the subject commits (it lives in the key store): a
            // subject not (or no longer) in the register is simply not a hit.
            let found = try await subjectsByID(shown, tx)
            let results = try await summaries(
                of: shown.compactMap { found[$0] }.filter { !$0.restricted || AccessPolicy.readsRestricted(actor) }, tx
            )
            .filter { AccessPolicy.listsProtectedOnly(for: purpose.purpose) || !$0.heldOnlyAsVictimOrWitness }
            try await tx.appendAudit([gate.entry(.consultation, subjects: results.map(\.id), touched: [.whole(.subjectSearch)])])
            return results
        }
    }
}
