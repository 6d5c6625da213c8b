@_spi(Storage) import CustodianCore
import Foundation

/// Replays five months of governance over the demo register, through the same use cases at the
/// times they would have happened: inclusions proposed with their evidence and decided by a
/// second person (some rejected, with reasons), reviews, removals approved by a SPOC, and the
/// sweep that suspends overdue reviews and forces removal reviews for people scoring zero. The
/// dashboard then shows real figures. Audit entries of the replay carry the replayed times.
enum DemoGovernance {
    struct Borough: Sendable {
        let unit: CustodianCore.Borough
        let batch: RecordBatch
        let outcome: BatchOutcome
        let officer: User
    }

    static let rejectionReasons = [
        "Both sources trace back to the same informant: not independent",
        "Intelligence is over a year old and uncorroborated since",
        "Victim in the most recent matter; safeguarding referral instead",
        "Evidence shows association only, not involvement in violence",
    ]

    static func replay(_ runtime: Runtime, boroughs: [Borough], random r: inout SeededRandom) async throws -> (
        included: Int, rejected: Int, removed: Int
    ) {
        let live = runtime.register
        let now = live.clock.now()
        func at(_ daysAgo: Int) -> Register {
            Register(
                store: live.store, ledger: live.ledger, keyring: live.keyring, keys: live.keys,
                clock: .fixed(now.adding(seconds: -Int64(daysAgo) * 86_400 + Int64.random(in: 0...36_000, using: &r))), ids: live.ids)
        }
        let purpose = StatedPurpose(purpose: .registerReview, justification: "Synthetic demo: replayed borough panel decisions")
        // Sweeps at these ages, oldest first, so low-score spells start early enough to force reviews.
        var sweeps = [150, 120, 90, 60, 30, 0]
        var events: [(daysAgo: Int, run: @Sendable () async throws -> Void)] = []
        var spocs: [CustodianCore.Borough: User] = [:]
        // The borough's gangs unit proposes on what the feed recorded: evidence its proposer
        // entered alone would corroborate nothing.
        var proposers: [CustodianCore.Borough: User] = [:]
        let dpo = try await DemoData.user("dpo", runtime)
        for b in boroughs {
            proposers[b.unit] = try await runtime.directory.admit(
                UserDraft(
                    username: "gangs.\(b.unit.rawValue)", displayName: "\(b.unit.name) gangs unit officer",
                    role: Role.boroughOfficer.rawValue, unit: b.unit.rawValue, trainingCompletedOn: DemoData.trainedOn(runtime)),
                approvedBy: dpo)
            spocs[b.unit] = try await runtime.directory.admit(
                UserDraft(
                    username: "panel.\(b.unit.rawValue)", displayName: "\(b.unit.name) panel SPOC", role: Role.boroughSPOC.rawValue,
                    unit: b.unit.rawValue, trainingCompletedOn: DemoData.trainedOn(runtime)),
                approvedBy: dpo)
        }
        for b in boroughs {
            let enforcement = Dictionary(
                grouping: b.batch.links.filter { $0.category == "suspect" || $0.category == "convicted" }, by: \.subject)
            let intelligence = Dictionary(grouping: b.batch.intelligence, by: \.subject)
            // Mostly people a registered source corroborates, and a few with only the borough's
            // own reporting, whose proposals the threshold refuses.
            let withIntelligence = enforcement.keys.sorted().filter { intelligence[$0] != nil }
            let corroborated = withIntelligence.filter { intelligence[$0]?.contains { $0.draft.sourceID != nil } == true }
            let candidates =
                corroborated.prefix(max(3, enforcement.count / 3))
                + withIntelligence.filter { !corroborated.contains($0) }.prefix(2)
            for ref in candidates {
                guard let subject = b.outcome.subjects[ref] else { continue }
                let draft = InclusionDraft(
                    subjectID: subject.description,
                    intelligenceIDs: (intelligence[ref] ?? []).compactMap { b.outcome.intelligence[$0.ref]?.description },
                    matterIDs: (enforcement[ref] ?? []).compactMap { b.outcome.matters[$0.matter]?.description },
                    rationale: "Synthetic demo: violence linked and corroborated by a second source")
                let age = r.pick([150, 140, 125, 110, 100, 95, 85, 70, 45, 20])
                let reject = r.chance(0.12)
                let remove = !reject && age >= 110 && r.chance(0.12)
                let retain = !reject && !remove && age >= 110 && r.chance(0.5)
                let reason = r.pick(rejectionReasons)
                let (proposer, spoc) = (at(age), at(age - 1))
                let (reviewer, approver) = (at(age - 92), at(age - 93))
                let officer = proposers[b.unit, default: b.officer]
                let panel = spocs[b.unit, default: b.officer]
                events.append(
                    (
                        age,
                        {
                            // Proposals short of the threshold are refused and so never recorded: the demo skips them.
                            guard let proposal = try? await proposer.proposeInclusion(draft, by: officer, for: purpose) else { return }
                            let decided = try await spoc.decideInclusion(
                                proposal.id, approve: !reject,
                                reason: reject ? reason : "Threshold met at the borough panel", by: panel, for: purpose)
                            guard decided.status == .included else { return }
                            if remove {
                                _ = try await reviewer.review(
                                    proposal.id, outcome: .remove, rationale: "No violence linked since inclusion; removal proposed",
                                    by: officer, for: purpose)
                                try await approver.decideRemoval(
                                    proposal.id, approve: true, reason: "Agreed at the quarterly review", by: panel, for: purpose)
                            } else if retain {
                                _ = try await reviewer.review(
                                    proposal.id, outcome: .retain, rationale: "Still active: new partner intelligence this quarter",
                                    by: officer, for: purpose)
                            }
                        }
                    ))
            }
        }
        // Each proposal's own steps run in order; proposals and sweeps interleave by date.
        events.sort { $0.daysAgo > $1.daysAgo }
        for event in events {
            while let next = sweeps.first, next > event.daysAgo {
                _ = try await at(next).sweep()
                sweeps.removeFirst()
            }
            try await event.run()
        }
        for age in sweeps { _ = try await at(age).sweep() }
        return try await live.store.transaction { tx in
            (
                try await tx.inclusions(units: nil, statuses: [.included]).count,
                try await tx.inclusions(units: nil, statuses: [.rejected]).count,
                try await tx.erasures(from: now.day.adding(days: -200), until: now.day).values.reduce(0, +)
            )
        }
    }
}
