import CustodianCore
import Foundation
import Hummingbird

/// Governance's routine audit report as a page: a period, and what the log shows in it. A report
/// over months reads hundreds of thousands of entries, so it runs as a job.
extension Pages {
    func auditReportRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/audit-report") { request, _ in
            let (visitor, _) = try await working(request)
            let query = try FormData(query: request)
            let today = visitor.now.day
            return auditReportPage(
                visitor, from: query["from"] ?? today.adding(days: -30).description, until: query["until"] ?? today.description)
        }
        router.post("/audit-report") { request, _ in
            let (visitor, purpose) = try await working(request)
            let form = try await posted(request, visitor)
            let (fromText, untilText) = (form["from"] ?? "", form["until"] ?? "")
            guard let from = LocalDate(iso: fromText), let until = LocalDate(iso: untilText) else {
                return auditReportPage(
                    visitor, from: fromText, until: untilText,
                    errors: [["message": "The start and end of the period must be real dates", "rule": "date.format"]],
                    status: .unprocessableContent)
            }
            do {
                try Register.checkAuditReportPeriod(from: from, until: until)
            } catch RegisterError.invalid(let violations) {
                return auditReportPage(
                    visitor, from: fromText, until: untilText, errors: violations.map(Views.said), status: .unprocessableContent)
            }
            return await startJob(.auditReport, visitor, purpose) { [register] report in
                let (r, names) = try await register.auditReport(from: from, until: until, progress: report, by: visitor.user, for: purpose)
                return .reported(r, usernames: names, from: from, until: until)
            }
        }
    }

    func auditReportPage(
        _ visitor: Visitor, from fromText: String, until untilText: String,
        report generated: (report: AuditReport, usernames: [UserID: String])? = nil, errors: [[String: Any]] = [],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var context: [String: Any] = [
            "from": fromText, "until": untilText, "fromField": Views.dateInput("from", "Start date", value: fromText, id: "r-from"),
            "untilField": Views.dateInput("until", "End date", value: untilText, id: "r-until"),
        ]
        if !errors.isEmpty {
            context["errors"] = errors
            context["hasErrors"] = true
        }
        if let (r, names) = generated {
            func name(_ id: UserID) -> String { names[id] ?? id.description }
            context["report"] =
                [
                    "entries": BarChart.count(r.entries), "truncated": r.truncated,
                    "volume": r.volume.map {
                        [
                            "user": name($0.user), "role": $0.role.rawValue, "count": $0.consultations,
                            "median": String(format: "%.1f", $0.peerMedian),
                        ]
                    },
                    "nights": r.nightBursts.map {
                        [
                            "user": name($0.user), "night": $0.nightConsultations, "hour": $0.busiestHourCount,
                            "start": Visitor.format($0.busiestHourStart),
                        ]
                            as [String: Any]
                    },
                    "outside": r.outsideBorough.map { ["user": name($0.user), "attempts": $0.attempts] as [String: Any] },
                    "justifications": r.justifications.map {
                        [
                            "user": name($0.user), "text": $0.text, "entries": $0.entries, "days": $0.days,
                            "why": [$0.tooShort ? "too short" : nil, $0.repeated ? "repeated on \($0.days) days" : nil].compactMap { $0 }
                                .joined(separator: ", "),
                        ] as [String: Any]
                    },
                    "shares": r.sharesByRecipient.map { ["key": $0.key, "count": $0.count] as [String: Any] },
                    "refusals": r.refusalsByRule.map { ["key": $0.key, "count": $0.count] as [String: Any] },
                    "noVolume": r.volume.isEmpty, "noNights": r.nightBursts.isEmpty, "noOutside": r.outsideBorough.isEmpty,
                    "noJustifications": r.justifications.isEmpty, "noShares": r.sharesByRecipient.isEmpty,
                    "noRefusals": r.refusalsByRule.isEmpty,
                ] as [String: Any]
        }
        return page("audit-report", "Audit report", visitor, context, status: status)
    }
}
