import CustodianCore
import Foundation
import Hummingbird

/// Records of one person across boroughs on a page: the queue, side by side, with the reasons
/// counted for and against, a decision form per pair, and a scan. Central analysts and governance.
extension Pages {
    func duplicateRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/duplicates") { request, _ in
            let (visitor, purpose) = try await working(request)
            let offset = request.uri.queryParameters.get("offset").flatMap { Int($0) } ?? 0
            return try await duplicatesPage(visitor, purpose, offset: offset)
        }
        router.post("/duplicates/scan") { request, _ in
            let (visitor, purpose) = try await working(request)
            _ = try await posted(request, visitor)
            return await startJob(.duplicatesScan, visitor, purpose) { [register] report in
                .scanned(try await register.scanForDuplicates(progress: report, by: visitor.user, for: purpose))
            }
        }
        router.post("/duplicates/decisions") { request, _ in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let first: SubjectID = try Self.id(posted["first"], "subject")
            let second: SubjectID = try Self.id(posted["second"], "subject")
            let offset = posted["offset"].flatMap { Int($0) } ?? 0
            do {
                _ = try await register.decideDuplicate(
                    first, second, verdict: posted["verdict"] ?? "", reason: posted["reason"] ?? "", by: visitor.user, for: purpose)
                return Self.redirectAfterPost("/duplicates?offset=\(offset)", done: .duplicateDecided)
            } catch RegisterError.invalid(let violations) {
                return try await duplicatesPage(
                    visitor, purpose, offset: offset, errors: [SubjectPair(first, second)?.key ?? "": violations],
                    status: .unprocessableContent)
            }
        }
        router.post("/duplicates/decisions/:id/reversal") { request, context in
            let (visitor, purpose) = try await working(request)
            let posted = try await posted(request, visitor)
            let id: DuplicateDecisionID = try Self.id(context.parameters.get("id"), "duplicate decision")
            let back = Self.safeNext(posted["back"]) ?? "/duplicates"
            _ = try await register.reverseDuplicateDecision(id, reason: posted["reason"] ?? "", by: visitor.user, for: purpose)
            return Self.redirectAfterPost(back, done: .duplicateDecided)
        }
    }

    func duplicatesPage(
        _ visitor: Visitor, _ purpose: StatedPurpose, offset: Int, notice: String? = nil, errors: [String: [FieldViolation]] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let queue = try await register.duplicateQueue(offset: max(offset, 0), by: visitor.user, for: purpose)
        func side(_ s: DuplicateSide) -> [String: Any] {
            let p = s.personal
            return [
                "id": s.id.description, "borough": s.unit.name, "names": p.names.map(\.full).joined(separator: "; "),
                "aliases": (p.aliases + [p.nickname].compactMap { $0 }).joined(separator: "; "),
                "dateOfBirth": p.dateOfBirth?.description ?? "not known", "pncId": p.pncID ?? "none",
                "sex": p.sex.rawValue.replacingOccurrences(of: "-", with: " "),
            ]
        }
        let pairs = queue.pairs.map { pair -> [String: Any] in
            let key = pair.candidate.pair.key
            return [
                "key": key, "score": pair.candidate.match.score, "first": side(pair.first), "second": side(pair.second),
                "evidence": pair.candidate.match.evidence.map { e -> [String: Any] in
                    ["explanation": e.explanation, "weight": e.weight > 0 ? "+\(e.weight)" : "\(e.weight)", "against": e.weight < 0]
                },
                "notSure": pair.notSure.map { ["reason": $0.reason, "at": Visitor.format($0.at)] },
                "errors": (errors[key] ?? []).map(Views.said),
            ]
        }
        var context: [String: Any] = [
            "pairs": pairs, "hasPairs": !pairs.isEmpty, "total": queue.total, "offset": offset,
            "threshold": DuplicateMatch.queueThreshold,
        ]
        if let next = queue.next { context["next"] = next }
        if offset > 0 { context["previous"] = max(offset - Register.duplicatePageSize, 0) }
        if let notice { context["notice"] = notice }
        return page("duplicates", "The same person in different boroughs", visitor, context, status: status)
    }
}
