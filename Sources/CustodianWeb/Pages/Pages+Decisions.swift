import CustodianCore
import Foundation
import Hummingbird

/// One page of every decision waiting for the visitor, each linking to the view it is decided on.
extension Pages {
    func decisionRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/decisions") { request, _ in
            let visitor = try await visitor(request)
            let waiting = try await directory.decisionsWaiting(by: visitor.user, for: visitor.purpose)
            let kinds = WaitingDecision.Kind.allCases.compactMap { kind -> [String: Any]? in
                let rows = waiting.decisions.filter { $0.kind == kind }
                guard !rows.isEmpty else { return nil }
                return [
                    "label": kind.label, "count": rows.count,
                    "rows": rows.map { d -> [String: Any] in
                        var row: [String: Any] = ["what": d.what, "askedBy": waiting.names[d.askedBy] ?? "another member of staff"]
                        row.setIfHeld("href", Self.decisionPage(d))
                        if let at = d.askedAt { row["askedAt"] = Visitor.format(at) }
                        return row
                    },
                ]
            }
            return page(
                "decisions", "Decisions waiting for you", visitor,
                [
                    "kinds": kinds, "none": kinds.isEmpty,
                    "elsewhere": waiting.needAnotherPurpose.map(\.label).joined(separator: ", "),
                    "hasElsewhere": !waiting.needAnotherPurpose.isEmpty, "noPurpose": visitor.purpose == nil,
                ])
        }
    }

    /// Where each kind is decided on a page; a rulebook version is decided through the API
    /// (`POST /api/rulebook/versions/{version}/decision`), which the row says instead.
    static func decisionPage(_ d: WaitingDecision) -> String? {
        switch d.kind {
        case .inclusion: "/inclusions"
        case .removal: d.subjectID.map { "/subjects/\($0)" } ?? "/reviews"
        case .share: "/shares"
        case .childAction: "/child-actions"
        case .grant: "/grants"
        case .agreement: "/agreements"
        case .dpia: "/dpia"
        case .erasure: "/rights/\(d.id)"
        case .rulebook: nil
        }
    }
}
