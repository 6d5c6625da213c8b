import CustodianCore
import Foundation
import Hummingbird

/// The rights team's pages: requests with their deadlines, one request's steps (identity, finding
/// the person, withholding, closing), and the s.45 answer as a document the person can read.
extension Pages {
    func rightsRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/rights") { request, _ in
            let (visitor, purpose) = try await working(request)
            return try await rightsPage(visitor, purpose)
        }
        router.post("/rights") { request, _ in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            do {
                let opened = try await register.openRightsRequest(
                    kind: posted["kind"] ?? "", receivedOn: posted["receivedOn"] ?? "",
                    requester: (posted.text("requester.name"), posted.text("requester.reference"), posted.text("requester.contact")),
                    by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/rights/\(opened.id)", done: .requestOpened)
            } catch RegisterError.invalid(let violations) {
                return try await rightsPage(visitor, purpose, errors: violations, status: .unprocessableContent)
            }
        }
        router.get("/rights/:id") { request, context in
            let (visitor, purpose) = try await working(request)
            let id: RightsRequestID = try Self.id(context.parameters.get("id"), "rights request")
            let query = try FormData(query: request)
            let search = RightsSearch(name: query["name"] ?? "", dateOfBirth: query.text("dateOfBirth"), pncID: query["pncId"])
            return try await rightsRequestPage(visitor, purpose, id, search: search.isEmpty ? nil : search)
        }
        router.post("/rights/:id/:step") { request, context in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let id: RightsRequestID = try Self.id(context.parameters.get("id"), "rights request")
            if context.parameters.get("step") == "decision", posted["decision"] == "erase", !Self.confirmed(posted) {
                return checkAnswers(
                    CheckAnswers(
                        heading: "Check before you decide to erase", rows: [("Decision", "Erase"), ("Outcome", posted["outcome"] ?? "")],
                        warning:
                            "Once a second member of the rights team confirms it, the person's key is destroyed, every record about them deleted and every recipient told to delete. It cannot be undone.",
                        confirm: "Decide to erase", back: "/rights/\(id)"), action: request.uri.path, posted: posted, visitor)
            }
            do {
                switch context.parameters.get("step") {
                case "identity":
                    _ = try await register.confirmIdentity(
                        id, evidence: posted["evidence"] ?? "", on: posted["confirmedOn"] ?? "", by: visitor.user, for: purpose)
                case "subjects":
                    _ = try await register.confirmSubjects(id, subjects: posted.all("subjectId"), by: visitor.user, for: purpose)
                case "withheld":
                    _ = try await register.withhold(
                        id, item: posted["item"] ?? "", ground: posted["ground"] ?? "", necessity: posted["necessity"] ?? "",
                        reviewOn: posted.text("reviewOn"), by: visitor.user, for: purpose)
                case "decision":
                    _ = try await register.decideErasureRequest(
                        id, decision: posted["decision"] ?? "", outcome: posted["outcome"] ?? "", by: visitor.user, for: purpose)
                case "statement":
                    let subject: SubjectID = try Self.id(posted["subjectId"], "subject")
                    _ = try await register.rectify(
                        id, subject: subject, change: .statement(ref: posted["ref"] ?? "", text: posted["text"] ?? ""), by: visitor.user,
                        for: purpose)
                case "closure":
                    _ = try await register.closeRightsRequest(
                        id, refused: posted["refused"] == "yes", outcome: posted["outcome"] ?? "", by: visitor.user, for: purpose)
                default:
                    throw RegisterError.notFound(kind: "page", id: request.uri.path)
                }
                return Self.redirectAfterPost("/rights/\(id)", done: .requestUpdated)
            } catch RegisterError.invalid(let violations) {
                return try await rightsRequestPage(visitor, purpose, id, errors: violations, status: .unprocessableContent)
            }
        }
        router.get("/retention") { request, _ in
            let (visitor, purpose) = try await working(request)
            return try await retentionPage(visitor, purpose)
        }
        router.post("/retention/:subject") { request, context in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let subject: SubjectID = try Self.id(context.parameters.get("subject"), "subject")
            do {
                try await register.decideRetention(
                    subject, keep: posted["decision"] == "keep", reason: posted["reason"] ?? "", by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/retention", done: .retentionDecided)
            } catch RegisterError.invalid(let violations) {
                return try await retentionPage(visitor, purpose, errors: violations, status: .unprocessableContent)
            }
        }
        router.get("/rights/:id/answer") { request, context in
            let (visitor, purpose) = try await working(request)
            let id: RightsRequestID = try Self.id(context.parameters.get("id"), "rights request")
            let answer = try await register.accessAnswer(id, by: visitor.user, for: purpose)
            return page("rights-answer", "Your personal data: our answer", visitor, Self.answerContext(answer))
        }
        // The letter to the person: no staff header, purpose bar or watermark, the receipts'
        // check as an appendix with a program they can run.
        router.get("/rights/:id/letter") { request, context in
            let (visitor, purpose) = try await working(request)
            let id: RightsRequestID = try Self.id(context.parameters.get("id"), "rights request")
            let answer = try await register.accessAnswer(id, by: visitor.user, for: purpose)
            var c = Self.answerContext(answer)
            c["stylesheet"] = assets.stylesheet.path
            return renderer.render("rights-letter", c)
        }
    }

    private func rightsPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, errors: [FieldViolation] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let all = try await register.rightsRequests(by: visitor.user, for: purpose)
        let today = visitor.now.day
        return page(
            "rights", "Rights requests", visitor,
            [
                "requests": all.reversed().map { Self.requestRow($0, today: today) }, "hasRequests": !all.isEmpty,
                "overdue": Self.notice(count: all.filter { $0.isOverdue(on: today) }.count),
                "kinds": RightsRequest.Kind.allCases.map { ["value": $0.rawValue, "label": $0.rawValue.capitalizedFirst] },
                "today": today.description, "errors": errors.map(Views.said),
                "receivedOnField": Views.dateInput("receivedOn", "Received on", value: today.description, id: "r-received"),
                "hasErrors": !errors.isEmpty,
            ], status: status)
    }

    private func retentionPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, errors: [FieldViolation] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let due = try await register.retentionQueue(by: visitor.user, for: purpose)
        return page(
            "retention", "Retention reviews", visitor,
            [
                "due": due.map {
                    [
                        "id": $0.subjectID.description, "borough": $0.unit.name,
                        "group": $0.group.rawValue.replacingOccurrences(of: "-", with: " "),
                        "lastActivity": $0.lastActivity.description, "dueOn": $0.dueOn.description,
                        "raisedOn": $0.raisedOn?.description ?? "",
                        "erasureProposedOn": $0.erasureProposedOn?.description ?? "",
                    ]
                },
                "hasDue": !due.isEmpty, "errors": errors.map(Views.said),
                "hasErrors": !errors.isEmpty,
            ], status: status)
    }

    private func rightsRequestPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, _ id: RightsRequestID, search: RightsSearch? = nil,
        errors: [FieldViolation] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let request = try await register.rightsRequests(by: visitor.user, for: purpose).first(where: { $0.id == id }) else {
            throw RegisterError.notFound(kind: "rights request", id: id.description)
        }
        var context = Self.requestRow(request, today: visitor.now.day)
        context["evidence"] = request.identityEvidence ?? ""
        context["awaitingIdentity"] = request.status == .awaitingIdentity
        context["open"] = request.status == .open
        context["isAccess"] = request.kind == .access
        context["isRectification"] = request.kind == .rectification
        context["isErasure"] = request.kind == .erasure
        context["decides"] = request.kind == .erasure || request.kind == .restriction
        if let proposal = request.erasureProposal {
            let names = try await staffNames([proposal.by], visitor)
            context["erasureProposal"] = [
                "outcome": proposal.outcome, "at": Visitor.format(proposal.at), "byYou": proposal.by == visitor.user.id,
                "by": names[proposal.by],
                "canConfirm": AccessPolicy.offers(
                    visitor.user, .rightsDecide, purpose: visitor.purpose, separation: TwoPersonCheck(.erasure, proposer: proposal.by),
                    today: visitor.now.day),
            ]
        }
        let identified = request.status != .awaitingIdentity
        let closed = request.status == .answered || request.status == .refused
        context["tasks"] = [
            TaskList.task("Confirm the person's identity", "identity", TaskList.state(done: identified)),
            TaskList.task("Find the person across London", "find", TaskList.state(done: !request.subjects.isEmpty, possible: identified)),
            TaskList.task(
                request.kind == .access ? "Compile the answer" : request.kind == .rectification ? "Rectify" : "Decide", "answer",
                TaskList.state(done: closed, possible: !request.subjects.isEmpty)),
            TaskList.task("Close the request in writing", "close", TaskList.state(done: closed, possible: identified)),
        ]
        context["hasSubjects"] = !request.subjects.isEmpty
        context["subjects"] = request.subjects.map { ["id": $0.description] }
        context["withheldItems"] = request.restrictions.map {
            ["item": $0.item, "ground": $0.ground.statute, "necessity": $0.necessity, "reviewOn": $0.reviewOn.description]
        }
        context["grounds"] = RestrictionGround.allCases.map { ["value": $0.rawValue, "label": $0.statute] }
        context["today"] = visitor.now.day.description
        context["confirmedOnField"] = Views.dateInput("confirmedOn", "Confirmed on", value: visitor.now.day.description, id: "i-on")
        context["dobField"] = Views.dateInput("dateOfBirth", "Date of birth (optional)", value: search?.dateOfBirth ?? "", id: "s-dob")
        context["neitherReviewField"] = Views.dateInput(
            "reviewOn", "Look at this again on", id: "n-review", hint: "For example, 27 3 2027")
        context["withheldReviewField"] = Views.dateInput(
            "reviewOn", "Look at this again on", id: "w-review", hint: "For example, 27 3 2027")
        context["outcome"] = request.outcome ?? ""
        context["errors"] = errors.map(Views.said)
        context["hasErrors"] = !errors.isEmpty
        context["hasWithheldItems"] = !request.restrictions.isEmpty
        context["ncnd"] = request.neitherConfirmNorDeny
        context["canAnswer"] = !request.subjects.isEmpty || request.neitherConfirmNorDeny
        if let search {
            do {
                let found = try await register.searchSubjects(
                    name: search.name, dateOfBirth: search.dateOfBirth, pncID: search.pncID, by: visitor.user, for: purpose)
                context["searched"] = true
                context["searchName"] = search.name
                context["searchPNC"] = search.pncID ?? ""
                context["candidates"] = found.map {
                    [
                        "id": $0.id.description, "name": $0.displayName, "borough": $0.unit.name,
                        "dateOfBirth": $0.dateOfBirth?.description ?? "not known",
                    ]
                }
                context["hasCandidates"] = !found.isEmpty
            } catch RegisterError.invalid(let violations) {
                context["errors"] = violations.map(Views.said)
                context["hasErrors"] = true
            }
        }
        return page("rights-request", "Rights request", visitor, context, status: status)
    }

    static func requestRow(_ r: RightsRequest, today: LocalDate) -> [String: Any] {
        [
            "id": r.id.description, "kind": r.kind.rawValue.capitalizedFirst,
            "status": r.status.rawValue.replacingOccurrences(of: "-", with: " "),
            "receivedOn": r.receivedOn.description, "dueOn": r.dueOn?.description ?? "clock not started", "overdue": r.isOverdue(on: today),
            "people": r.subjects.count,
        ]
    }

    static func answerContext(_ a: AccessAnswer) -> [String: Any] {
        var c: [String: Any] = [
            "requestId": a.requestID.description,
            "hasReceipts": a.people.contains { !$0.recipients.isEmpty },
            "compiledOn": a.compiledAt.day.description, "purposes": a.purposes, "legalBasis": a.legalBasis, "rights": a.rights,
            "withheld": a.withheld, "hasWithheld": !a.withheld.isEmpty, "verifying": a.verifying, "confirmation": a.confirmation,
            "people": a.people.map { p -> [String: Any] in
                // Mustache shows a section for an empty string, so what is not held is left out.
                var person: [String: Any] = [
                    "names": p.names.joined(separator: "; "), "dateOfBirth": p.dateOfBirth ?? "not held", "sex": p.sex,
                    "borough": p.borough, "categories": p.categories.joined(separator: ", "), "status": p.registerStatus,
                    "retention": p.retention, "statements": p.statements, "hasStatements": !p.statements.isEmpty,
                    "items": p.items.map { i -> [String: Any] in
                        var item: [String: Any] = [
                            "kind": i.kind.capitalizedFirst, "description": i.description,
                            "basis": i.basis == "assessment" ? "An assessment (an opinion, not a fact)" : "A fact",
                            "source": i.origin.sourceType.replacingOccurrences(of: "-", with: " "),
                            "recordedBy": i.origin.recordedBy, "recordedOn": i.origin.recordedOn,
                        ]
                        item.setIfHeld("category", i.category)
                        item.setIfHeld("grade", i.grade)
                        return item
                    },
                    "hasRecipients": !p.recipients.isEmpty,
                    "recipients": p.recipients.map { r -> [String: Any] in
                        [
                            "at": Visitor.format(r.at), "recipient": r.recipient, "agreement": r.agreement,
                            "fields": r.fields.joined(separator: ", "), "leafIndex": r.receipt.leafIndex, "treeSize": r.receipt.treeSize,
                            "receiptJSON": Self.receiptJSON(r.receipt),
                        ]
                    },
                    "ethnicity": p.ethnicity, "hasEthnicity": !p.ethnicity.isEmpty,
                    "assessments": p.assessments.map { a -> [String: Any] in
                        [
                            "assessedOn": a.assessedOn, "score": String(format: "%.0f", a.score), "band": a.band,
                            "rulebookVersion": a.rulebookVersion, "lines": a.lines, "marker": a.marker,
                        ]
                    },
                    "hasAssessments": !p.assessments.isEmpty,
                    "decisions": p.decisions.map { ["on": $0.on, "what": $0.what, "reason": $0.reason] },
                    "hasDecisions": !p.decisions.isEmpty, "alsoHeldBy": p.alsoHeldBy, "hasAlsoHeldBy": !p.alsoHeldBy.isEmpty,
                ]
                person.setIfHeld("nickname", p.nickname)
                person.setIfHeld("aliases", p.aliases.joined(separator: "; "))
                person.setIfHeld("addresses", p.addresses.joined(separator: "; "))
                person.setIfHeld("pncId", p.pncID)
                return person
            },
        ]
        if let r = a.requester {
            var requester: [String: Any] = ["name": r.name, "contact": r.contact]
            requester.setIfHeld("reference", r.reference)
            c["requester"] = requester
        }
        return c
    }

    /// A receipt as the verifier in the letter reads it: one JSON object, keys sorted.
    static func receiptJSON(_ r: AccessAnswer.Receipt) -> String {
        var object: [String: Any] = [
            "leafIndex": r.leafIndex, "leafHash": r.leafHash, "subjectId": r.subjectId.description, "treeSize": r.treeSize,
            "proof": r.proof, "checkpoint": r.checkpoint,
        ]
        object.setIfHeld("canonicalEntry", r.canonicalEntry)
        if let position = r.subjectPosition { object["subjectPosition"] = position }
        object.setIfHeld("subjectSalt", r.subjectSalt)
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// What the rights team searches the register by to find a requester.
struct RightsSearch {
    let name: String
    let dateOfBirth: String?
    let pncID: String?

    var isEmpty: Bool { name.isEmpty && (pncID ?? "").isEmpty }
}

extension [String: Any] {
    /// Sets a value only when there is one, so a template's section for it stays closed.
    mutating func setIfHeld(_ key: String, _ value: String?) {
        if let value, !value.isEmpty { self[key] = value }
    }
}
