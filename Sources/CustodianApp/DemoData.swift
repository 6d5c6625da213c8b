@_spi(Storage) public import CustodianCore
import CustodianStorage
import CustodianWeb
import Foundation

/// Synthetic London data at the scale of the real register: about 4,000 subjects across the
/// boroughs, matters with links of every s.38(3) category (victims and witnesses included),
/// graded intelligence (some social-media, some legacy 5x5x5), flags resting on evidence, and one
/// user per role. Recorded through the same use cases as everything else, so it is audited too.
public enum DemoData {
    static let defaultSubjects = 4000
    static let defaultSeed: UInt64 = 2018
    /// Every demo user signs in to the pages with this. Demo data only: never a real deployment.
    static let demoPassword = "custodian-demo-2026"

    struct PrintedUser {
        let username: String
        let role: Role
        let unit: String
        let sensitive: Bool
        var dpo = false
    }

    static let printedUsers = [
        // Governance first: once a governance user exists, every other account is theirs to approve.
        PrintedUser(username: "dpo", role: .governance, unit: "central", sensitive: false, dpo: true),
        PrintedUser(username: "officer.hackney", role: .boroughOfficer, unit: "hackney", sensitive: true),
        PrintedUser(username: "spoc.hackney", role: .boroughSPOC, unit: "hackney", sensitive: false),
        PrintedUser(username: "intel.hackney", role: .boroughOfficer, unit: "hackney", sensitive: false),
        PrintedUser(username: "officer.newham", role: .boroughOfficer, unit: "newham", sensitive: false),
        PrintedUser(username: "analyst", role: .centralAnalyst, unit: "central", sensitive: true),
        PrintedUser(username: "auditor", role: .auditor, unit: "central", sensitive: false),
        PrintedUser(username: "partner.hackney-council", role: .partnerRecipient, unit: "central", sensitive: false),
        PrintedUser(username: "admin", role: .administrator, unit: "central", sensitive: false),
        PrintedUser(username: "reviewer", role: .independentReviewer, unit: "central", sensitive: false),
        PrintedUser(username: "sources", role: .sourceUnit, unit: "central", sensitive: false),
    ]

    /// The source register the demo's partner and community reports cite, by label: partner
    /// organisations and Crimestoppers, handled by the central partnership desk.
    static func registerSources(_ runtime: Runtime) async throws -> [String: SourceID] {
        let unit = try await user("sources", runtime)
        var ids: [String: SourceID] = [:]
        for label in DemoVocabulary.partnerSources + [DemoVocabulary.communitySource] {
            let source = try await runtime.register.registerSource(
                SourceDraft(
                    kind: RegisteredSource.Kind.partnerOrganisation.rawValue, label: label, owner: "Central partnership desk",
                    handlerUnit: "central", reliability: "2",
                    rationale: "Synthetic demo: a partner with no track record on the register yet"),
                by: unit)
            ids[label] = source.id
        }
        return ids
    }

    /// The baseline DPIA, drafted and advised on by the DPO and approved by a board member before
    /// any data is loaded: without it the register collects nothing.
    static func adoptDPIA(_ runtime: Runtime) async throws {
        let r = runtime.register
        let dpo = try await user("dpo", runtime)
        let board = try await runtime.directory.admit(
            UserDraft(
                username: "board.member", displayName: "Board Member", role: Role.governance.rawValue,
                unit: "central", trainingCompletedOn: trainedOn(runtime)), approvedBy: dpo)
        try await r.adoptBaselineDPIA(dpo: dpo, board: board, reviewOn: r.clock.now().day.adding(days: 365))
        try await r.adoptBaselinePolicyDocument(drafter: dpo, approver: board, reviewOn: r.clock.now().day.adding(days: 365))
    }

    static func isEmpty(_ runtime: Runtime) async throws -> Bool {
        try await runtime.register.store.transaction { tx in try await tx.users(limit: 1, offset: 0).isEmpty }
    }

