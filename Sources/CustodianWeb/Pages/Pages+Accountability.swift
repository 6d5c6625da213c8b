import CustodianCore
import Foundation
import Hummingbird

/// Governance's page for the DPIA: the versions, the one in force and its review date, and the
/// steps of a new version (draft, the DPO's advice, the board's approval).
extension Pages {
    func accountabilityRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/dpia") { request, _ in
            let (visitor, purpose) = try await working(request)
            return try await dpiaPage(visitor, purpose)
        }
        router.post("/dpia") { request, _ in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            do {
                _ = try await register.draftDPIA(
                    DPIADraft(
                        processing: posted["processing"] ?? "", necessity: posted["necessity"] ?? "", risks: posted["risks"] ?? "",
                        measures: posted["measures"] ?? "", priorConsultation: posted["priorConsultation"] == "yes",
                        icoAdvice: posted.text("icoAdvice"), reviewOn: posted["reviewOn"] ?? ""), by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/dpia", done: .dpiaSaved)
            } catch RegisterError.invalid(let violations) {
                return try await dpiaPage(visitor, purpose, errors: violations, status: .unprocessableContent)
            }
        }
        router.get("/record-of-processing") { request, _ in
            let (visitor, purpose) = try await working(request)
            let r = try await register.recordOfProcessing(by: visitor.user, for: purpose)
            return page(
                "record-of-processing", "Record of processing", visitor,
                [
                    "generatedAt": Visitor.format(r.generatedAt), "controller": r.controller, "dpo": r.dataProtectionOfficer,
                    "purposes": r.purposes, "legalBasis": r.legalBasis, "subjectCategories": r.subjectCategories,
                    "dataCategories": r.dataCategories.map { ["field": $0.field, "kind": $0.kind.rawValue, "meaning": $0.meaning] },
                    "recipients": r.recipients.map {
                        [
                            "kind": $0.partnerKind.replacingOccurrences(of: "-", with: " "), "agreement": $0.agreement,
                            "legalPower": $0.legalPower, "fields": $0.fields.joined(separator: ", "), "until": $0.until.description,
                        ]
                    },
                    "noRecipients": r.recipients.isEmpty, "transfers": r.transfers, "retention": r.retention,
                    "profiling": r.profiling.method, "rulebookVersion": r.profiling.rulebookVersion, "bands": r.profiling.bands,
                    "humanDecision": r.profiling.humanDecision, "security": r.security, "logging": r.logging.joined(separator: ", "),
                    "dpia": r.dpia, "sensitiveProcessing": r.sensitiveProcessing,
                ])
        }
        router.post("/policy-documents") { request, _ in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            do {
                _ = try await register.draftPolicyDocument(
                    PolicyDocumentDraft(
                        conditions: posted["conditions"] ?? "", procedures: posted["procedures"] ?? "",
                        retention: posted["retention"] ?? "",
                        reviewOn: posted["reviewOn"] ?? ""), by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/dpia", done: .policySaved)
            } catch RegisterError.invalid(let violations) {
                return try await dpiaPage(visitor, purpose, errors: violations, status: .unprocessableContent)
            }
        }
        router.post("/policy-documents/:id/approval") { request, context in
            let (visitor, purpose) = try await working(request)
            _ = try await posted(request, visitor)
            let id: PolicyDocumentID = try Self.id(context.parameters.get("id"), "policy document")
            _ = try await register.approvePolicyDocument(id, by: visitor.user, for: purpose)
            return Self.redirectAfterPost("/dpia", done: .agreementApproval)
        }
        router.post("/dpia/:id/:step") { request, context in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let id: DPIAID = try Self.id(context.parameters.get("id"), "DPIA")
            do {
                switch context.parameters.get("step") {
                case "advice": _ = try await register.adviseOnDPIA(id, advice: posted["advice"] ?? "", by: visitor.user, for: purpose)
                case "approval":
                    _ = try await register.approveDPIA(id, icoAdvice: posted.text("icoAdvice"), by: visitor.user, for: purpose)
                default: throw RegisterError.notFound(kind: "page", id: request.uri.path)
                }
                return Self.redirectAfterPost("/dpia", done: .dpiaSaved)
            } catch RegisterError.invalid(let violations) {
                return try await dpiaPage(visitor, purpose, errors: violations, status: .unprocessableContent)
            }
        }
    }

    private func dpiaPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, errors: [FieldViolation] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (versions, standing) = try await register.dpias(by: visitor.user, for: purpose)
        let names = try await staffNames(versions.flatMap { [$0.draftedBy] + [$0.advisedBy, $0.approvedBy].compactMap { $0 } }, visitor)
        let policies = try await register.policyDocuments(by: visitor.user, for: purpose)
        let policyTemplate = PolicyDocumentDraft.custodianBaseline(reviewOn: visitor.now.day.adding(days: 365))
        let template = DPIADraft.custodianBaseline(reviewOn: visitor.now.day.adding(days: 365))
        var context: [String: Any] = [
            "none": standing.inForce == nil, "reviewSoon": standing.reviewSoon, "days": standing.daysToReview ?? 0,
            "versions": versions.map { d -> [String: Any] in
                var row: [String: Any] = [
                    "id": d.id.description, "version": d.version, "status": d.status.rawValue, "processing": d.processing,
                    "necessity": d.necessity, "risks": d.risks, "measures": d.measures, "reviewOn": d.reviewOn.description,
                    "draft": d.status == .draft, "advised": d.status == .advised, "prior": d.priorConsultation,
                    "draftedBy": names[d.draftedBy], "draftedAt": Visitor.format(d.draftedAt),
                    // Each form is shown exactly when its use case would let this person through.
                    "awaiting": (d.status == .draft || d.status == .advised)
                        && AccessPolicy.offers(visitor.user, .dpiaAdvise, purpose: visitor.purpose, today: visitor.now.day),
                    "canApprove": d.status == .advised
                        && AccessPolicy.offers(
                            visitor.user, .dpiaApprove, purpose: visitor.purpose,
                            separation: TwoPersonCheck(.dpia, proposer: nil, earlierDeciders: d.advisedBy.map { [$0] } ?? []),
                            today: visitor.now.day)
                        ,
                ]
                if let by = d.advisedBy { row["advisedBy"] = names[by] }
                if let by = d.approvedBy { row["approvedBy"] = names[by] }
                row.setIfHeld("dpoAdvice", d.dpoAdvice)
                row.setIfHeld("icoAdvice", d.icoAdvice)
                return row
            },
            "template": [
                "processing": template.processing, "necessity": template.necessity, "risks": template.risks,
                "measures": template.measures, "reviewOn": template.reviewOn,
                "reviewOnField": Views.dateInput("reviewOn", "Review on", value: template.reviewOn, id: "d-review"),
            ],
            "policies": policies.map {
                [
                    "id": $0.id.description, "version": $0.version, "status": $0.status.rawValue, "conditions": $0.conditions,
                    "procedures": $0.procedures, "retention": $0.retention, "reviewOn": $0.reviewOn.description,
                    "draft": $0.status == .draft,
                ] as [String: Any]
            },
            "noPolicy": !policies.contains(where: \.isInForce),
            "policyTemplate": [
                "conditions": policyTemplate.conditions, "procedures": policyTemplate.procedures, "retention": policyTemplate.retention,
                "reviewOn": policyTemplate.reviewOn,
                "reviewOnField": Views.dateInput("reviewOn", "Review on", value: policyTemplate.reviewOn, id: "p-review"),
            ],
            "errors": errors.map(Views.said), "hasErrors": !errors.isEmpty,
        ]
        // Set only when there is one: a section opens for any value, nil included.
        if let inForce = standing.inForce { context["inForce"] = ["version": inForce.version, "reviewOn": inForce.reviewOn.description] }
        return page("dpia", "Data protection impact assessment", visitor, context, status: status)
    }
}
