import CustodianCore
import Hummingbird
import Logging
import NIOHTTP1

/// Turns what a page handler throws into a page: sign-in and purpose redirects, a refusal that
/// names the rule, not-found, and a plain failure page that says nothing of the cause.
struct PageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as PageRedirect {
            if let kept = await keptForm(request) { return await keep(kept, redirect, request) }
            return Response.redirect(to: redirect.location, type: .normal)
        } catch let error as RegisterError {
            return await page(for: error, request)
        } catch let error as HTTPError {
            return problem(Int(error.status.code), error.status.reasonPhrase, error.status.reasonPhrase, error.body ?? "", nil)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            return problem(Int(error.status.code), error.status.reasonPhrase, error.status.reasonPhrase, "", nil)
        } catch is HTTPParserError {
            // A body that is not HTTP (a malformed chunk, say) is the sender's fault, not ours.
            return problem(400, "Bad request", "The request could not be read.", "Its body was not valid HTTP. Nothing was written.", nil)
        } catch {
            context.logger.error(
                "page failed", metadata: ["error": "\(ProblemMiddleware<Context>.loggable(error))", "path": "\(request.uri.path)"])
            return problem(
                500, "Something went wrong", "Something went wrong.", "The failure has been logged. Nothing you sent was half-written.", nil
            )
        }
    }

    /// A plain form sent when its session or working period had ended, if it carried anything.
    private func keptForm(_ request: Request) async -> KeptForm? {
        guard request.method == .post,
            request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true,
            let posted = try? await FormData.read(request)
        else { return nil }
        return KeptForm(action: request.uri.path, posted: posted)
    }

    /// Signing in or stating a purpose again, with what was typed carried through, instead of a
    /// redirect that would lose it.
    private func keep(_ kept: KeptForm, _ redirect: PageRedirect, _ request: Request) async -> Response {
        if case .purpose = redirect, let visitor = try? await pages.optionalVisitor(request) {
            return pages.purposePage(visitor, pages.purposeForm(visitor), next: nil, kept: kept)
        }
        return pages.signInPage(
            next: nil, form: pages.signInForm(), message: nil,
            notice:
                "You were signed out after 15 minutes without activity. Sign in again: what you typed is kept, and you will be shown it to send.",
            kept: kept, status: .unauthorized)
    }

    private func page(for error: RegisterError, _ request: Request) async -> Response {
        // The refusal is shown inside the visitor's own navigation, so they can carry on.
        let visitor = try? await pages.optionalVisitor(request)
        switch error {
        case .unauthenticated:
            return Response.redirect(to: PageRedirect.signIn(next: request.uri.description).location, type: .normal)
        case .denied(let denial):
            return problem(403, "Refused", "Refused", denial.reason, visitor, rule: denial.rule.rawValue, logged: true)
        case .notFound(let kind, _):
            return problem(
                404, "Not found", "There is no such \(kind).",
                "It may never have existed, or it may have been removed from the register.", visitor)
        case .conflict(let why):
            return problem(409, "Already recorded", "This conflicts with what the register holds.", why, visitor)
        case .invalid(let violations):
            return problem(
                422, "Not accepted", "The request broke the register's rules; nothing was written.",
                violations.map { $0.said() }.joined(separator: ". "), visitor, rule: violations.first?.rule)
        }
    }

    private func problem(
        _ status: Int, _ title: String, _ heading: String, _ detail: String, _ visitor: Visitor?, rule: String? = nil, logged: Bool = false
    ) -> Response {
        var context: [String: Any] = ["heading": heading, "detail": detail, "status": status, "logged": logged]
        if let rule { context["rule"] = rule }
        return pages.page("problem", title, visitor, context, status: .init(code: status))
    }
}
