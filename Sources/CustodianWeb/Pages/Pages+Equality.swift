import CustodianCore
import Foundation
import HTTPTypes
import Hummingbird

/// The equality report as a page: one area and one characteristic at a time, each stage a chart
/// with its numbers in a table beside it; the suppressed CSV for publication; governance's alerts
/// with their response forms and the baseline upload. Aggregates only: no purpose to state.
extension Pages {
    func equalityRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/equality") { request, _ in
            let visitor = try await visitor(request)
            return try await equalityPage(visitor, try FormData(query: request))
        }
        router.get("/equality.csv") { request, _ in
            let visitor = try await visitor(request)
            let query = try FormData(query: request)
            let (from, until) = try EqualityReport.period(
                from: query["from"], until: query["until"], period: query["period"], today: visitor.now.day, published: true)
            // Always the published version: the CSV is what leaves the building.
            let report = try await register.equalityReport(from: from, until: until, published: true, by: visitor.user)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"custodian-equality-\(from)-to-\(until).csv\"",
                ], body: .init(byteBuffer: ByteBuffer(string: report.csv)))
        }
        router.post("/equality/alerts/:id") { request, context in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            let id: EqualityAlertID = try Self.id(context.parameters.get("id"), "equality alert")
            do {
                _ = try await register.answerEqualityAlert(
                    id, reason: posted["reason"] ?? "", action: posted["action"] ?? "", reviewOn: posted["reviewOn"] ?? "",
                    by: visitor.user)
                return Self.redirectAfterPost("/equality#alerts", done: .alertAnswered)
            } catch RegisterError.invalid(let violations) {
                return try await equalityPage(visitor, FormData(pairs: []), errors: violations, answering: (id, posted))
            }
        }
        router.post("/equality/baselines") { request, _ in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            do {
                _ = try await register.loadEqualityBaseline(
                    csv: posted["csv"] ?? "", name: posted["name"] ?? "", source: posted["source"] ?? "", by: visitor.user)
                return Self.redirectAfterPost("/equality", done: .baselinesLoaded)
            } catch RegisterError.invalid(let violations) {
                return try await equalityPage(visitor, FormData(pairs: []), errors: violations, baselineForm: posted)
            }
        }
    }

    private func equalityPage(
        _ visitor: Visitor, _ query: FormData, errors: [FieldViolation] = [], answering: (EqualityAlertID, FormData)? = nil,
        baselineForm: FormData? = nil
    ) async throws -> Response {
        let today = visitor.now.day
        let published = query["published"] == "yes"
        let (from, until) = try EqualityReport.period(
            from: query["from"], until: query["until"], period: query["period"], today: today,
            published: published || !AccessPolicy.readsUnsuppressed(visitor.user))
        let governs = AccessPolicy.runs(visitor.user.role, .equalityAlertAnswer)
        let report = try await register.equalityReport(from: from, until: until, published: published, by: visitor.user)
        let threshold = try await register.rulebookVersions().inForce.equality.alertThreshold
        // What can be published: the period shown when it is a published one, else the latest.
        let publishable =
            PublishedPeriod(from: from, until: until).flatMap { $0.isOver(on: today) ? $0 : nil }
            ?? PublishedPeriod.latest(before: today)
        let areaCode = query["area"] ?? "london"
        let area = report.areas.first { ($0.borough?.rawValue ?? "london") == areaCode } ?? report.areas[0]
        // The characteristics the report carries: without a policy document, ethnicity is not among them.
        let shown = EqualityCharacteristic.allCases.filter { !report.ethnicityWithheld || !$0.isEthnicity }
        let asked = query["characteristic"].flatMap(EqualityCharacteristic.init(rawValue:))
        let characteristic = asked.flatMap { shown.contains($0) ? $0 : nil } ?? shown.first ?? .ageBand
        func number(_ x: Double?, _ format: String = "%.2f") -> String { x.map { String(format: format, $0) } ?? "" }
        var context: [String: Any] = [
            "from": from.description, "until": until.description, "suppressed": report.suppressed,
            "fromField": Views.dateInput("from", "From", value: from.description, id: "e-from"),
            "untilField": Views.dateInput("until", "Until", value: until.description, id: "e-until"),
            "ethnicityWithheld": report.ethnicityWithheld, "governs": governs,
            "areaName": area.name, "characteristicLabel": characteristic.label, "threshold": EqualityChart.label(threshold),
            "method": EqualityReport.method, "caveats": EqualityReport.caveats,
            "areas": report.areas.map { a in
                let code = a.borough?.rawValue ?? "london"
                return ["value": code, "label": a.name, "selected": code == areaCode] as [String: Any]
            },
            "characteristics": shown.map {
                ["value": $0.rawValue, "label": $0.label, "selected": $0 == characteristic] as [String: Any]
            },
            "csvHref": "/equality.csv?period=\(publishable.code)",
            "periods": report.suppressed
                ? []
                : [
                    ("This quarter", Quarter(containing: today).from, today),
                    ("Last quarter", Quarter(containing: today).previous.from, Quarter(containing: today).previous.until),
                    ("Last twelve months", EqualityReport.defaultFrom(today), today),
                ].map { label, start, end in
                    [
                        "label": label,
                        "href": "/equality?from=\(start)&until=\(end)&area=\(areaCode)&characteristic=\(characteristic.rawValue)",
                    ]
                },
            "publishedPeriods": PublishedPeriod.recent(before: today).map {
                ["value": $0.code, "label": $0.description, "selected": $0 == PublishedPeriod(from: from, until: until)] as [String: Any]
            },
            "publishedHref":
                "/equality?period=\(publishable.code)&area=\(areaCode)&characteristic=\(characteristic.rawValue)&published=yes",
            "fullHref": "/equality?from=\(from)&until=\(until)&area=\(areaCode)&characteristic=\(characteristic.rawValue)",
            "stages": area.stages.compactMap { stage -> [String: Any]? in
                guard let breakdown = stage.breakdowns.first(where: { $0.characteristic == characteristic }) else { return nil }
                return [
                    "stage": stage.stage.rawValue, "label": stage.stage.label, "total": stage.total.map(String.init) ?? "[c]",
                    "chart": EqualityChart.svg(breakdown, stage: stage.stage.rawValue, threshold: threshold),
                    "rows": breakdown.rows.map { row in
                        [
                            "label": row.label, "reference": row.isReference, "count": row.count.map(String.init) ?? "[c]",
                            "population": row.population.map(String.init) ?? "", "rate": number(row.ratePerThousand),
                            "ratio": row.isReference ? "reference" : number(row.relativeRate),
                            "interval": row.lower95.map { "\(number($0)) to \(number(row.upper95))" } ?? "",
                            "above": (row.lower95 ?? 0) > threshold,
                        ] as [String: Any]
                    },
                ]
            },
        ]
        if let baseline = report.baseline {
            context["baseline"] = ["name": baseline.name, "source": baseline.source, "digest": baseline.digest]
        } else {
            context["noBaseline"] = true
        }
        if governs {
            let alerts = try await register.equalityAlerts(by: visitor.user)
            let waiting = alerts.filter { $0.isAwaitingResponse(on: today) }
            context["waiting"] = waiting.map { alert in
                var row: [String: Any] = [
                    "id": alert.id.description, "headline": alert.headline, "quarter": Quarter(containing: alert.from).label,
                    "reviewOn": today.adding(days: 91).description,
                ]
                if let (id, posted) = answering, id == alert.id {
                    (row["reason"], row["action"], row["reviewOn"]) = (
                        posted["reason"] ?? "", posted["action"] ?? "", posted["reviewOn"] ?? ""
                    )
                }
                row["reviewOnField"] = Views.dateInput(
                    "reviewOn", "Look at it again by", value: row["reviewOn"] as? String ?? "", id: "a-\(alert.id)-review")
                return row
            }
            context["hasWaiting"] = !waiting.isEmpty
            context["answered"] = alerts.filter { !$0.isAwaitingResponse(on: today) }.compactMap { alert -> [String: Any]? in
                guard let last = alert.responses.last else { return nil }
                return ["headline": alert.headline, "reason": last.reason, "action": last.action, "reviewOn": last.reviewOn.description]
            }
            context["hasAnswered"] = !(context["answered"] as? [Any] ?? []).isEmpty
            if let form = baselineForm {
                (context["baselineName"], context["baselineSource"], context["baselineCSV"]) = (
                    form["name"] ?? "", form["source"] ?? "", form["csv"] ?? ""
                )
            }
        }
        if !errors.isEmpty {
            context["errors"] = errors.map(Views.said)
            context["hasErrors"] = true
        }
        return page("equality", "Equality monitoring", visitor, context, status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
