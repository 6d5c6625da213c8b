import ArgumentParser
import Crypto
import CustodianApp
import CustodianCore
import CustodianStorage
import Foundation
import SQLKit
import Synchronization

/// The register's everyday reads over N synthetic people (each with a matter and ten graded
/// intelligence items, spread over London's boroughs, every record written through the register's
/// own batch path and so logged): each arm as median and p99 beside the database's own primary-key
/// read in the same run, and bytes per person. `--curve` runs N/100, N/10 and N, to show how each
/// figure grows.
struct RegisterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register", abstract: "Lookups, search, list pages, share checks, the sweep and the dashboard over N people.")

    @Option(
        help:
            "A PostgreSQL URL (a throw-away database: the bench makes and drops its own schema); SQLite otherwise. Also CUSTODIAN_BENCH_POSTGRES_URL."
    )
    var postgres: String? = ProcessInfo.processInfo.environment["CUSTODIAN_BENCH_POSTGRES_URL"]
    @Option(help: "Synthetic people on the register.") var subjects = 1_000_000
    @ArgumentParser.Flag(help: "Also run N/100 and N/10, each on a register of its own: the cost curve.") var curve = false
    @Option(help: "Timed runs of each of the quick arms (lookup, search, list page).") var runs = 200
    @Option(help: "People each of the review sweep's writes decides (the register's own figure unless given).")
    var sweepPerWrite = Register.sweepPeoplePerWrite
    @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

    struct Arm: Codable {
        var name: String
        var medianMs: Double
        var p99Ms: Double
        var targetP99Ms: Double?
        var targetMet: Bool?
    }

    struct Figures: Codable {
        var database = ""
        var subjects = 0
        var records = 0
        var auditEntries = 0
        var loadSeconds = 0.0
        var loadRecordsPerSecond = 0.0
        /// People included (proposed, approved by their borough's SPOC, harm assessed), and how long that took.
        var included = 0
        var inclusionSeconds = 0.0
        var bytesPerSubject = 0.0
        /// PostgreSQL's vacuum and checkpoint after the load, before the timing (`BenchRegister.settle`).
        var settleSeconds = 0.0
        var arms: [Arm] = []
        var allTargetsMet: Bool { arms.allSatisfy { $0.targetMet ?? true } }
    }

    static let purpose = StatedPurpose(purpose: .violencePrevention, justification: "Benchmark: everyday reads of a synthetic register")

    func validate() throws {
        guard subjects >= 100 else { throw ValidationError("--subjects must be at least 100") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        let sizes = curve ? [subjects / 100, subjects / 10, subjects].filter { $0 >= 100 } : [subjects]
        var all: [Figures] = []
        for size in sizes {
            let bench = try await BenchRegister.open(postgres: postgres)
            do {
                all.append(try await measure(bench, size: size))
                try await bench.close()
            } catch {
                try? await bench.close()
                throw error
            }
            if !json { print(all[all.count - 1]) }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            say(String(decoding: try encoder.encode(all), as: UTF8.self))
        } else if all.count > 1, let first = all.first, let last = all.last {
            say("Cost curve, \(first.subjects) to \(last.subjects) people (\(last.subjects / max(first.subjects, 1))x the people):")
            for (i, arm) in last.arms.enumerated() where i < first.arms.count {
                let growth = first.arms[i].medianMs > 0 ? arm.medianMs / first.arms[i].medianMs : 0
                say(
                    "  " + Self.padded(arm.name)
                        + String(format: " median %8.2f ms -> %8.2f ms (%.1fx)", first.arms[i].medianMs, arm.medianMs, growth))
            }
            say("  " + Self.padded("bytes per person") + String(format: " %8.0f -> %8.0f", first.bytesPerSubject, last.bytesPerSubject))
        }
    }

    private func print(_ f: Figures) {
        say(
            "\(f.subjects) people on \(f.database): \(f.records) records and \(f.auditEntries) audit entries loaded in "
                + String(format: "%.0f s (%.0f records/s), %.0f bytes per person", f.loadSeconds, f.loadRecordsPerSecond, f.bytesPerSubject)
                + String(format: "; %d included in %.0f s; settled in %.0f s", f.included, f.inclusionSeconds, f.settleSeconds)
        )
        for arm in f.arms {
            let target =
                arm.targetP99Ms.map { String(format: "  target p99 <= %.0f ms: %@", $0, (arm.targetMet ?? false) ? "met" : "NOT met") }
                ?? ""
            say("  " + Self.padded(arm.name) + String(format: " median %8.2f ms, p99 %8.2f ms", arm.medianMs, arm.p99Ms) + target)
        }
    }

    /// Loads `size` people, then times each arm.
    private func measure(_ bench: BenchRegister, size: Int) async throws -> Figures {
        let register = bench.register
        try await bench.adoptDPIA()
        let governance = try await bench.user("bench.governance", .governance)
        let boroughs = Borough.allCases
        var officers: [Borough: User] = [:]
        var feeds: [Borough: User] = [:]
        var spocs: [Borough: User] = [:]
        // Partners' reports cite one registered source, handled centrally; each borough's feed
        // records them and its officer proposes, so the two lines of reporting are independent.
        let partnerSource = try await register.registerSource(
            SourceDraft(
                kind: "partner-organisation", label: "Bench Youth Offending Team", owner: "Bench partnership desk", handlerUnit: "central",
                reliability: "2", rationale: "Synthetic benchmark partner"),
            by: try await bench.user("bench.sources", .sourceUnit))
        for borough in boroughs {
            officers[borough] = try await bench.user("bench.\(borough.rawValue)", .boroughOfficer, borough.rawValue)
            feeds[borough] = try await bench.user("bench.feed.\(borough.rawValue)", .boroughOfficer, borough.rawValue)
            spocs[borough] = try await bench.user("bench.spoc.\(borough.rawValue)", .boroughSPOC, borough.rawValue)
        }
        var f = Figures()
        (f.database, f.subjects) = (bench.database, size)

        // Every record through the register's batch path, a borough's chunk at a time.
        var people: [(id: SubjectID, unit: Borough, family: String)] = []
        var toInclude: [Candidate] = []
        var random = SeededRandom(seed: 16)
        let today = register.clock.now().day
        let started = ContinuousClock.now
        let chunk = 500
        var made = 0
        while made < size {
            let borough = boroughs[(made / chunk) % boroughs.count]
            guard let feed = feeds[borough] else { break }
            var batch = RecordBatch()
            var families: [String: String] = [:]
            for n in made..<min(made + chunk, size) {
                let family = random.pick(DemoVocabulary.family)
                families["s\(n)"] = family
                let born = today.adding(days: -(19 * 365 + Int.random(in: 0...(20 * 365), using: &random)))
                batch.subjects.append(
                    .init(
                        ref: "s\(n)",
                        draft: SubjectDraft(
                            names: [.init(given: random.pick(DemoVocabulary.givenMale), family: family)], aliases: [], nickname: nil,
                            dateOfBirth: born.description, addresses: [], pncID: nil, sex: "male", sourceType: "police")))
                batch.matters.append(
                    .init(
                        ref: "m\(n)",
                        draft: MatterDraft(
                            kind: "offence", reference: "CRIS-\(n)", offence: "robbery", occurredOn: today.adding(days: -30).description)))
                batch.links.append(.init(subject: "s\(n)", matter: "m\(n)", category: "suspect"))
                for k in 0..<10 {
                    batch.intelligence.append(
                        .init(
                            ref: "i\(n)-\(k)", subject: "s\(n)",
                            draft: IntelligenceDraft(
                                subjectID: "", text: "Seen near the estate with associates (report \(k))",
                                grade: GradeDraft(source: "2", assessment: "B", handling: "P"), sourceType: "partner",
                                sourceID: partnerSource.id.description)))
                }
            }
            let outcome = try await register.recordBatch(batch, by: feed, for: Self.purpose)
            for (ref, id) in outcome.subjects { people.append((id, borough, families[ref] ?? "")) }
            for n in stride(from: made, to: min(made + chunk, size), by: Self.includedOneIn) {
                if let subject = outcome.subjects["s\(n)"], let matter = outcome.matters["m\(n)"],
                    let item = outcome.intelligence["i\(n)-0"]
                {
                    toInclude.append(Candidate(subject: subject, matter: matter, item: item, unit: borough))
                }
            }
            f.records += outcome.records
            made += chunk
        }
        f.loadSeconds = seconds(since: started)
        f.loadRecordsPerSecond = Double(f.records) / f.loadSeconds
        let including = ContinuousClock.now
        try await include(toInclude, officers: officers, spocs: spocs, register)
        (f.included, f.inclusionSeconds) = (toInclude.count, seconds(since: including))
        f.auditEntries = try await bench.driver.transaction { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
        f.bytesPerSubject = Double(try await bench.bytesOnDisk()) / Double(size)
        let settling = ContinuousClock.now
        try await bench.settle()
        f.settleSeconds = seconds(since: settling)

        // The machine's own figure: one primary-key read through the same driver.
        var pick = SeededRandom(seed: 99)
        func anyone() -> (id: SubjectID, unit: Borough, family: String) { people[Int.random(in: 0..<people.count, using: &pick)] }
        let raw = try await BenchTiming.run(runs) {
            let id = anyone().id.description
            _ = try await bench.driver.transaction { db in
                try await db.select().column("id").from("subjects").where("id", .equal, id).first()
            }
        }
        f.arms.append(Arm(name: "baseline: one primary-key read", medianMs: raw.median, p99Ms: raw.p99))
        let lookup = try await BenchTiming.run(runs) {
            let person = anyone()
            guard let officer = officers[person.unit] else { return }
            _ = try await register.subject(person.id, by: officer, for: Self.purpose)
        }
        f.arms.append(Self.arm("subject lookup by id (decrypted, logged)", lookup, target: 10))
        let search = try await BenchTiming.run(runs) {
            let person = anyone()
            guard let officer = officers[person.unit] else { return }
            _ = try await register.searchSubjects(name: person.family, dateOfBirth: nil, by: officer, for: Self.purpose)
        }
        f.arms.append(Self.arm("name search in a borough", search, target: 50))
        let list = try await BenchTiming.run(runs) {
            guard let officer = officers[anyone().unit] else { return }
            _ = try await register.listSubjects(before: nil, by: officer, for: Self.purpose)
        }
        f.arms.append(Self.arm("a borough's list page (25 people)", list))

        // Fifty people of the borough holding most: a request names one borough's people.
        let largest = Dictionary(grouping: people, by: \.unit).max { $0.value.count < $1.value.count }
        let fifty = (largest?.value ?? []).prefix(50).map(\.id.description)
        if let unit = largest?.key, let requester = officers[unit], fifty.count == 50 {
            let (agreement, partner) = try await sharingWorld(bench, governance)
            let share = try await BenchTiming.run(max(3, runs / 20)) {
                _ = try await register.requestShare(
                    ShareDraft(agreementID: agreement.description, partnerID: partner.description, subjectIDs: fifty), by: requester,
                    for: Self.purpose)
            }
            f.arms.append(Self.arm("share eligibility of 50 people", share))
        }
        let perWrite = sweepPerWrite
        let sweep = try await BenchTiming.run(3) { _ = try await register.sweep(peoplePerWrite: perWrite) }
        f.arms.append(Self.arm("the review sweep over London", sweep))
        // Officers go on working while it runs: their lookups, timed for as long as it lasts.
        let sample = (0..<1000).compactMap { _ in
            let p = anyone()
            return officers[p.unit].map { (p.id, $0) }
        }
        let sweeping = Flag()
        let meanwhile = try await withThrowingTaskGroup(of: BenchTiming?.self) { group in
            group.addTask {
                defer { sweeping.lower() }
                _ = try await register.sweep(peoplePerWrite: perWrite)
                return nil
            }
            group.addTask {
                var times: [Double] = []
                while sweeping.raised, !sample.isEmpty {
                    let (person, officer) = sample[times.count % sample.count]
                    let start = ContinuousClock.now
                    _ = try await register.subject(person, by: officer, for: Self.purpose)
                    times.append(seconds(since: start) * 1000)
                }
                return BenchTiming(sorted: times.sorted())
            }
            var timed: BenchTiming?
            for try await result in group { timed = timed ?? result }
            return timed
        }
        if let meanwhile { f.arms.append(Self.arm("subject lookup while the sweep runs", meanwhile, target: 10)) }
        let governancePurpose = StatedPurpose(purpose: .registerReview, justification: "Benchmark: the governance dashboard")
        let dashboard = try await BenchTiming.run(max(3, runs / 20)) {
            _ = try await register.dashboard(from: today.adding(days: -365), until: today, by: governance, for: governancePurpose)
        }
        f.arms.append(Self.arm("the governance dashboard (a year)", dashboard))
        // An equality impact assessment: one write that simulates everyone proposed or included
        // under the version in force and a proposed one.
        var proposal = try await register.rulebookVersions().inForce
        proposal.review.cadenceDays = 60
        let version = try await register.proposeRulebook(proposal, rationale: "Benchmark: a shorter review cadence", by: governance)
        let assessment = try await BenchTiming.run(max(3, runs / 20)) {
            _ = try await register.recordEqualityImpactAssessment(
                version: version.rulebook.version,
                impact: "A shorter cadence brings reviews forward for everyone included; no group is selected differently.",
                mitigation: "The quarterly report is watched for any change in removal rates by group after the change.",
                justification: nil, by: governance)
        }
        f.arms.append(Self.arm("an equality impact assessment (a write)", assessment))
        return f
    }

    /// One person in `includedOneIn` is on the register proper: the people its reviews, shares and
    /// dashboard are about.
    static let includedOneIn = 50

    struct Candidate: Sendable {
        let subject: SubjectID
        let matter: MatterID
        let item: IntelligenceID
        let unit: Borough
    }

    /// Each candidate proposed by their borough's officer on their matter and a partner's report,
    /// approved by the borough's SPOC and harm assessed, eight at a time (as many officers work).
    private func include(_ candidates: [Candidate], officers: [Borough: User], spocs: [Borough: User], _ register: Register)
        async throws
    {
        for start in stride(from: 0, to: candidates.count, by: 8) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in candidates[start..<min(start + 8, candidates.count)] {
                    guard let officer = officers[c.unit], let spoc = spocs[c.unit] else { continue }
                    group.addTask {
                        let proposed = try await register.proposeInclusion(
                            InclusionDraft(
                                subjectID: c.subject.description, intelligenceIDs: [c.item.description],
                                matterIDs: [c.matter.description], rationale: "A police matter and a partner's report"),
                            by: officer, for: Self.purpose)
                        _ = try await register.decideInclusion(
                            proposed.id, approve: true, reason: "Threshold met (recorded at panel)", by: spoc, for: Self.purpose)
                        _ = try await register.assessHarm(of: c.subject, by: officer, for: Self.purpose)
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// A partner and an approved agreement, for the share check.
    private func sharingWorld(_ bench: BenchRegister, _ governance: User) async throws -> (AgreementID, PartnerID) {
        let register = bench.register
        let recipient = try await bench.user("bench.partner", .partnerRecipient)
        let partner = try await register.registerPartner(
            PartnerDraft(
                name: "Bench Youth Offending Team", kind: "youth-offending-team", statutory: true, recipientIDs: [recipient.id.description],
                ageRecipient: AgeRecipient(publicKey: Curve25519.KeyAgreement.PrivateKey().publicKey).description), by: governance)
        let today = register.clock.now().day
        let agreement = try await register.draftAgreement(
            SharingAgreement(
                id: AgreementID(UUID()), title: "Bench diversion", partners: [partner.id], purpose: "Diverting young people from violence",
                legalPower: "Crime and Disorder Act 1998 s.115", fields: [.name, .dateOfBirth, .matters], categories: [.suspect],
                bands: [.red, .amber], safeguarding: false, handlingConditions: nil, onwardSharing: false, retentionDays: 60,
                securityTerms: "Held on the YOT case system only", signatories: ["Borough Commander", "YOT Manager"],
                startsOn: today.adding(days: -1), reviewOn: today.adding(days: 100), expiresOn: today.adding(days: 180), status: .draft,
                approvals: [], reviews: [], draftedBy: governance.id), by: governance)
        _ = try await register.approveAgreement(agreement.id, by: governance)
        _ = try await register.approveAgreement(agreement.id, by: try await bench.user("bench.board.second", .governance))
        return (agreement.id, partner.id)
    }

    /// Raised until one task says otherwise; read by another.
    final class Flag: Sendable {
        private let state = Atomic(true)
        var raised: Bool { state.load(ordering: .relaxed) }
        func lower() { state.store(false, ordering: .relaxed) }
    }

    static func padded(_ text: String) -> String { text.padding(toLength: 42, withPad: " ", startingAt: 0) }

    static func arm(_ name: String, _ t: BenchTiming, target: Double? = nil) -> Arm {
        Arm(name: name, medianMs: t.median, p99Ms: t.p99, targetP99Ms: target, targetMet: target.map { t.p99 <= $0 })
    }
}