    /// Demo users trained before the five months of governance the demo replays, and not yet due a refresher.
    /// A demo user by username: the demo acts as its named people, as a real register's would.
    static func user(_ username: String, _ runtime: Runtime) async throws -> User {
        let users = try await runtime.register.store.transaction { tx in try await tx.users(limit: 500, offset: 0) }
        guard let found = users.first(where: { $0.username == username }) else {
            throw RegisterError.notFound(kind: "demo user", id: username)
        }
        return found
    }

    static func trainedOn(_ runtime: Runtime) -> String { runtime.register.clock.now().day.adding(days: -200).description }

    static func load(into runtime: Runtime, subjects total: Int, seed: UInt64) async throws {
        let started = Date()
        let directory = runtime.directory
        var tokens: [(PrintedUser, String)] = []
        var approver: User?
        for u in printedUsers {
            let draft =
                UserDraft(
                    username: u.username, displayName: u.username.replacingOccurrences(of: ".", with: " ").capitalized,
                    role: u.role.rawValue,
                    unit: u.unit, trainingCompletedOn: trainedOn(runtime),
                    permissions: (u.sensitive ? [Permission.sensitiveData.rawValue] : [])
                        + (u.dpo ? [Permission.dataProtectionOfficer.rawValue] : []))
            let hash = try await BcryptHasher.hash(demoPassword)
            let user =
                if let approver {
                    try await directory.admit(draft, passwordHash: hash, approvedBy: approver)
                } else {
                    try await directory.createUser(draft, passwordHash: hash, by: Directory.commandLine)
                }
            if user.permissions.contains(.dataProtectionOfficer), approver == nil { approver = user }
            tokens.append((u, try await directory.issueToken(for: user.id, label: "demo", validForDays: 30, by: Directory.commandLine)))
        }
        try await adoptDPIA(runtime)
        let dpo = try await user("dpo", runtime)
        try await DemoEquality.loadBaseline(runtime, dpo: dpo)
        let sources = try await registerSources(runtime)
        var random = SeededRandom(seed: seed)
        let weights = DemoVocabulary.boroughWeights
        let weightSum = weights.values.reduce(0, +)
        let today = runtime.register.clock.now().day
        let purpose = StatedPurpose(purpose: .dataQuality, justification: "Synthetic demo data load (no real people)")
        var recorded = 0
        var people = 0
        var replayed: [DemoGovernance.Borough] = []
        for borough in Borough.allCases {
            let count = max(1, Int((Double(total) * weights[borough, default: 1] / weightSum).rounded()))
            let feed = try await directory.admit(
                UserDraft(
                    username: "feed.\(borough.rawValue)", displayName: "\(borough.name) borough feed", role: Role.boroughOfficer.rawValue,
                    unit: borough.rawValue, trainingCompletedOn: trainedOn(runtime), permissions: [Permission.sensitiveData.rawValue]),
                approvedBy: dpo)
            let batch = makeBatch(borough: borough, subjects: count, today: today, sources: sources, random: &random)
            let outcome = try await runtime.register.recordBatch(batch, by: feed, for: purpose)
            recorded += outcome.records
            people += outcome.subjects.count
            replayed.append(.init(unit: borough, batch: batch, outcome: outcome, officer: feed))
        }
        let governance = try await DemoGovernance.replay(runtime, boroughs: replayed, random: &random)
        var identityFile: URL?
        if case .sqlite(let path) = runtime.location, path != ":memory:" {
            identityFile = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("demo-partner-hackney-yot.agekey")
        }
        let sharing = try await DemoSharing.load(into: runtime, identityFile: identityFile)
        let equality = try await DemoEquality.answerOneAlert(runtime, dpo: dpo)
        let planted = try await DemoDuplicates.plant(runtime, boroughs: replayed)
        let (scan, found) = try await DemoDuplicates.scan(runtime, planted: planted)
        say(
            String(
                format: "Demo data: %d synthetic subjects and %d records across %d boroughs in %.1f s.",
                people, recorded, Borough.allCases.count, Date().timeIntervalSince(started)))
        say(
            "Governance replayed over the last five months: \(governance.included) people included, \(governance.rejected) proposals rejected, \(governance.removed) removed; proposals short of the threshold were refused and not recorded."
        )
        say(
            "Equality monitoring: a SYNTHETIC baseline population; Black people over-recorded in \(DemoEquality.plantedBias.keys.map(\.name).sorted().joined(separator: ", ")); \(equality.raised) alert(s) raised, \(equality.waiting) awaiting a response (see /equality as dpo)."
        )
        say(
            "Duplicates: \(planted.count) people planted in a second borough under other spellings; the scan compared \(scan.compared) pairs and queued \(scan.candidates), \(found) of the \(planted.count) planted pairs among them (see /duplicates as analyst)."
        )
        say(sharing + (identityFile.map { " The partner's age identity (demo only): \($0.path)" } ?? ""))
        say("Demo users sign in to the pages with the password \(demoPassword).")
        say("Their API tokens (valid 30 days; send as Authorization: Bearer TOKEN):")
        for (u, token) in tokens {
            say(
                "  \(u.username.padding(toLength: 24, withPad: " ", startingAt: 0)) \(u.role.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \(u.unit.padding(toLength: 9, withPad: " ", startingAt: 0)) \(token)"
            )
        }
    }

