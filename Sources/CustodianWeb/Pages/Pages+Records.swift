import CustodianCore
import Foundation
import Hummingbird

/// Recording what is known about a subject: matters and links with their s.38(3) category,
/// graded intelligence, and flags that cite their evidence.
extension Pages {
    func recordRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/matters/:id") { request, context in
            let (visitor, purpose) = try await working(request)
            let id: MatterID = try Self.id(context.parameters.get("id"), "matter")
            let view = try await register.matter(id, by: visitor.user, for: purpose)
            var c = Views.matter(view.matter)
            let groups: [(String, String, Set<Category>)] = [
                ("Suspects and convicted", "enforcement", [.suspect, .convicted]),
                ("Victims or potential victims", "victim", [.victim]), ("Witnesses", "witness", [.witness]), ("Others", "other", [.other]),
            ]
            c["groups"] = groups.compactMap { title, tone, wanted -> [String: Any]? in
                let rows = view.subjects.filter { wanted.contains($0.link.category) }
                guard !rows.isEmpty else { return nil }
                return [
                    "title": title, "tone": tone,
                    "subjects": rows.map {
                        [
                            "id": $0.link.subjectID.description, "name": $0.displayName, "category": Views.category($0.link.category),
                            "basis": Views.basis($0.link.basis),
                        ] as [String: Any]
                    },
                ]
            }
            if view.restricted > 0 { c["restricted"] = view.restricted }
            return page("matter", "Matter \(view.matter.reference)", visitor, c)
        }
        form(
            router, "matters", title: "Record a matter", template: "matter-new", done: .matterRecorded,
            fields: { _, user in try await matterForm(user) }
        ) {
            visitor, purpose, id, posted in
            let draft = MatterDraft(
                kind: posted["kind"] ?? "", reference: posted["reference"] ?? "", offence: posted.text("offence"),
                occurredOn: posted["occurredOn"] ?? "", basis: posted["basis"] ?? "", sourceType: posted["sourceType"] ?? "",
                sourceID: posted.text("sourceId"))
            _ = try await register.recordMatter(
                draft, linking: id.description, as: posted["category"] ?? "", basis: posted["basis"] ?? "",
                by: visitor.user, for: purpose)
        }
        form(router, "links", title: "Link to a recorded matter", template: "link-new", done: .linkAdded, fields: { _, _ in linkForm() }) {
            visitor, purpose, id, posted in
            _ = try await register.link(
                subjectID: id.description, matterReference: posted["matterReference"] ?? "",
                category: posted["category"] ?? "", basis: posted["basis"] ?? "", by: visitor.user, for: purpose)
        }
        form(
            router, "intelligence", title: "Record intelligence", template: "intelligence-new", done: .intelligenceRecorded,
            fields: { _, user in try await intelligenceForm(user) }
        ) {
            visitor, purpose, id, posted in
            _ = try await register.recordIntelligence(Self.intelligenceDraft(id, posted), by: visitor.user, for: purpose)
        }
        form(router, "flags", title: "Place a flag", template: "flag-new", done: .flagPlaced, fields: { view, _ in flagForm(view) }) {
            visitor, purpose, id, posted in
            let draft = FlagDraft(
                subjectID: id.description, kind: posted["kind"] ?? "",
                intelligenceIDs: posted.all("intelligenceIds"), matterIDs: posted.all("matterIds"))
            _ = try await register.recordFlag(draft, by: visitor.user, for: purpose)
        }
    }

    /// A recording form about one subject: GET shows it under the subject's name (a logged
    /// consultation), POST records and returns to the subject, or re-shows what was typed with
    /// each refusal beside its field.
    func form<Context: RequestContext>(
        _ router: RouterGroup<Context>, _ path: String, title: String, template: String, done: Done,
        describe: @escaping @Sendable (SubjectView, User, StatedPurpose) async throws -> [String: Any] = { _, _, _ in [:] },
        fields: @escaping @Sendable (SubjectView, User) async throws -> PageForm,
        check: (@Sendable (SubjectView, PageForm) -> CheckAnswers?)? = nil,
        record: @escaping @Sendable (Visitor, StatedPurpose, SubjectID, FormData) async throws -> Void
    ) {
        router.get("/subjects/:id/\(path)/new") { request, context in
            let (visitor, purpose) = try await working(request)
            let view = try await register.subject(try subjectID(context.parameters.get("id")), by: visitor.user, for: purpose)
            return page(
                template, title, visitor,
                formContext(view, try await fields(view, visitor.user)).merging(
                    try await describe(view, visitor.user, purpose)
                ) { $1 })
        }
        router.post("/subjects/:id/\(path)/new") { request, context in
            let (visitor, purpose) = try await working(request)
            let id = try subjectID(context.parameters.get("id"))
            let posted = try await posted(request, visitor)
            if let check, !Self.confirmed(posted) {
                let view = try await register.subject(id, by: visitor.user, for: purpose)
                var form = try await fields(view, visitor.user)
                form.fill(from: posted)
                if Self.changing(posted) {
                    var c = formContext(view, form).merging(try await describe(view, visitor.user, purpose)) { $1 }
                    Self.groupEvidence(&c, chosen: Set(posted.all("intelligenceIds") + posted.all("matterIds")))
                    return page(template, title, visitor, c)
                }
                if let answers = check(view, form) {
                    return checkAnswers(answers, action: request.uri.path, posted: posted, visitor)
                }
            }
            do {
                try await record(visitor, purpose, id, posted)
                return Self.redirectAfterPost("/subjects/\(id)", done: done)
            } catch RegisterError.invalid(let violations) {
                let view = try await register.subject(id, by: visitor.user, for: purpose)
                var form = try await fields(view, visitor.user)
                form.fill(from: posted)
                form.place(violations)
                var c = formContext(view, form).merging(try await describe(view, visitor.user, purpose)) { $1 }
                Self.groupEvidence(&c, chosen: Set(posted.all("intelligenceIds") + posted.all("matterIds")))
                return page(template, title, visitor, c, status: .unprocessableContent)
            }
        }
    }

    private func formContext(_ view: SubjectView, _ form: PageForm) -> [String: Any] {
        var c = form.context
        c["subject"] = ["id": view.id.description, "name": view.personal.displayName, "borough": view.unit.name]
        for field in form.fields { c["field_" + field.name.replacingOccurrences(of: ".", with: "_")] = field.context }
        c["evidence"] =
            view.intelligence.map { item -> [String: Any] in
                [
                    "name": "intelligenceIds", "value": item.id.description, "id": "ev-\(item.id)",
                    "label": "Intelligence graded \(Views.grade(item.grade)["code"] as? String ?? ""): \(item.content.text.prefix(80))",
                ]
            }
            + view.matters.filter(\.link.category.isEnforcement).map { row -> [String: Any] in
                [
                    "name": "matterIds", "value": row.matter.id.description, "id": "ev-\(row.matter.id)",
                    "label": "Matter \(row.matter.reference) (\(row.link.category.label.lowercased()), \(row.matter.occurredOn))",
                ]
            }
        Self.groupEvidence(&c, chosen: [])
        let evidenceErrors = form.general.filter { ["evidence", "intelligenceIds", "matterIds"].contains(where: $0.field.hasPrefix) }
        c["evidenceErrors"] = evidenceErrors.map(Views.said)
        c["hasEvidenceErrors"] = !evidenceErrors.isEmpty
        return c
    }

    /// Intelligence and matters as two groups of one name each, so each set of boxes has its own
    /// legend; `chosen` ticks what a refused post had ticked.
    private static func groupEvidence(_ c: inout [String: Any], chosen: Set<String>) {
        let items = (c["evidence"] as? [[String: Any]] ?? []).map { item in
            var item = item
            item["checked"] = chosen.contains(item["value"] as? String ?? "")
            return item
        }
        c["evidence"] = items
        c["evidenceGroups"] = [("intelligenceIds", "Intelligence"), ("matterIds", "Matters")].compactMap { name, legend in
            let group = items.filter { $0["name"] as? String == name }
            return group.isEmpty ? nil : ["legend": legend, "items": group] as [String: Any]
        }
    }

    // MARK: The forms

    static let basisOptions: [(value: String, label: String)] = [("fact", "Fact"), ("assessment", "Assessment (a personal judgement)")]
    static let categoryOptions: [(value: String, label: String)] =
        [("", "Choose the category")] + Category.allCases.map { ($0.rawValue, $0.label) }

    private func matterForm(_ user: User) async throws -> PageForm {
        PageForm([
            FormField(
                "category", "This subject's category in the matter", .select,
                hint: "Exactly one s.38(3) category. A victim is never recorded as a suspect on the same link.", required: true,
                options: Self.categoryOptions),
            FormField(
                "kind", "Kind of matter", .select, required: true,
                options: [("", "Choose")] + Matter.Kind.allCases.map { ($0.rawValue, Views.kindLabel($0)) }),
            FormField(
                "reference", "Reference", hint: "The force's own CAD, CRIS or intelligence report number. Never a person's name.",
                required: true),
            FormField(
                "offence", "Offence type", .select, hint: "Required when the matter is an offence.",
                options: [("", "None")] + OffenceType.allCases.map { ($0.rawValue, Views.offenceLabel($0)) }),
            FormField("occurredOn", "Date it occurred", .date, hint: "For example, 27 3 2026.", required: true),
            FormField("basis", "Basis", .select, required: true, options: Self.basisOptions),
            FormField(
                "sourceType", "Source", .select, required: true, options: SourceType.allCases.map { ($0.rawValue, Views.sourceLabel($0)) }),
            try await sourceField(user),
        ])
    }

    /// Only a registered source, chosen from the source register, can make two items
    /// independent; a typed reference or a source type cannot.
    func sourceField(_ user: User) async throws -> FormField {
        let citable = try await register.sourceCitations(by: user).filter { !$0.withdrawn }
        return FormField(
            "sourceId", "Registered source (optional)", .select,
            hint:
                "Choose the source from the source register, or none if this is your unit's own. Two items corroborate only when their sources are handled by different units.",
            options: [("", "None: my unit's own")]
                + citable.map { ($0.id.description, "\($0.label) (\($0.kind.label.lowercased()), handled by \($0.handlerUnit.name))") })
    }

    private func linkForm() -> PageForm {
        PageForm([
            FormField(
                "matterReference", "Matter reference", hint: "The reference of a matter already recorded in your borough.", required: true),
            FormField("category", "This subject's category in the matter", .select, required: true, options: Self.categoryOptions),
            FormField("basis", "Basis", .select, required: true, options: Self.basisOptions),
        ])
    }

    private func intelligenceForm(_ user: User) async throws -> PageForm {
        let social = "social-media-field"
        return PageForm([
            FormField("text", "The intelligence", .textarea, hint: "What was reported, in plain words.", required: true),
            FormField("basis", "Basis", .select, required: true, options: Self.basisOptions).with(value: "assessment"),
            FormField(
                "sourceType", "Source type", .select, required: true,
                options: [("", "Choose")] + SourceType.allCases.map { ($0.rawValue, Views.sourceLabel($0)) }),
            try await sourceField(user),
            FormField(
                "grade.source", "Source evaluation", .select, required: true,
                options: [("", "Choose")] + ThreeByFiveByTwo.Source.allCases.map { ($0.rawValue, "\($0.rawValue) – \($0.label)") }),
            FormField(
                "grade.assessment", "Intelligence assessment", .select, required: true,
                options: [("", "Choose")] + ThreeByFiveByTwo.Assessment.allCases.map { ($0.rawValue, "\($0.rawValue) – \($0.label)") }),
            FormField(
                "grade.handling", "Handling code", .select, required: true,
                options: [("", "Choose")] + ThreeByFiveByTwo.Handling.allCases.map { ($0.rawValue, "\($0.rawValue) – \($0.label)") }),
            FormField("grade.conditions", "Handling conditions", .textarea, hint: "Required with handling code C; not allowed with P."),
            FormField("socialMedia.locator", "Where it was found (URL or platform locator)", group: social),
            FormField(
                "socialMedia.capturedAt", "When it was captured", hint: "Date and time, for example 2026-01-31T14:05:00Z.", group: social),
            FormField(
                "socialMedia.captureMethod", "How it was captured",
                hint: "Tool and method, for example a screenshot with the force capture tool.", group: social),
            FormField(
                "socialMedia.contentSHA256", "SHA-256 of the captured content", hint: "64 hex digits, from the capture tool.", group: social
            ),
            FormField("socialMedia.attributionBasis", "Why it is attributed to this person", .textarea, group: social),
            FormField(
                "socialMedia.authorisationReference", "Authorisation reference",
                hint: "The authority for the capture (for example a directed surveillance authority).", group: social),
        ])
    }

    static func intelligenceDraft(_ subject: SubjectID, _ posted: FormData) -> IntelligenceDraft {
        let source = posted["sourceType"] ?? ""
        let socialFields = ["locator", "capturedAt", "captureMethod", "contentSHA256", "attributionBasis", "authorisationReference"]
        let anySocial = socialFields.contains { posted.text("socialMedia." + $0) != nil }
        // Without script the social-media fields are always on the form; they mean something
        // only when the source is social media or someone filled them in.
        let social: IntelligenceDraft.SocialMedia? =
            source == SourceType.socialMedia.rawValue || anySocial
            ? .init(
                locator: posted.text("socialMedia.locator"), capturedAt: posted.text("socialMedia.capturedAt"),
                captureMethod: posted.text("socialMedia.captureMethod"), contentSHA256: posted.text("socialMedia.contentSHA256"),
                attributionBasis: posted.text("socialMedia.attributionBasis"),
                authorisationReference: posted.text("socialMedia.authorisationReference"))
            : nil
        return IntelligenceDraft(
            subjectID: subject.description, text: posted["text"] ?? "",
            grade: GradeDraft(
                source: posted["grade.source"] ?? "", assessment: posted["grade.assessment"] ?? "",
                handling: posted["grade.handling"] ?? "", conditions: posted.text("grade.conditions")),
            basis: posted["basis"] ?? "", sourceType: source, sourceID: posted.text("sourceId"), socialMedia: social)
    }

    private func flagForm(_ view: SubjectView) -> PageForm {
        PageForm([
            FormField(
                "kind", "Flag", .select, required: true, options: [("", "Choose")] + Flag.Kind.allCases.map { ($0.rawValue, $0.label) })
        ])
    }
}

extension FormField {
    func with(value: String) -> FormField {
        var copy = self
        copy.value = value
        return copy
    }
}
