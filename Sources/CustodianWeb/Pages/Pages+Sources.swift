import CustodianCore
import Foundation
import Hummingbird

/// The source register's pages, for the source unit: every source with its owner, handling unit
/// and reliability history; a form to register one; and, on each, a form to re-evaluate or
/// withdraw it.
extension Pages {
    func sourceRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/sources") { request, _ in
            let visitor = try await visitor(request)
            return try await sourcesPage(visitor, form: Self.sourceForm())
        }
        router.post("/sources/new") { request, _ in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            do {
                let source = try await register.registerSource(
                    SourceDraft(
                        kind: posted["kind"] ?? "", label: posted["label"] ?? "", owner: posted["owner"] ?? "",
                        handlerUnit: posted["handlerUnit"] ?? "", reliability: posted["reliability"] ?? "",
                        rationale: posted["rationale"] ?? ""), by: visitor.user)
                return Self.redirectAfterPost("/sources#source-\(source.id)", done: .sourceRegistered)
            } catch RegisterError.invalid(let violations) {
                var form = Self.sourceForm()
                form.fill(from: posted)
                form.place(violations)
                return try await sourcesPage(visitor, form: form, status: .unprocessableContent)
            }
        }
        router.post("/sources/:id/evaluations") { request, context in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            let id: SourceID = try Self.id(context.parameters.get("id"), "source")
            do {
                _ = try await register.evaluateSource(
                    id, EvaluationDraft(reliability: posted["reliability"] ?? "", rationale: posted["rationale"] ?? ""),
                    withdrawing: posted["withdraw"] == "true", by: visitor.user)
                return Self.redirectAfterPost("/sources#source-\(id)", done: .sourceEvaluated)
            } catch RegisterError.invalid(let violations) {
                return try await sourcesPage(visitor, form: Self.sourceForm(), refused: (id, violations), status: .unprocessableContent)
            }
        }
    }

    private func sourcesPage(
        _ visitor: Visitor, form: PageForm, refused: (SourceID, [FieldViolation])? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var sources: [RegisteredSource] = []
        for citation in try await register.sourceCitations(by: visitor.user) {
            sources.append(try await register.source(citation.id, by: visitor.user))
        }
        var c = form.context
        c["sources"] = sources.map { s -> [String: Any] in
            let refusals = refused.flatMap { $0.0 == s.id ? $0.1 : nil } ?? []
            return [
                "id": s.id.description, "label": s.label, "kind": s.kind.label, "owner": s.owner, "handler": s.handlerUnit.name,
                "reliability": "\(s.reliability.rawValue) – \(s.reliability.label)", "withdrawn": s.withdrawnAt.map(Visitor.format) ?? "",
                "evaluations": s.evaluations.map {
                    [
                        "at": Visitor.format($0.at), "reliability": "\($0.reliability.rawValue) – \($0.reliability.label)",
                        "rationale": $0.rationale,
                    ]
                },
                "refusals": refusals.map(Views.said), "hasRefusals": !refusals.isEmpty,
                "reliabilities": ThreeByFiveByTwo.Source.allCases.map { ["value": $0.rawValue, "label": "\($0.rawValue) – \($0.label)"] },
            ]
        }
        c["hasSources"] = !sources.isEmpty
        return page("sources", "Source register", visitor, c, status: status)
    }

    static func sourceForm() -> PageForm {
        PageForm([
            FormField(
                "kind", "Kind of source", .select, required: true,
                options: [("", "Choose")] + RegisteredSource.Kind.allCases.map { ($0.rawValue, $0.label) }),
            FormField(
                "label", "Name staff will see",
                hint: "An organisation's name, or a human source's pseudonym. Never a human source's identity.", required: true),
            FormField("owner", "Owner of the relationship", hint: "The organisation, or the source unit's controller.", required: true),
            FormField(
                "handlerUnit", "Handling unit", .select,
                hint: "Items from two sources handled by one unit count as one line of reporting.", required: true,
                options: [("", "Choose"), ("central", "Central team")] + Borough.allCases.map { ($0.rawValue, $0.name) }),
            FormField(
                "reliability", "Reliability", .select, required: true,
                options: [("", "Choose")] + ThreeByFiveByTwo.Source.allCases.map { ($0.rawValue, "\($0.rawValue) – \($0.label)") }),
            FormField("rationale", "Why the source is evaluated so", .textarea, required: true),
        ])
    }
}