    public static func makeBatch(
        borough: Borough, subjects count: Int, today: LocalDate, sources: [String: SourceID] = [:], random r: inout SeededRandom
    ) -> RecordBatch {
        var batch = RecordBatch()
        let postcode = DemoVocabulary.postcodes[borough] ?? "SE1"
        var nominals: [String] = []
        var protected: [String] = []
        var adults = Set<String>()
        for i in 0..<count {
            let ref = "s\(i)"
            let isProtected = r.chance(0.28)
            let female = r.chance(isProtected ? 0.45 : 0.12)
            let age =
                isProtected
                ? Int.random(in: 9...55, using: &r)
                : r.weighted([
                    (Int.random(in: 14...17, using: &r), 2), (Int.random(in: 18...24, using: &r), 5),
                    (Int.random(in: 25...38, using: &r), 3),
                ])
            let dob = LocalDate(knownValid: today.year - age - 1, Int.random(in: 1...12, using: &r), Int.random(in: 1...28, using: &r))
            if dob.age(on: today) >= 18 { adults.insert(ref) }
            let given = r.pick(female ? DemoVocabulary.givenFemale : DemoVocabulary.givenMale)
            let ic = DemoEquality.officerEthnicity(borough, random: &r)
            let census: [String: [String]] = [
                "IC1": ["white-british", "white-other", "white-irish"], "IC2": ["white-other", "white-roma"],
                "IC3": ["black-african", "black-caribbean", "black-other", "mixed-white-black-caribbean"],
                "IC4": ["asian-bangladeshi", "asian-pakistani", "asian-indian"], "IC5": ["asian-chinese", "asian-other"],
                "IC6": ["other-arab", "other-any"], "unknown": ["not-stated"],
            ]
            batch.subjects.append(
                .init(
                    ref: ref,
                    draft: SubjectDraft(
                        names: [.init(given: given, family: r.pick(DemoVocabulary.family))],
                        aliases: r.chance(0.15) ? [r.pick(DemoVocabulary.givenMale) + " " + r.pick(DemoVocabulary.family)] : [],
                        nickname: !isProtected && r.chance(0.35) ? r.pick(DemoVocabulary.nicknames) : nil,
                        dateOfBirth: dob.description,
                        addresses: [
                            "\(Int.random(in: 1...180, using: &r)) \(r.pick(DemoVocabulary.streetWords)) \(r.pick(DemoVocabulary.streetTypes)), London \(postcode) \(Int.random(in: 1...9, using: &r))\(r.pick(["AB", "DX", "HQ", "LR", "TN", "WZ"]))"
                        ],
                        pncID: !isProtected && r.chance(0.7)
                            ? String(
                                format: "%02d/%07d%@", Int.random(in: 5...25, using: &r), Int.random(in: 1...9_999_999, using: &r),
                                r.pick(["A", "B", "C", "D", "E", "F", "H", "J", "K", "L"])) : nil,
                        sex: female ? "female" : "male",
                        officerDefinedEthnicity: r.chance(0.9) ? ic : nil,
                        selfDefinedEthnicity: r.chance(0.6)
                            ? r.pick(census[ic, default: ["not-stated"]]) : (r.chance(0.5) ? "not-stated" : nil))))
            if isProtected { protected.append(ref) } else { nominals.append(ref) }
        }
        if protected.isEmpty { protected = nominals }
        if nominals.isEmpty { nominals = protected }

        var suspectMatters: [String: [(String, OffenceType?)]] = [:]
        for m in 0..<Int(Double(count) * 1.4) {
            let ref = "m\(m)"
            let kind = r.weighted([("offence", 0.7), ("incident", 0.2), ("intelligence-report", 0.1)])
            let offence: OffenceType? =
                kind == "offence"
                ? r.weighted([
                    (.robbery, 3), (.grievousBodilyHarm, 2), (.actualBodilyHarm, 3), (.bladedArticlePossession, 3),
                    (.firearmsPossession, 1), (.drugSupply, 3), (.commonAssault, 2), (.threatsToKill, 1),
                    (.attemptedMurder, 0.3), (.murder, 0.1), (.burglary, 1),
                ]) : nil
            let daysAgo = Int.random(in: 5...1100, using: &r)
            let occurred = LocalDate(Date().addingTimeInterval(-Double(daysAgo) * 86_400))
            let reference =
                switch kind {
                case "offence": String(format: "CRIS-%07d/%02d", Int.random(in: 1...9_999_999, using: &r), occurred.year % 100)
                case "incident":
                    String(
                        format: "CAD-%04d-%02d%02d%02d", Int.random(in: 1...9999, using: &r), occurred.day, occurred.month,
                        occurred.year % 100)
                default: String(format: "IR-%06d", Int.random(in: 1...999_999, using: &r))
                }
            batch.matters.append(
                .init(
                    ref: ref,
                    draft: MatterDraft(
                        kind: kind, reference: reference, offence: offence?.rawValue, occurredOn: occurred.description,
                        basis: kind == "intelligence-report" ? "assessment" : "fact")))
            let suspect = r.pick(nominals)
            let convicted = kind == "offence" && daysAgo > 365 && r.chance(0.4)
            batch.links.append(.init(subject: suspect, matter: ref, category: convicted ? "convicted" : "suspect"))
            suspectMatters[suspect, default: []].append((ref, offence))
            if r.chance(0.25) {
                let other = r.pick(nominals)
                if other != suspect {
                    batch.links.append(.init(subject: other, matter: ref, category: "suspect"))
                    suspectMatters[other, default: []].append((ref, offence))
                }
            }
            if kind != "intelligence-report", r.chance(0.55) {
                let victim = r.chance(0.65) ? r.pick(protected) : r.pick(nominals)
                if victim != suspect { batch.links.append(.init(subject: victim, matter: ref, category: "victim")) }
            }
            if r.chance(0.2) {
                let witness = r.pick(protected)
                if witness != suspect { batch.links.append(.init(subject: witness, matter: ref, category: "witness")) }
            }
            if r.chance(0.03) {
                let other = r.pick(protected)
                if other != suspect { batch.links.append(.init(subject: other, matter: ref, category: "other")) }
            }
        }
        // Links are unique per subject, matter and category.
        var seen = Set<String>()
        batch.links = batch.links.filter { seen.insert("\($0.subject)|\($0.matter)|\($0.category)").inserted }

        var item = 0
        for ref in nominals + protected {
            let isNominal = suspectMatters[ref] != nil
            let n = isNominal ? Int.random(in: 1...3, using: &r) : (r.chance(0.4) ? 1 : 0)
            var weaponIntel: String?
            for _ in 0..<n {
                let iref = "i\(item)"
                item += 1
                let text = String(format: r.pick(DemoVocabulary.intelligenceTexts), r.pick(DemoVocabulary.places))
                let source = r.weighted([("police", 0.5), ("partner", 0.2), ("community", 0.15), ("social-media", 0.15)])
                let grade: GradeDraft
                if r.chance(0.05) {
                    grade = GradeDraft(
                        scheme: "5x5x5", source: r.pick(["A", "B", "C", "D", "E"]), assessment: r.pick(["1", "2", "3", "4"]),
                        handling: r.pick(["1", "2", "3", "4", "5"]))
                } else {
                    let handling = r.chance(0.2) ? "C" : "P"
                    grade = GradeDraft(
                        source: r.weighted([("1", 0.3), ("2", 0.55), ("3", 0.15)]),
                        assessment: r.weighted([("A", 0.15), ("B", 0.3), ("C", 0.35), ("D", 0.15), ("E", 0.05)]),
                        handling: handling, conditions: handling == "C" ? r.pick(DemoVocabulary.handlingConditions) : nil)
                }
                var social: IntelligenceDraft.SocialMedia?
                if source == "social-media" {
                    let captured = Date().addingTimeInterval(-Double(Int.random(in: 2...700, using: &r)) * 86_400)
                    social = .init(
                        locator:
                            "https://social.example/@\(r.pick(DemoVocabulary.nicknames).lowercased())\(Int.random(in: 10...999, using: &r))/posts/\(Int.random(in: 100_000...999_999, using: &r))",
                        capturedAt: ISO8601DateFormatter().string(from: captured), captureMethod: r.pick(DemoVocabulary.captureMethods),
                        contentSHA256: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &r)) }.joined(),
                        attributionBasis: r.pick(DemoVocabulary.attribution),
                        authorisationReference: r.chance(0.5)
                            ? String(
                                format: "DSA-%d-%04d", today.year - Int.random(in: 0...2, using: &r), Int.random(in: 1...9999, using: &r))
                            : "Not required: single view of an open profile, assessed by the borough's OSINT lead")
                }
                // Partner and community reports cite their registered source; police items are their unit's own.
                let cited: SourceID? =
                    switch source {
                    case "partner": sources[r.pick(DemoVocabulary.partnerSources)]
                    case "community": sources[DemoVocabulary.communitySource]
                    default: nil
                    }
                batch.intelligence.append(
                    .init(
                        ref: iref, subject: ref,
                        draft: IntelligenceDraft(
                            subjectID: "", text: text, grade: grade, sourceType: source,
                            sourceID: cited?.description, socialMedia: social)))
                if text.contains("blad") || text.contains("weapon") { weaponIntel = iref }
            }
            // Flags go on adults only: a child is flagged through the child route, never in a feed.
            if let matters = suspectMatters[ref], r.chance(0.35), adults.contains(ref) {
                if let firearm = matters.first(where: { $0.1 == .firearmsPossession }) {
                    batch.flags.append(.init(subject: ref, kind: "prolific-firearms-offender", intelligence: [], matters: [firearm.0]))
                } else if let knife = matters.first(where: { $0.1 == .bladedArticlePossession }) {
                    batch.flags.append(
                        .init(subject: ref, kind: "knife-carrier", intelligence: weaponIntel.map { [$0] } ?? [], matters: [knife.0]))
                }
            }
        }
        return batch
    }
}
