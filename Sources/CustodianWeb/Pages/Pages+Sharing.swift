import CustodianCore
import Foundation
import Hummingbird

/// Sharing pages: an officer asks to share a person, the borough's requests with their outcomes
/// and the SPOC's decision, the package download, the partner portal with its recall notices,
/// and governance's view of what recipients still have to confirm.
extension Pages {
    func sharingRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/subjects/:id/share/new") { request, context in
            let (visitor, purpose) = try await working(request)
            try mayRecord(visitor, purpose)
            let view = try await register.subject(try subjectID(context.parameters.get("id")), by: visitor.user, for: purpose)
            return try await sharePage(visitor, view, shareForm(try await agreementOptions(visitor), view))
        }
        router.post("/subjects/:id/share/new") { request, context in
            let (visitor, purpose) = try await working(request)
            let id = try subjectID(context.parameters.get("id"))
            let posted = try await posted(request, visitor)
            let choice = (posted["agreement"] ?? "").split(separator: "|").map(String.init)
            do {
                guard choice.count == 2 else {
                    throw RegisterError.invalid([
                        FieldViolation(field: "agreement", rule: "share.agreement", message: "choose an agreement and partner")
                    ])
                }
                _ = try await register.requestShare(
                    ShareDraft(
                        agreementID: choice[0], partnerID: choice[1], subjectIDs: [id.description],
                        acknowledgedConditions: posted.pairs.map(\.0).filter { $0.hasPrefix("ack-") }.map { String($0.dropFirst(4)) },
                        safeguardingRationale: posted["safeguardingRationale"]),
                    by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/shares", done: .shareRequested)
            } catch RegisterError.invalid(let violations) {
                let view = try await register.subject(id, by: visitor.user, for: purpose)
                var form = shareForm(try await agreementOptions(visitor), view)
                form.fill(from: posted)
                form.place(violations)
                return try await sharePage(visitor, view, form, status: .unprocessableContent)
            }
        }
        router.get("/shares") { request, _ in
            let (visitor, purpose) = try await working(request)
            return try await sharesPage(visitor, purpose)
        }
        router.post("/shares/:id/decision") { request, context in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let id: ShareRequestID = try Self.id(context.parameters.get("id"), "share request")
            do {
                _ = try await register.decideShare(
                    id, approve: posted["decision"] == "approve", reason: posted["reason"] ?? "",
                    excluding: posted.all("exclude"), by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/shares", done: .shareDecided)
            } catch RegisterError.invalid(let violations) {
                return try await sharesPage(visitor, purpose, errors: [id: violations], status: .unprocessableContent)
            }
        }
        router.get("/disclosures/:id/package") { request, context in
            let (visitor, purpose) = try await working(request)
            let id: DisclosureID = try Self.id(context.parameters.get("id"), "disclosure")
            let built = try await register.package(id, by: visitor.user, for: purpose)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/octet-stream",
                    .contentDisposition: "attachment; filename=\"custodian-\(id).age\"",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: built.encrypted)))
        }
        router.get("/portal") { request, _ in
            let (visitor, purpose) = try await working(request)
            let shared = try await register.sharedWithMe(by: visitor.user, for: purpose)
            let recalls = try await register.recalls(by: visitor.user)
            return page(
                "portal", "Shared with your organisation", visitor,
                [
                    "disclosures": shared.map { s -> [String: Any] in
                        [
                            "id": s.header.id.description, "title": s.agreementTitle, "purpose": s.header.purpose,
                            "expiresOn": s.header.expiresOn.description, "watermark": s.header.watermark,
                            "records": s.records.map(Self.recordRow),
                            "steps": PackageSteps.steps(for: s.header.id).map { step -> [String: Any] in
                                var row: [String: Any] = ["say": step.say]
                                row.setIfHeld("command", step.command)
                                return row
                            },
                            "keyPEM": PackageSteps.publicKeyPEM(register.ledger.verifier),
                        ]
                    },
                    "hasDisclosures": !shared.isEmpty,
                    "recalls": recalls.filter(\.isOutstanding).map(Self.recallRow),
                    "hasRecalls": recalls.contains(where: \.isOutstanding),
                ])
        }
        router.post("/portal/recalls/:id") { request, context in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            let id: RecallID = try Self.id(context.parameters.get("id"), "recall")
            _ = try await register.answerRecall(id, confirmDeletion: posted["step"] == "confirm", by: visitor.user)
            return Self.redirectAfterPost("/portal", done: .recallConfirmed)
        }
        router.get("/agreements") { request, _ in
            let visitor = try await visitor(request)
            let partners = try await register.partners(by: visitor.user)
            let names = Dictionary(partners.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let agreements = try await register.agreements(by: visitor.user)
            let staff = try await staffNames(agreements.flatMap { [$0.draftedBy] + $0.approvals }, visitor)
            let today = visitor.now.day
            return page(
                "agreements", "Agreements", visitor,
                [
                    "agreements": agreements.map { a -> [String: Any] in
                        [
                            "id": a.id.description, "title": a.title, "standing": a.standing(on: today).rawValue,
                            "partners": a.partners.map { names[$0] ?? $0.description }.joined(separator: ", "), "purpose": a.purpose,
                            "legalPower": a.legalPower, "fields": a.fields.map(\.rawValue).sorted().joined(separator: ", "),
                            "categories": a.categories.map(\.rawValue).sorted().joined(separator: ", "),
                            "bands": a.bands.map(\.rawValue).sorted().joined(separator: ", "),
                            "safeguarding": a.safeguarding, "onwardSharing": a.onwardSharing, "retentionDays": a.retentionDays,
                            "conditions": a.handlingConditions ?? "none", "security": a.securityTerms,
                            "signatories": a.signatories.joined(separator: "; "),
                            "startsOn": a.startsOn.description, "reviewOn": a.reviewOn.description, "expiresOn": a.expiresOn.description,
                            "approvals": a.approvals.count,
                            "canApprove": a.status == .draft
                                && AccessPolicy.offers(
                                    visitor.user, .agreementApprove, purpose: nil,
                                    separation: TwoPersonCheck(.agreement, proposer: a.draftedBy, earlierDeciders: a.approvals),
                                    today: visitor.now.day),
                            "reviews": a.reviews.count, "draftedBy": staff[a.draftedBy],
                            "approvedBy": a.approvals.map { staff[$0] }.joined(separator: " and "),
                        ]
                    },
                    "partners": partners.map {
                        [
                            "name": $0.name, "kind": $0.kind.rawValue.replacingOccurrences(of: "-", with: " "),
                            "statutory": $0.statutory ? "statutory partner" : "non-statutory", "key": $0.key.description,
                            "recipients": $0.recipients.count,
                        ]
                    },
                ])
        }
        router.post("/agreements/:id/approval") { request, context in
            let visitor = try await visitor(request)
            _ = try await posted(request, visitor)
            let id: AgreementID = try Self.id(context.parameters.get("id"), "agreement")
            _ = try await register.approveAgreement(id, by: visitor.user)
            return Self.redirectAfterPost("/agreements", done: .agreementApproval)
        }
        router.post("/disclosures/:id/recall") { request, context in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            let id: DisclosureID = try Self.id(context.parameters.get("id"), "disclosure")
            if !Self.confirmed(posted),
                let disclosure = try await register.disclosures(by: visitor.user).first(where: { $0.id == id })
            {
                let partner = try await register.partners(by: visitor.user).first { $0.id == disclosure.partnerID }
                return checkAnswers(
                    CheckAnswers(
                        heading: "Check before you recall this disclosure",
                        rows: [
                            ("Partner", partner?.name ?? disclosure.partnerID.description),
                            ("Shared", "\(Visitor.format(disclosure.createdAt)) by \(disclosure.unit.name)"),
                            ("Purpose", disclosure.purpose), ("Recall", "Every person in it, as unlawful"),
                        ],
                        warning:
                            "The partner loses access at once and must confirm they have deleted what they hold. A recall cannot be withdrawn.",
                        confirm: "Recall the disclosure", back: "/recalls"), action: request.uri.path, posted: posted, visitor)
            }
            _ = try await register.recallDisclosure(id, by: visitor.user)
            return Self.redirectAfterPost("/recalls", done: .disclosureRecalled)
        }
        router.get("/recalls") { request, _ in
            let visitor = try await visitor(request)
            let recalls = try await register.recalls(by: visitor.user)
            let partners = Dictionary(
                try await register.partners(by: visitor.user).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let outstanding = Dictionary(grouping: recalls.filter(\.isOutstanding), by: \.partnerID)
            let wholly = Set(recalls.filter(\.isWholeDisclosure).map(\.disclosureID))
            let disclosures = try await register.disclosures(by: visitor.user)
            return page(
                "recalls", "Recalls", visitor,
                [
                    "disclosures": disclosures.map { d -> [String: Any] in
                        [
                            "id": d.id.description, "partner": partners[d.partnerID] ?? d.partnerID.description, "unit": d.unit.name,
                            "createdAt": Visitor.format(d.createdAt), "expiresOn": d.expiresOn.description, "purpose": d.purpose,
                            "recalled": wholly.contains(d.id),
                        ]
                    },
                    "hasDisclosures": !disclosures.isEmpty,
                    "partners": outstanding.map { partner, list -> [String: Any] in
                        [
                            "name": partners[partner] ?? partner.description, "count": list.count,
                            "unacknowledged": list.filter { $0.acknowledgedAt == nil }.count, "recalls": list.map(Self.recallRow),
                        ]
                    }.sorted { ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "") },
                    "hasOutstanding": !outstanding.isEmpty,
                    "confirmed": recalls.filter { !$0.isOutstanding }.count,
                ])
        }
    }

    private func agreementOptions(_ visitor: Visitor) async throws -> [(value: String, label: String)] {
        let partners = Dictionary(
            try await register.partners(by: visitor.user).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return try await register.agreements(by: visitor.user).filter { $0.standing(on: visitor.now.day) == .active }.flatMap { a in
            a.partners.map { ("\(a.id)|\($0)", "\(a.title): \(partners[$0] ?? "partner")") }
        }
    }

    /// One acknowledgement per code C item, in its own words: the conditions are read item by item.
    private func shareForm(_ options: [(value: String, label: String)], _ view: SubjectView) -> PageForm {
        var fields = [
            FormField(
                "agreement", "Agreement and recipient", .select, hint: "Only agreements in force today are offered.", required: true,
                options: [("", "Choose")] + options)
        ]
        for item in view.intelligence {
            guard case .current(let g) = item.grade, g.handling == .c else { continue }
            var field = FormField(
                "ack-\(item.id)",
                "Intelligence \(item.grade.code): I have read its handling conditions (\(g.conditions ?? "conditions")) and they permit this share",
                .checkbox)
            field.group = "acknowledgement"
            fields.append(field)
        }
        if view.safeguarding.isChild {
            fields.append(
                FormField(
                    "safeguardingRationale", "Safeguarding rationale", .textarea,
                    hint:
                        "This person is under 18 or of unknown age: say how sharing protects them (at least 20 characters). Central governance approves after the SPOC.",
                    required: true))
        }
        return PageForm(fields)
    }

    private func sharePage(_ visitor: Visitor, _ view: SubjectView, _ form: PageForm, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        var c = form.context
        c["subject"] = ["id": view.id.description, "name": view.personal.displayName]
        c["heading"] = "Request a share of \(view.personal.displayName)"
        c["intro"] =
            "The register checks the person against the agreement (categories, bands, review, restrictions, handling conditions) and says why they are in or out. A SPOC who is not you approves before anything leaves; only the agreement's fields go."
        c["action"] = "/subjects/\(view.id)/share/new"
        c["submit"] = "Request share"
        return page("subject-action", "Request a share", visitor, c, status: status)
    }

    private func sharesPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, errors: [ShareRequestID: [FieldViolation]] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let list = try await register.namedShareRequests(by: visitor.user, for: purpose)
        let requests = list.requests
        let partners = Dictionary(
            try await register.partners(by: visitor.user).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let agreements = Dictionary(
            AccessPolicy.runs(visitor.user.role, .agreementList) ? try await register.agreements(by: visitor.user).map { ($0.id, $0) } : [],
            uniquingKeysWith: { first, _ in first })
        let names = try await staffNames(requests.flatMap { [$0.requestedBy] + ($0.decidedBy.map { [$0] } ?? []) }, visitor)
        return page(
            "shares", "Shares", visitor,
            [
                "requests": requests.map { r -> [String: Any] in
                    var row: [String: Any] = [
                        "id": r.id.description, "partner": partners[r.partnerID] ?? r.partnerID.description, "status": r.status.rawValue,
                        "requestedAt": Visitor.format(r.requestedAt), "purpose": r.purpose, "requestedBy": names[r.requestedBy],
                        "people": r.outcomes.count, "peopleIn": r.outcomes.filter(\.included).count,
                        "outcomes": r.outcomes.map { o -> [String: Any] in
                            [
                                "subjectId": o.subjectID.description, "included": o.included,
                                "name": list.names[o.subjectID] ?? "A person whose record is restricted",
                                "reasons": o.reasons.map { ["rule": $0.rule.rawValue, "reason": $0.reason] },
                                "harm": o.harmShown ?? "", "shareId": r.id.description,
                            ]
                        },
                        // The first step is the borough SPOC's; the policy and four-eyes say whether this SPOC.
                        "canDecide": r.status == .pending
                            && AccessPolicy.offers(
                                visitor.user, .shareDecide, unit: r.unit, step: .borough, purpose: visitor.purpose,
                                separation: TwoPersonCheck(.share, proposer: r.requestedBy), today: visitor.now.day),
                        "awaitingCentral": r.status == .awaitingCentral,
                        "errors": (errors[r.id] ?? []).map(Views.said),
                    ]
                    if let d = r.disclosureID { row["disclosureId"] = d.description }
                    if let a = agreements[r.agreementID] {
                        row["agreement"] = [
                            "title": a.title, "legalPower": a.legalPower,
                            "fields": a.fields.map(\.rawValue).sorted().joined(separator: ", "),
                        ]
                    }
                    row.setIfHeld("safeguardingRationale", r.safeguardingRationale)
                    if let by = r.decidedBy { row["decidedBy"] = names[by] }
                    if let reason = r.decisionReason { row["decisionReason"] = reason }
                    return row
                },
                "hasRequests": !requests.isEmpty,
            ], status: status)
    }

    static func recordRow(_ r: DisclosedRecord) -> [String: Any] {
        var fields: [[String: String]] = [["label": "Categories", "value": r.categories.joined(separator: ", ")]]
        func add(_ label: String, _ value: String?) { if let value, !value.isEmpty { fields.append(["label": label, "value": value]) } }
        add("Name", r.name)
        add("Date of birth", r.dateOfBirth)
        add("Aliases", r.aliases?.joined(separator: "; "))
        add("Nickname", r.nickname)
        add("Sex", r.sex)
        add("Addresses", r.addresses?.joined(separator: "; "))
        add("PNC id", r.pncId)
        add("Harm band", r.harmBand.map { "\($0) (an assessment, not a fact)" })
        add(
            "Matters",
            r.matters?.map {
                "\($0.grade.map { "[\($0)] " } ?? "")\($0.reference) \($0.offence ?? $0.kind) \($0.occurredOn) as \($0.category) (\($0.basis))"
            }.joined(
                separator: "; "))
        add("Intelligence", r.intelligence?.map { "[\($0.grade), \($0.basis)] \($0.text)" }.joined(separator: "; "))
        add("Flags", r.flags?.map { "\($0.kind) (\($0.basis))" }.joined(separator: "; "))
        add("Last reviewed", r.lastReviewed)
        return ["ref": r.recordRef, "fields": fields]
    }

    static func recallRow(_ r: Recall) -> [String: Any] {
        [
            "id": r.id.description, "reason": r.reason.rawValue, "raisedAt": Visitor.format(r.raisedAt),
            "disclosure": r.disclosureID.description,
            "refs": r.recordRefs.isEmpty ? "every record of the disclosure" : r.recordRefs.joined(separator: ", "),
            "acknowledged": r.acknowledgedAt != nil,
        ]
    }
}
