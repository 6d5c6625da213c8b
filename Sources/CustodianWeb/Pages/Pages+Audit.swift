import CustodianCore
import Foundation
import Hummingbird

/// The auditor's pages: the log filtered, the latest signed checkpoint, and verification.
extension Pages {
    func auditRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/audit") { request, _ in
            let (visitor, purpose) = try await working(request)
            return try await auditPage(request, visitor, purpose, check: nil)
        }
        router.post("/audit/verify") { request, _ in
            let (visitor, purpose) = try await working(request)
            _ = try await posted(request, visitor)
            return await startJob(.logVerification, visitor, purpose) { [register] report in
                .verified(try await register.verifyLog(progress: report, by: visitor.user, for: purpose))
            }
        }
    }

    func auditPage(_ request: Request, _ visitor: Visitor, _ purpose: StatedPurpose, check: LogCheck?) async throws -> Response {
        let q = try FormData(query: request)
        let values = [
            "actor": q["actor"] ?? "", "subject": q["subject"] ?? "", "operation": q["operation"] ?? "",
            "from": q["from"] ?? "", "until": q["until"] ?? "",
        ]
        var filter = PageForm.filters([
            FormField("actor", "Actor", hint: "Username or user id."),
            FormField("subject", "Subject id"),
            FormField(
                "operation", "Operation", .select,
                options: [("", "Any")]
                    + AuditEntry.Operation.allCases.map {
                        ($0.rawValue, $0.rawValue.replacingOccurrences(of: "-", with: " ").capitalizedFirst)
                    }),
            FormField("from", "Start date", .date, hint: "For example, 1 11 2026"),
            FormField("until", "End date", .date, hint: "The last day included, for example 30 11 2026"),
        ])
        for (name, value) in values { filter.set(name, value) }
        var c: [String: Any] = [:]
        let before = q["before"].flatMap { Int64($0) }
        do {
            let page = try await register.auditPage(
                AuditFilter(
                    actor: values["actor"], subject: values["subject"], operation: values["operation"],
                    fromDay: values["from"], untilDay: values["until"], before: before),
                by: visitor.user, for: purpose)
            c["entries"] = page.entries.map { recorded -> [String: Any] in
                let e = recorded.entry
                var row: [String: Any] = [
                    "sequence": recorded.sequence, "at": Visitor.exact(e.at), "operation": e.operation.rawValue, "action": e.action,
                    "actor": page.usernames[e.actor] ?? e.actor.description, "role": e.role.label, "unit": e.unit.name,
                    "purpose": e.purpose?.label ?? "none",
                    "subjects": e.subjects.map { ["id": $0.description, "short": String($0.description.suffix(8))] },
                    "isRefusal": e.operation == .refusal,
                ]
                // Absent rather than empty: an empty string still opens a Mustache section.
                if let j = e.justification, !j.isEmpty { row["justification"] = j }
                if let o = e.outcome, !o.isEmpty { row["outcome"] = o }
                return row
            }
            c["hasEntries"] = !page.entries.isEmpty
            if let next = Views.pager(next: page.next.map(String.init), query: values) { c["next"] = next }
        } catch RegisterError.invalid(let violations) {
            filter.place(violations)
        }
        c["filter"] = filter.context
        if let latest = try? await register.ledger.latestCheckpoint() {
            c["checkpoint"] = [
                "size": latest.checkpoint.size, "root": latest.checkpoint.root.base64EncodedString(),
                "publishedAt": Visitor.format(latest.publishedAt), "note": latest.note,
            ]
        }
        switch check {
        case .intact(let summary)?:
            c["check"] = ["intact": true, "entries": summary.entries, "checkpoints": summary.checkpoints, "unsigned": summary.unsigned]
        case .broken(let fault)?:
            c["check"] = ["intact": false, "fault": fault]
        case nil: break
        }
        return page("audit", "Audit log", visitor, c)
    }
}
