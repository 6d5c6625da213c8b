import CustodianCore
import Foundation
import Hummingbird

/// The child route's decisions on a page: a borough SPOC sees their borough's requests awaiting
/// the SPOC, governance those awaiting central approval; each decides with a reason.
extension Pages {
    func childActionRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/child-actions") { request, _ in
            let (visitor, purpose) = try await working(request)
            return try await childActionsPage(visitor, purpose)
        }
        router.post("/child-actions/:id") { request, context in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let id: ChildActionID = try Self.id(context.parameters.get("id"), "child action")
            do {
                _ = try await register.decideChildAction(
                    id, approve: posted["decision"] == "approve", reason: posted["reason"] ?? "", by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/child-actions", done: .childActionDecided)
            } catch RegisterError.invalid(let violations) {
                return try await childActionsPage(visitor, purpose, errors: [id: violations], status: .unprocessableContent)
            }
        }
    }

    private func childActionsPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, errors: [ChildActionID: [FieldViolation]] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actions = try await register.childActions(by: visitor.user, for: purpose)
        let names = try await staffNames(actions.flatMap { [$0.requestedBy] + $0.decisions.map(\.by) }, visitor)
        return page(
            "child-actions", "Children: flags and scores awaiting decision", visitor,
            [
                "actions": actions.map { a -> [String: Any] in
                    [
                        "id": a.id.description, "subjectId": a.subjectID.description, "unit": a.unit.name,
                        "what": a.kind == .flag ? "Flag: \((a.flagKind ?? .knifeCarrier).label)" : "Harm score",
                        "rationale": a.safeguardingRationale, "requestedAt": Visitor.format(a.requestedAt),
                        "step": a.status == .awaitingSPOC ? "Awaiting the borough SPOC" : "Awaiting central governance",
                        "requestedBy": names[a.requestedBy], "evidence": a.evidence.count,
                        "decisions": a.decisions.map {
                            [
                                "who": $0.step == .borough ? "The borough SPOC" : "Central governance", "by": names[$0.by],
                                "outcome": $0.approved ? "approved" : "rejected", "at": Visitor.format($0.at), "reason": $0.reason,
                            ]
                        },
                        // Shown exactly when the use case would let this person decide.
                        "canDecide": AccessPolicy.offers(
                            visitor.user, .childActionDecide, unit: a.unit, step: a.status == .awaitingSPOC ? .borough : .central,
                            purpose: visitor.purpose,
                            separation: TwoPersonCheck(.childAction, proposer: a.requestedBy, earlierDeciders: a.decisions.map(\.by)),
                            today: visitor.now.day),
                        "errors": (errors[a.id] ?? []).map(Views.said),
                    ]
                },
                "hasActions": !actions.isEmpty,
            ], status: status)
    }
}
