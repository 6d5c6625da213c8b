import CustodianCore
import Foundation
import Hummingbird

/// The subjects a user may see, search, a subject's page and recording a new subject.
extension Pages {
    func subjectRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/subjects") { request, _ in try await subjectList(request) }
        router.get("/subjects/new") { request, _ in
            let (visitor, purpose) = try await working(request)
            try mayRecord(visitor, purpose)
            return newSubjectPage(visitor, subjectForm())
        }
        router.post("/subjects/new") { request, _ in try await recordSubject(request) }
        router.get("/subjects/:id") { request, context in
            let (visitor, purpose) = try await working(request)
            let id = try subjectID(context.parameters.get("id"))
            let view = try await register.subject(id, by: visitor.user, for: purpose)
            return page("subject", view.personal.displayName, visitor, subjectContext(view, visitor))
        }
        router.get("/subjects/:id/history") { request, context in
            let (visitor, purpose) = try await working(request)
            let id = try subjectID(context.parameters.get("id"))
            let history = try await register.history(of: id, by: visitor.user, for: purpose)
            return page(
                "history", "Scores and reviews", visitor,
                [
                    "subjectId": id.description,
                    "assessments": history.assessments.reversed().map {
                        [
                            "at": Visitor.format($0.at), "score": String(format: "%.1f", $0.assessment.score),
                            "band": $0.assessment.band.rawValue, "bandLabel": $0.assessment.band.rawValue.capitalizedFirst,
                            "version": $0.assessment.rulebookVersion,
                            "lines": $0.assessment.lines.map {
                                ["input": $0.input, "points": String(format: "%.1f", $0.points), "working": $0.working]
                            },
                        ] as [String: Any]
                    },
                    "hasAssessments": !history.assessments.isEmpty, "scoresWithheld": history.scoresWithheld,
                    "reviews": history.reviews.reversed().map {
                        [
                            "at": Visitor.format($0.at), "outcome": $0.review.outcome.rawValue.capitalizedFirst,
                            "rationale": $0.review.rationale, "score": $0.review.score.map { String(format: "%.1f", $0) } ?? "none",
                            "removalRejected": $0.review.removalRejected?.label ?? "", "version": $0.review.rulebookVersion,
                        ] as [String: Any]
                    },
                    "hasReviews": !history.reviews.isEmpty,
                ])
        }
        router.get("/subjects/:id/ethnicity") { request, context in
            let (visitor, purpose) = try await working(request)
            let id = try subjectID(context.parameters.get("id"))
            let sensitive = try await register.ethnicity(of: id, by: visitor.user, for: purpose)
            return page(
                "ethnicity", "Ethnicity", visitor,
                [
                    "subjectId": id.description,
                    "officerDefined": sensitive.officerDefinedEthnicity.map { $0.code.label } ?? "not recorded",
                    "selfDefined": sensitive.selfDefinedEthnicity.map { $0.code.rawValue } ?? "not recorded",
                ])
        }
    }

    /// Refuses a recording form to a role the policy would refuse the recording itself, so no
    /// one fills in a form that cannot be saved. The use case checks again when it is sent.
    func mayRecord(_ visitor: Visitor, _ purpose: StatedPurpose) throws {
        if case .failure(let denial) = AccessPolicy.decide(visitor.user, .subjectCreate, purpose: purpose, today: visitor.now.day) {
            throw RegisterError.denied(denial)
        }
    }

    func subjectID(_ text: String?) throws -> SubjectID { try Self.id(text, "subject") }

    /// A record's id from the path, or the same not-found an unknown id gets.
    static func id<Tag>(_ text: String?, _ kind: String) throws -> Identifier<Tag> {
        guard let text, let id = Identifier<Tag>(text) else { throw RegisterError.notFound(kind: kind, id: text ?? "") }
        return id
    }

    private func subjectList(_ request: Request) async throws -> Response {
        let (visitor, purpose) = try await working(request)
        let query = try FormData(query: request)
        let name = query["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let dob = query["dateOfBirth"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var search = PageForm.filters([
            FormField("name", "Name", hint: "Any name or alias; spellings that sound alike match."),
            FormField("dateOfBirth", "Date of birth", .date, hint: "For example, 27 3 2007."),
        ])
        search.set("name", name)
        search.set("dateOfBirth", dob)
        var context: [String: Any] = ["subjects": [[String: Any]]()]
        let today = visitor.now.day
        if !name.isEmpty || !dob.isEmpty {
            do {
                let hits = try await register.searchSubjects(name: name, dateOfBirth: dob, by: visitor.user, for: purpose)
                context["searched"] = true
                context["subjects"] = hits.map { Views.summary($0, today: today) }
                context["resultCount"] = hits.count
                context["capped"] = hits.count >= Register.searchLimit
            } catch RegisterError.invalid(let violations) {
                // A refused search found nothing because it ran nothing: say only what to fix.
                search.place(violations)
                context["refusedSearch"] = true
            }
        } else {
            let before = try query["before"].map { text in
                guard let id = SubjectID(text) else {
                    throw RegisterError.invalid([FieldViolation(field: "before", rule: "id.format", message: "before must be a subject id")]
                    )
                }
                return id
            }
            let page = try await register.listSubjects(before: before, by: visitor.user, for: purpose)
            context["subjects"] = page.subjects.map { Views.summary($0, today: today) }
            if let next = Views.pager(next: page.next?.description, query: [:]) { context["next"] = next }
            context["isFirstPage"] = before == nil
        }
        context["search"] = search.context
        context["nameField"] = search["name"]
        context["dobField"] = search["dateOfBirth"]
        context["showBorough"] = !visitor.user.role.isBoroughRole
        context["canRecord"] = visitor.user.role.isBoroughRole
        context["scope"] = visitor.user.role.isBoroughRole ? visitor.user.unit.name : "London"
        return page("subjects", "Subjects", visitor, context)
    }

    private func subjectContext(_ view: SubjectView, _ visitor: Visitor) -> [String: Any] {
        let p = view.personal
        func group(_ title: String, _ tone: String, _ wanted: Set<Category>) -> [String: Any]? {
            let rows = view.matters.filter { wanted.contains($0.link.category) }
            guard !rows.isEmpty else { return nil }
            return [
                "title": title, "tone": tone,
                "matters": rows.map { row -> [String: Any] in
                    var m = Views.matter(row.matter)
                    m["category"] = Views.category(row.link.category)
                    m["linkBasis"] = Views.basis(row.link.basis)
                    return m
                },
            ]
        }
        let groups = [
            group("As suspect or convicted", "enforcement", [.suspect, .convicted]),
            group("As victim or potential victim", "victim", [.victim]),
            group("As witness", "witness", [.witness]),
            group("Other involvement", "other", [.other]),
        ].compactMap { $0 }
        let intelligenceByID = Dictionary(view.intelligence.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let matterByID = Dictionary(view.matters.map { ($0.matter.id, $0.matter) }, uniquingKeysWith: { first, _ in first })
        let flags = view.flags.map { flag -> [String: Any] in
            [
                "kind": flag.kind.label, "recordedAt": Visitor.format(flag.provenance.recordedAt),
                "evidence": flag.evidence.map { evidence -> [String: Any] in
                    switch evidence {
                    case .intelligence(let id):
                        let item = intelligenceByID[id]
                        return [
                            "label": "Intelligence \(item.map { Views.grade($0.grade)["code"] as? String ?? "" } ?? "")",
                            "detail": item?.content.text ?? id.description, "href": "#intel-\(id)",
                        ] as [String: Any]
                    case .matter(let id):
                        let matter = matterByID[id]
                        let row: [String: Any] = [
                            "label": "Matter \(matter?.reference ?? id.description)",
                            "detail": matter.map { Views.kindLabel($0.kind) + ($0.offence.map { ", " + Views.offenceLabel($0) } ?? "") }
                                ?? "",
                            "href": "/matters/\(id)",
                        ]
                        return row.compacted
                    }
                },
            ]
        }
        let held = view.categories.map(\.category)
        let canRecord = visitor.user.role.isBoroughRole
        let user = visitor.user
        var inclusion: [String: Any] = [:]
        if let i = view.inclusion {
            inclusion = [
                "status": i.status.rawValue.replacingOccurrences(of: "-", with: " ").capitalizedFirst, "version": i.rulebookVersion,
                "isChild": i.isChild, "removalReview": i.removalReviewRequired, "removalProposed": i.removalProposedBy != nil,
                "decisions": i.decisions.map {
                    [
                        "step": $0.step == .borough ? "Borough" : "Central", "outcome": $0.approved ? "approved" : "rejected",
                        "at": Visitor.format($0.at), "reason": $0.reason,
                    ]
                },
                // Whose step it is comes from the status; whether this person may take it, from the policy.
                "canDecide": i.status.step.map { step in
                    AccessPolicy.offers(
                        user, .inclusionDecide, unit: i.unit, step: step, purpose: visitor.purpose,
                        separation: TwoPersonCheck(.inclusion, proposer: i.proposedBy, earlierDeciders: i.decisions.map(\.by)),
                        today: visitor.now.day)
                } ?? false,
                "canReview": i.status == .included && canRecord,
                "canDecideRemoval": i.removalProposedBy.map { proposer in
                    AccessPolicy.offers(
                        user, .removalDecide, unit: i.unit, purpose: visitor.purpose,
                        separation: TwoPersonCheck(.removal, proposer: proposer),
                        today: visitor.now.day)
                } ?? false,
            ]
            if let due = i.nextReviewDue { inclusion["nextReview"] = due.description }
            if let suspended = i.suspendedOn { inclusion["suspendedOn"] = suspended.description }
        }
        var harm: [String: Any] = [:]
        if let h = view.harm {
            harm = [
                "score": String(format: "%.1f", h.score), "band": h.band.rawValue, "bandLabel": h.band.rawValue.capitalizedFirst,
                "assessedOn": h.assessedOn.description, "version": h.rulebookVersion,
                "lines": h.lines.map { ["input": $0.input, "points": String(format: "%.1f", $0.points), "working": $0.working] },
            ]
            harm.setIfHeld("timeline", HarmTimeline.svg(h, id: "harm-timeline"))
        }
        let page: [String: Any] = [
            "id": view.id.description, "name": p.displayName, "borough": view.unit.name,
            "otherNames": p.names.dropFirst().map(\.full).joined(separator: "; "),
            "aliases": p.aliases.joined(separator: "; "), "nickname": p.nickname ?? "",
            "dateOfBirth": p.dateOfBirth?.description ?? "not known", "age": view.safeguarding.age.map(String.init) ?? "",
            "isChild": view.safeguarding.isChild, "ageUnknown": view.safeguarding.isAgeUnknown,
            "sex": p.sex.rawValue.replacingOccurrences(of: "-", with: " "),
            "pncId": p.pncID ?? "", "addresses": p.addresses,
            "enforcement": held.filter(\.isEnforcement).map(Views.category),
            "protected": held.filter { !$0.isEnforcement }.map(Views.category),
            "protectedOnly": CategoryStanding(held).isProtectedOnly && !held.isEmpty,
            "noCategories": held.isEmpty,
            "matterGroups": groups, "hasMatters": !groups.isEmpty,
            "intelligence": view.intelligence.map(Views.intelligence), "hasIntelligence": !view.intelligence.isEmpty,
            "flags": flags, "hasFlags": !flags.isEmpty,
            "canRecord": canRecord, "canFlag": canRecord && !CategoryStanding(held).isProtectedOnly,
            "canSeeEthnicity": visitor.user.permissions.contains(.sensitiveData),
            "inclusion": inclusion.isEmpty ? false : inclusion, "harm": harm.isEmpty ? false : harm, "harmWithheld": view.harmWithheld,
            "canPropose": canRecord && view.inclusion == nil && !CategoryStanding(held).isProtectedOnly,
            "canScore": !CategoryStanding(held).isProtectedOnly && !held.isEmpty
                && AccessPolicy.offers(visitor.user, .harmAssess, unit: view.unit, purpose: visitor.purpose, today: visitor.now.day),
            "restriction": view.restriction ?? "",
            "sameAs": view.sameAs.map { same -> [String: Any] in
                [
                    "subjectId": same.subject.description, "borough": same.unit.name, "decisionId": same.decision.id.description,
                    "reason": same.decision.reason, "at": Visitor.format(same.decision.at),
                ]
            },
            "hasSameAs": !view.sameAs.isEmpty,
            "recordedAt": Visitor.format(view.provenance.recordedAt), "source": Views.sourceLabel(view.provenance.sourceType),
        ]
        return page.compacted
    }

    // MARK: Recording a subject

    func subjectForm() -> PageForm {
        PageForm([
            FormField("names[0].given", "Given name", required: true),
            FormField("names[0].family", "Family name", required: true),
            FormField("aliases[0]", "Alias", hint: "Another name the person is known by, if any."),
            FormField("nickname", "Nickname"),
            FormField("dateOfBirth", "Date of birth", .date, hint: "For example, 27 3 2007. Leave it blank if it is not known."),
            FormField(
                "sex", "Sex", .select, required: true,
                options: [("", "Choose"), ("male", "Male"), ("female", "Female"), ("not-known", "Not known")]),
            FormField("pncId", "PNC id", hint: "As YY/NNNNNNNL, for example 19/1234567A, if the person has one."),
            FormField("addresses[0]", "Address", .textarea),
            FormField(
                "sourceType", "Where this came from", .select, required: true,
                options: SourceType.allCases.map { ($0.rawValue, Views.sourceLabel($0)) }),
        ])
    }

    private func newSubjectPage(_ visitor: Visitor, _ form: PageForm, status: HTTPResponse.Status = .ok) -> Response {
        page("subject-new", "Record a subject", visitor, form.context, status: status)
    }

    private func recordSubject(_ request: Request) async throws -> Response {
        let (visitor, purpose) = try await working(request)
        let posted = try await posted(request, visitor)
        var form = subjectForm()
        form.fill(from: posted)
        let draft = SubjectDraft(
            names: [.init(given: posted["names[0].given"] ?? "", family: posted["names[0].family"] ?? "")],
            aliases: posted.text("aliases[0]").map { [$0] } ?? [], nickname: posted.text("nickname"),
            dateOfBirth: posted.text("dateOfBirth"), addresses: posted.text("addresses[0]").map { [$0] } ?? [],
            pncID: posted.text("pncId"), sex: posted["sex"] ?? "", sourceType: posted["sourceType"] ?? "")
        do {
            let id = try await register.recordSubject(draft, by: visitor.user, for: purpose)
            return Self.redirectAfterPost("/subjects/\(id)", done: .subjectRecorded)
        } catch RegisterError.invalid(let violations) {
            form.place(violations)
            return newSubjectPage(visitor, form, status: .unprocessableContent)
        }
    }
}
