import CustodianCore
import Foundation
import Hummingbird

/// Breach pages: anyone signed in reports one (no working period needed: a breach is reported
/// before anything else); governance keeps the register and works each breach's steps.
extension Pages {
    func breachRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/breaches/new") { request, _ in
            let visitor = try await visitor(request)
            return page("breach-new", "Report a breach", visitor, ["now": visitor.now.day.description])
        }
        router.post("/breaches/new") { request, _ in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            do {
                let breach = try await register.reportBreach(
                    BreachReport(
                        description: posted["description"] ?? "",
                        disclosureIDs: (posted["disclosureIds"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(
                            String.init)),
                    by: visitor.user)
                return page(
                    "breach-new", "Report a breach", visitor,
                    ["reported": breach.id.description, "deadline": Visitor.format(breach.deadline)])
            } catch RegisterError.invalid(let violations) {
                return page(
                    "breach-new", "Report a breach", visitor,
                    [
                        "errors": violations.map(Views.said), "hasErrors": true,
                        "description": posted["description"] ?? "",
                    ], status: .unprocessableContent)
            }
        }
        router.get("/breaches") { request, _ in
            let (visitor, purpose) = try await working(request)
            let all = try await register.breaches(by: visitor.user, for: purpose)
            return page(
                "breaches", "Breach register", visitor,
                ["breaches": all.map { Self.breachRow($0, now: visitor.now) }, "hasBreaches": !all.isEmpty])
        }
        router.get("/breaches/:id") { request, context in
            let (visitor, purpose) = try await working(request)
            let id: BreachID = try Self.id(context.parameters.get("id"), "breach")
            return try await breachPage(visitor, purpose, id)
        }
        router.post("/breaches/:id/:step") { request, context in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let id: BreachID = try Self.id(context.parameters.get("id"), "breach")
            if context.parameters.get("step") == "containment", !Self.confirmed(posted) {
                return checkAnswers(
                    CheckAnswers(
                        heading: "Check before you contain this breach",
                        rows: [
                            ("Breach", "/breaches/\(id)"),
                            (
                                "What happens",
                                "Every disclosure the report names is recalled; every account it names is disabled, with its API tokens"
                            ),
                        ],
                        warning:
                            "Recalls cannot be withdrawn, and the partners are told at once. Disabled accounts stay disabled until an administrator restores them.",
                        confirm: "Contain now", back: "/breaches/\(id)"), action: request.uri.path, posted: posted, visitor)
            }
            do {
                switch context.parameters.get("step") {
                case "containment": _ = try await register.containBreach(id, by: visitor.user, for: purpose)
                case "scope": _ = try await register.scopeBreach(id, by: visitor.user, for: purpose)
                case "notification":
                    _ = try await register.notifyBreach(
                        id,
                        NotificationDraft(
                            consequences: posted["consequences"] ?? "", measures: posted["measures"] ?? "",
                            delayReason: posted.text("delayReason")), by: visitor.user, for: purpose)
                case "not-notified":
                    _ = try await register.recordBreachNotNotified(id, reason: posted["reason"] ?? "", by: visitor.user, for: purpose)
                case "people":
                    _ = try await register.decideBreachPeople(
                        id, tell: posted["tell"] == "yes", reason: posted["reason"] ?? "", ground: posted.text("ground"), by: visitor.user,
                        for: purpose)
                default: throw RegisterError.notFound(kind: "page", id: request.uri.path)
                }
                return Self.redirectAfterPost("/breaches/\(id)", done: .breachUpdated)
            } catch RegisterError.invalid(let violations) {
                return try await breachPage(visitor, purpose, id, errors: violations, status: .unprocessableContent)
            }
        }
    }

    private func breachPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, _ id: BreachID, errors: [FieldViolation] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let breach = try await register.breaches(by: visitor.user, for: purpose).first(where: { $0.id == id }) else {
            throw RegisterError.notFound(kind: "breach", id: id.description)
        }
        var context = Self.breachRow(breach, now: visitor.now)
        context["description"] = breach.description
        context["from"] = Visitor.format(breach.from)
        context["until"] = Visitor.format(breach.until)
        context["uncontained"] = breach.containment == nil
        if let c = breach.containment {
            context["containment"] = [
                "at": Visitor.format(c.at), "recalled": c.recalled.count, "disabled": c.disabledUsers.count,
            ]
        }
        if let s = breach.scope {
            context["scope"] = [
                "people": s.subjects.count, "records": s.records.count, "recipients": s.recipients.joined(separator: "; "),
                "users": s.users.count, "entries": s.entries, "at": Visitor.format(s.computedAt),
                "from": Visitor.format(s.from), "until": Visitor.format(s.until),
                "afterPeople": s.afterReport?.subjects.count ?? 0, "afterEntries": s.afterReport?.entries ?? 0,
                "wentOn": (s.afterReport?.entries ?? 0) > 0,
            ]
        }
        context["notifications"] = breach.notifications.map {
            [
                "phase": $0.phase, "at": Visitor.format($0.at), "subjects": $0.approximateSubjects, "records": $0.approximateRecords,
                "consequences": $0.consequences, "measures": $0.measures, "delay": $0.delayReason ?? "",
            ] as [String: Any]
        }
        context.setIfHeld("notNotified", breach.notNotifiedReason)
        context["canNotify"] = breach.scope != nil && breach.people == nil
        context["canSkip"] = breach.notifications.isEmpty && breach.notNotifiedReason == nil
        context["canDecidePeople"] = breach.notificationDecided && breach.people == nil
        if let p = breach.people { context["people"] = ["tell": p.tell ? "Yes" : "No", "reason": p.reason] }
        context["tasks"] = [
            TaskList.task("Contain", "contain", TaskList.state(done: breach.containment != nil)),
            TaskList.task("Scope from the audit log", "scope", TaskList.state(done: breach.scope != nil)),
            TaskList.task(
                "Tell the Information Commissioner, or record why not", "ico",
                TaskList.state(done: breach.notificationDecided, possible: breach.scope != nil)),
            TaskList.task(
                "Decide about the people affected", "people",
                TaskList.state(done: breach.people != nil, possible: breach.notificationDecided)),
        ]
        context["grounds"] = RestrictionGround.allCases.map { ["value": $0.rawValue, "label": $0.statute] }
        context["errors"] = errors.map(Views.said)
        context["hasErrors"] = !errors.isEmpty
        return page("breach", "Breach", visitor, context, status: status)
    }

    static func breachRow(_ b: Breach, now: Timestamp) -> [String: Any] {
        var row: [String: Any] = [
            "id": b.id.description, "reportedAt": Visitor.format(b.reportedAt), "awareAt": Visitor.format(b.awareAt),
            "deadline": Visitor.format(b.deadline), "status": b.status.rawValue, "overdue": b.isOverdue(at: now),
            "summary": String(b.description.prefix(120)),
        ]
        if let hours = b.hoursLeft(at: now) { row["hoursLeft"] = hours > 0 ? "\(hours) hour(s) left" : "past the 72 hours" }
        return row
    }
}
