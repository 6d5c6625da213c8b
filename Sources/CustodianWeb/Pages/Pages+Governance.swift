import CustodianCore
import Foundation
import Hummingbird

/// Inclusion, review and removal from the subject's page, the borough's review queue, and the
/// dashboard. Each form calls the same use case as the API.
extension Pages {
    func governanceRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        let decision: [(value: String, label: String)] = [("", "Choose"), ("approve", "Approve"), ("reject", "Reject")]
        form(
            router, "inclusion", title: "Propose for inclusion", template: "subject-action", done: .inclusionProposed,
            describe: { view, _, _ in
                [
                    "heading": "Propose \(view.personal.displayName) for inclusion", "action": "/subjects/\(view.id)/inclusion/new",
                    "submit": "Propose", "showEvidence": true,
                    "intro": "A SPOC of the borough who is not you decides. A child (under 18) also needs central governance.",
                ]
            },
            fields: { _, _ in
                PageForm([
                    FormField("rationale", "Why this person should be on the register", .textarea, required: true),
                    FormField(
                        "safeguardingRationale", "Safeguarding rationale (children only)", .textarea,
                        hint: "Required for anyone under 18: how inclusion protects them, and the referrals made."),
                ])
            }
        ) { visitor, purpose, id, posted in
            _ = try await register.proposeInclusion(
                InclusionDraft(
                    subjectID: id.description, intelligenceIDs: posted.all("intelligenceIds"), matterIDs: posted.all("matterIds"),
                    rationale: posted["rationale"] ?? "", safeguardingRationale: posted.text("safeguardingRationale")),
                by: visitor.user, for: purpose)
        }
        form(
            router, "inclusion-decision", title: "Decide an inclusion", template: "subject-action", done: .inclusionDecided,
            describe: { view, user, purpose in
                // The second person decides on what the first wrote: the proposal whole, as the queue shows it.
                let waiting = try await register.inclusionQueue(by: user, for: purpose).first { $0.inclusion.subjectID == view.id }
                var c: [String: Any] = [
                    "heading": "Decide the inclusion of \(view.personal.displayName)", "submit": "Record decision",
                    "action": "/subjects/\(view.id)/inclusion-decision/new",
                    "intro": "Four eyes: the officer who proposed it cannot decide it. Your reason is kept with the decision.",
                ]
                if let waiting { c["proposal"] = Self.proposal(waiting) }
                return c
            },
            fields: { view, _ in
                inclusionForm(
                    view,
                    [
                        FormField("decision", "Decision", .select, required: true, options: decision),
                        FormField("reason", "Reason", .textarea, required: true),
                    ])
            }
        ) { visitor, purpose, _, posted in
            _ = try await register.decideInclusion(
                try inclusionID(posted), approve: try approval(posted), reason: posted["reason"] ?? "",
                by: visitor.user, for: purpose)
        }
        form(
            router, "review", title: "Record a review", template: "subject-action", done: .reviewRecorded,
            describe: { view, _, _ in
                [
                    "heading": "Review \(view.personal.displayName)", "submit": "Record review",
                    "action": "/subjects/\(view.id)/review/new",
                    "intro":
                        "Retain or change sets the next review date and lifts a suspension. Remove proposes removal: another SPOC approves it, and the record is then erased.",
                ]
            },
            fields: { view, _ in
                inclusionForm(
                    view,
                    [
                        FormField(
                            "outcome", "Outcome", .select, required: true,
                            options: [("", "Choose")] + Review.Outcome.allCases.map { ($0.rawValue, $0.rawValue.capitalizedFirst) }),
                        FormField("rationale", "Rationale", .textarea, hint: "At least 20 characters.", required: true),
                        FormField(
                            "removalRejected", "If removal review is due and you retain: why removal was rejected", .select,
                            options: [("", "Not a forced removal review")] + Review.RemovalRejected.allCases.map { ($0.rawValue, $0.label) }
                        ),
                    ])
            }
        ) { visitor, purpose, _, posted in
            guard let outcome = Review.Outcome(rawValue: posted["outcome"] ?? "") else {
                throw RegisterError.invalid([
                    FieldViolation(field: "outcome", rule: "review.outcome", message: "choose retain, change or remove")
                ])
            }
            _ = try await register.review(
                try inclusionID(posted), outcome: outcome, rationale: posted["rationale"] ?? "",
                removalRejected: posted.text("removalRejected").flatMap(Review.RemovalRejected.init(rawValue:)),
                by: visitor.user, for: purpose)
        }
        form(
            router, "removal", title: "Decide a removal", template: "subject-action", done: .removalDecided,
            describe: { view, user, purpose in
                var c: [String: Any] = [
                    "heading": "Decide the removal of \(view.personal.displayName)", "submit": "Record decision",
                    "action": "/subjects/\(view.id)/removal/new",
                    "intro":
                        "Approving erases this person's register data: their key is destroyed and every record about them deleted. It cannot be undone. The officer who proposed it cannot decide it.",
                ]
                // The decider sees the review that proposed it, and the score as it stands today.
                let history = try await register.history(of: view.id, by: user, for: purpose)
                if let proposed = history.reviews.last(where: { $0.review.outcome == .remove }) {
                    var removal: [String: Any] = [
                        "by": proposed.reviewerName, "on": Visitor.format(proposed.at), "rationale": proposed.review.rationale,
                    ]
                    removal.setIfHeld("score", proposed.review.score.map { String(format: "%.0f", $0) })
                    removal.setIfHeld(
                        "current",
                        view.harm.map { "\(String(format: "%.0f", $0.score)), \($0.band.rawValue) band, assessed \($0.assessedOn)" })
                    c["removalProposal"] = removal
                }
                return c
            },
            fields: { view, _ in
                inclusionForm(
                    view,
                    [
                        FormField("decision", "Decision", .select, required: true, options: decision),
                        FormField("reason", "Reason", .textarea, required: true),
                    ])
            },
            check: { view, form in
                // Only an approval erases; a rejection keeps the person as they are.
                guard form.value("decision") == "approve" else { return nil }
                return CheckAnswers(
                    heading: "Check before you approve the removal of \(view.personal.displayName)",
                    rows: [
                        ("Person", "\(view.personal.displayName), \(view.unit.name)"), ("Decision", "Approve the removal"),
                        ("Reason", form.value("reason")),
                    ],
                    warning:
                        "Approving destroys this person's key and deletes every record about them, here and in every copy. It cannot be undone.",
                    confirm: "Approve and erase", back: "/subjects/\(view.id)", canChange: true)
            }
        ) { visitor, purpose, _, posted in
            try await register.decideRemoval(
                try inclusionID(posted), approve: try approval(posted), reason: posted["reason"] ?? "",
                by: visitor.user, for: purpose)
        }
        router.post("/subjects/:id/harm") { request, context in
            let (visitor, purpose) = try await working(request)
            let id = try subjectID(context.parameters.get("id"))
            _ = try await posted(request, visitor)
            _ = try await register.assessHarm(of: id, by: visitor.user, for: purpose)
            return Self.redirectAfterPost("/subjects/\(id)#harm", done: .scoreAssessed)
        }
        router.get("/inclusions") { request, _ in
            let (visitor, purpose) = try await working(request)
            let queue = try await register.inclusionQueue(by: visitor.user, for: purpose)
            return page(
                "inclusions", "Proposals to decide", visitor,
                [
                    "central": AccessPolicy.central(visitor.user),
                    "hasEntries": !queue.isEmpty,
                    "entries": queue.map(Self.proposal),
                ])
        }
        router.get("/reviews") { request, _ in
            let (visitor, purpose) = try await working(request)
            let queue = try await register.reviewQueue(by: visitor.user, for: purpose)
            return page(
                "reviews", "Reviews", visitor,
                [
                    "scope": visitor.user.role.isBoroughRole ? visitor.user.unit.name : "London",
                    "entries": queue.map { entry -> [String: Any] in
                        [
                            "subjectId": entry.inclusion.subjectID.description, "name": entry.displayName,
                            "standing": entry.standing.rawValue,
                            "standingLabel": Self.standingLabel(entry.standing), "due": entry.inclusion.nextReviewDue?.description ?? "",
                            "removalReview": entry.inclusion.removalReviewRequired,
                            "removalProposed": entry.inclusion.removalProposedBy != nil,
                        ]
                    },
                    "hasEntries": !queue.isEmpty,
                ])
        }
        router.get("/dashboard") { request, _ in
            let (visitor, purpose) = try await working(request)
            let q = try FormData(query: request)
            let until = q["until"].flatMap(LocalDate.init(iso:)) ?? visitor.now.day
            let from = q["from"].flatMap(LocalDate.init(iso:)) ?? until.adding(days: -90)
            var period = PageForm.filters([FormField("from", "Start date", .date), FormField("until", "End date", .date)])
            period.set("from", from.description)
            period.set("until", until.description)
            let board = try await register.dashboard(from: from, until: until, by: visitor.user, for: purpose)
            let count = BarChart.count
            func row(_ f: BoroughFigures) -> [String: Any] {
                [
                    "unit": f.unit == .central ? "All London" : f.unit.name, "included": count(f.included), "zeroScore": count(f.zeroScore),
                    "zeroShare": BarChart.percent(f.zeroScoreShare), "due": count(f.reviewsDue), "overdue": count(f.reviewsOverdue),
                    "suspended": count(f.suspended), "forced": count(f.removalReviewsForced), "removals": count(f.removals),
                    "rejected": count(f.rejected), "awaiting": count(f.removalsAwaitingConfirmation),
                    "reasons": f.rejectionReasons.map { ["text": $0] },
                ]
            }
            return page(
                "dashboard", "Dashboard", visitor,
                [
                    "charts": try await dashboardCharts(board, from: from, until: until, visitor),
                    "fromField": period["from"], "untilField": period["until"],
                    "from": from.description, "until": until.description, "version": board.rulebookVersion,
                    "boroughs": board.boroughs.map(row), "london": row(board.london),
                    "rightsOverdue": Self.notice(count: board.rightsRequestsOverdue),
                    "retentionAwaiting": Self.notice(count: board.retentionReviewsAwaiting),
                    "equalityAlerts": Self.notice(count: board.equalityAlertsAwaiting),
                    "dpiaMissing": board.dpia.map { $0.inForce == nil } ?? false,
                    "dpiaReviewSoon": board.dpia?.reviewSoon ?? false, "dpiaDays": board.dpia?.daysToReview ?? 0,
                    "breachClocks": (board.breachClocks ?? []).map {
                        ["id": $0.id.description, "hours": $0.hoursLeft > 0 ? "\($0.hoursLeft) hour(s) left" : "past the 72 hours"]
                    },
                    "reasons": board.boroughs.filter { !$0.rejectionReasons.isEmpty }.map {
                        ["unit": $0.unit.name, "reasons": $0.rejectionReasons.map { ["text": $0] }]
                    },
                ])
        }
    }

    /// A form about the subject's inclusion: its id travels in a hidden field.
    private func inclusionForm(_ view: SubjectView, _ fields: [FormField]) -> PageForm {
        var hidden = FormField("inclusionId", "Inclusion", .hidden)
        hidden.value = view.inclusion?.id.description ?? ""
        return PageForm([hidden] + fields)
    }

    private func inclusionID(_ posted: FormData) throws -> InclusionID {
        guard let text = posted["inclusionId"], let id = InclusionID(text) else {
            throw RegisterError.notFound(kind: "inclusion", id: posted["inclusionId"] ?? "")
        }
        return id
    }

    /// The dashboard's pictures: inclusions, zero scores, overdue reviews and disclosures, by
    /// borough, for the boroughs with anything to show (the table lists every borough).
    private func dashboardCharts(_ board: Dashboard, from: LocalDate, until: LocalDate, _ visitor: Visitor) async throws -> [[String: Any]]
    {
        let shown = board.boroughs.filter { $0.included > 0 || $0.reviewsDue > 0 }.sorted { $0.unit.name < $1.unit.name }
        var charts = [
            BarChart(
                id: "chart-included", title: "People included",
                bars: shown.map { .init(label: $0.unit.name, value: Double($0.included), text: BarChart.count($0.included)) }),
            BarChart(
                id: "chart-zero", title: "Included with a harm score of zero",
                bars: shown.map { .init(label: $0.unit.name, value: $0.zeroScoreShare, text: BarChart.percent($0.zeroScoreShare)) }),
            BarChart(
                id: "chart-overdue", title: "Reviews overdue",
                bars: shown.map {
                    .init(
                        label: $0.unit.name, value: Double($0.reviewsOverdue),
                        text: "\(BarChart.count($0.reviewsOverdue)) of \(BarChart.count($0.reviewsDue))")
                }),
        ]
        // Disclosures are read only by those whose role reads them; anyone else is not shown the chart.
        if AccessPolicy.runs(visitor.user.role, .disclosureList) {
            var shared: [String: Int] = [:]
            for d in try await register.disclosures(by: visitor.user) where (from...until).contains(d.createdAt.day) {
                shared[d.unit.name, default: 0] += 1
            }
            charts.append(
                BarChart(
                    id: "chart-shared", title: "Disclosures to partners in the period",
                    bars: shared.sorted { $0.key < $1.key }.map {
                        .init(label: $0.key, value: Double($0.value), text: BarChart.count($0.value))
                    }))
        }
        return charts.map { ["title": $0.title, "svg": $0.svg] }
    }

    private func approval(_ posted: FormData) throws -> Bool {
        switch posted["decision"] {
        case "approve": return true
        case "reject": return false
        default:
            throw RegisterError.invalid([FieldViolation(field: "decision", rule: "decision.choice", message: "choose approve or reject")])
        }
    }

    static func standingLabel(_ s: ReviewStanding) -> String {
        switch s {
        case .notDue: "Not due"
        case .due: "Due"
        case .overdue: "Overdue"
        case .suspended: "Suspended: past the grace period"
        }
    }

    /// A proposal as its decider sees it, in the queue and on the decision page alike: who, when,
    /// why, each item's line of reporting and whether it counted, and the threshold today.
    static func proposal(_ p: PendingInclusion) -> [String: Any] {
        [
            "subjectId": p.inclusion.subjectID.description, "name": p.displayName, "proposer": p.proposer,
            "proposedAt": Visitor.format(p.inclusion.proposedAt), "rationale": p.inclusion.rationale,
            "safeguarding": p.inclusion.safeguardingRationale ?? "", "child": p.inclusion.isChild,
            "evidence": p.evidence.map { e -> [String: Any] in
                let (kind, id): (String, String) =
                    switch e.item {
                    case .intelligence(let id): ("Intelligence", id.description)
                    case .matter(let id): ("Matter", id.description)
                    }
                return [
                    "kind": kind, "id": id, "source": e.sourceType.rawValue, "unit": e.originatingUnit.name,
                    "grade": e.grade?.code ?? "ungraded",
                    "origin": Corroboration.origin(of: e).description,
                    "byProposer": e.author == p.inclusion.proposedBy,
                    "counted": e.isWeak
                        ? "No: weak grade or unreliable source"
                        : p.corroborating.contains(e.item)
                            ? "Yes" : "No: same handling unit as another item, or the proposer's alone",
                ]
            },
            "met": p.shortfalls.isEmpty,
            "shortfalls": p.shortfalls.map(Views.said),
        ]
    }
}
