import Crypto

/// One borough's figures (or London's, summed), for governance and SPOCs: how the rulebook is
/// being applied, side by side, so a borough that drifts shows (G3).
public struct BoroughFigures: Sendable, Equatable {
    public let unit: Scope
    public var included = 0
    public var zeroScore = 0
    public var reviewsDue = 0
    public var reviewsOverdue = 0
    public var suspended = 0
    public var removalReviewsForced = 0
    public var removals = 0
    /// Removals whose recall some recipient has not yet confirmed deleted: not complete until they do.
    public var removalsAwaitingConfirmation = 0
    public var rejected = 0
    /// Why inclusions were rejected in the period: the decision reasons, no names.
    public var rejectionReasons: [String] = []

    public init(unit: Scope) { self.unit = unit }

    /// The share of included people whose latest score is zero: the Matrix's 40%.
    public var zeroScoreShare: Double { included == 0 ? 0 : Double(zeroScore) / Double(included) }

    mutating func add(_ other: BoroughFigures) {
        included += other.included
        zeroScore += other.zeroScore
        reviewsDue += other.reviewsDue
        reviewsOverdue += other.reviewsOverdue
        suspended += other.suspended
        removalReviewsForced += other.removalReviewsForced
        removals += other.removals
        removalsAwaitingConfirmation += other.removalsAwaitingConfirmation
        rejected += other.rejected
    }
}

public struct Dashboard: Sendable, Equatable {
    public let from: LocalDate
    public let until: LocalDate
    public let rulebookVersion: Int
    public let boroughs: [BoroughFigures]
    public let london: BoroughFigures
    /// Rights requests past their statutory deadline, for governance (nil for a SPOC's board).
    public let rightsRequestsOverdue: Int?
    /// Retention reviews the sweep raised that governance has not decided (governance only).
    public let retentionReviewsAwaiting: Int?
    /// Where the register stands on its DPIA (governance only).
    public let dpia: DPIAStanding?
    /// Breaches whose 72-hour clock runs, soonest deadline first, with hours left (governance only).
    public let breachClocks: [BreachClock]?
    /// Equality alerts awaiting a documented response (governance only); any blocks a rulebook approval.
    public let equalityAlertsAwaiting: Int?
}

/// A breach whose notification decision is still to be made, and how long is left.
public struct BreachClock: Sendable, Equatable {
    public let id: BreachID
    public let hoursLeft: Int
}

extension Register {
    /// Per-borough figures and London's beside them. Governance sees every borough; a SPOC sees
    /// their own beside London's. Counts only: no list of people, removed or otherwise.
    public func dashboard(from: LocalDate, until: LocalDate, by actor: User, for purpose: StatedPurpose) async throws -> Dashboard {
        var v = Validator()
        v.check(from <= until, "until", "date.order", "until must not be before from")
        try v.finish()
        return try await perform(actor, purpose, action: .dashboardRead, .consultation) { tx, gate in
            let allowed = AccessPolicy.reach(actor)
            let rulebook = try await rulebook(tx)
            var figures = Dictionary(
                Borough.allCases.map { ($0, BoroughFigures(unit: .borough($0))) }, uniquingKeysWith: { first, _ in first })
            let start = Timestamp(from.startOfDay)
            let end = Timestamp(until.adding(days: 1).startOfDay)
            // Harm assessments read for everyone at once (London holds thousands); keys only for
            // what must be opened: rejections (for their date and reason) and assessments written
            // before their rows said whether the score was zero.
            let held = try await tx.inclusions(units: nil, statuses: [.included, .rejected])
            let harms = try await tx.latestHarmAssessments(subjects: held.filter { $0.status == .included }.map(\.subjectID))
            let keys = try await subjectKeys(
                held.filter { $0.status == .rejected || harms[$0.subjectID].map { HarmRowKind.isZero($0.kind) == nil } == true }.map(
                    \.subjectID))
            for sealed in held {
                if sealed.status == .rejected {
                    let inclusion = try openInclusion(sealed, key: try keys.key(for: sealed.subjectID))
                    guard let decision = inclusion.decisions.last, decision.at >= start, decision.at < end else { continue }
                    figures[sealed.unit, default: BoroughFigures(unit: .borough(sealed.unit))].rejected += 1
                    if allowed.contains(sealed.unit) {
                        figures[sealed.unit, default: BoroughFigures(unit: .borough(sealed.unit))].rejectionReasons.append(decision.reason)
                    }
                    continue
                }
                var f = figures[sealed.unit, default: BoroughFigures(unit: .borough(sealed.unit))]
                f.included += 1
                // Standing from the columns kept in clear: only the harm score is opened.
                switch sealed.reviewStanding(on: gate.now.day, under: rulebook) {
                case .due: f.reviewsDue += 1
                case .overdue: f.reviewsOverdue += 1
                case .suspended, .notDue: break
                }
                if sealed.suspendedOn != nil { f.suspended += 1 }
                if sealed.removalReviewRequired { f.removalReviewsForced += 1 }
                if let harm = harms[sealed.subjectID],
                    try HarmRowKind.isZero(harm.kind) ?? (openHarm(harm, key: try keys.key(for: sealed.subjectID)).score == 0)
                {
                    f.zeroScore += 1
                }
                figures[sealed.unit] = f
            }
            for (unit, count) in try await tx.erasures(from: from, until: until) { figures[unit]?.removals += count }
            for recall in try await tx.recalls(partner: nil) where recall.reason == .removal && recall.isOutstanding {
                figures[recall.unit]?.removalsAwaitingConfirmation += 1
            }
            var london = BoroughFigures(unit: .central)
            for f in figures.values { london.add(f) }
            let overdueRights =
                AccessPolicy.central(actor) ? try await tx.rightsRequests().filter { $0.isOverdue(on: gate.now.day) }.count : nil
            let retention = AccessPolicy.central(actor) ? try await retentionReviewsAwaiting(tx) : nil
            let clocks =
                AccessPolicy.central(actor)
                ? try await tx.breaches().compactMap { b in b.hoursLeft(at: gate.now).map { BreachClock(id: b.id, hoursLeft: $0) } }
                    .sorted { $0.hoursLeft < $1.hoursLeft } : nil
            let dpia =
                AccessPolicy.central(actor)
                ? DPIAStanding(inForce: try await tx.approvedDPIAs().first { $0.isInForce(on: gate.now.day) }, today: gate.now.day) : nil
            let alerts =
                AccessPolicy.central(actor) ? try await tx.equalityAlerts().filter { $0.isAwaitingResponse(on: gate.now.day) }.count : nil
            try await tx.appendAudit([gate.entry(.consultation, touched: [.whole(.dashboard)])])
            return Dashboard(
                from: from, until: until, rulebookVersion: rulebook.version,
                boroughs: allowed.map { figures[$0, default: BoroughFigures(unit: .borough($0))] }, london: london,
                rightsRequestsOverdue: overdueRights, retentionReviewsAwaiting: retention, dpia: dpia, breachClocks: clocks,
                equalityAlertsAwaiting: alerts)
        }
    }
}
