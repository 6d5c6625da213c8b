import CustodianCore
import Hummingbird
import Logging

/// Turns what a page handler throws into a page: sign-in and purpose redirects, a refusal that
/// names the rule, not-found, and a plain failure page that says nothing of the cause.
struct PageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let renderer: PageRenderer
    let stylesheet: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as PageRedirect {
            return Response.redirect(to: redirect.location, type: .normal)
        } catch RegisterError.unauthenticated {
            return Response.redirect(to: PageRedirect.signIn(next: request.uri.description).location, type: .normal)
        } catch RegisterError.denied(let denial) {
            return problem(403, "Refused", "The register refused this.", denial.reason, rule: denial.rule)
        } catch RegisterError.notFound(let kind, _) {
            return problem(404, "Not found", "There is no such \(kind).",
                           "It may never have existed, or it may have been removed from the register.")
        } catch RegisterError.conflict(let why) {
            return problem(409, "Already recorded", "This conflicts with what the register holds.", why)
        } catch RegisterError.invalid(let violations) {
            return problem(422, "Not accepted", "The request broke the register's rules; nothing was written.",
                           violations.map(\.description).joined(separator: "; "))
        } catch let error as HTTPError {
            return problem(Int(error.status.code), error.status.reasonPhrase, error.status.reasonPhrase, error.body ?? "")
        } catch {
            context.logger.error("page failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return problem(500, "Something went wrong", "Something went wrong.", "The failure has been logged. Nothing you sent was half-written.")
        }
    }

    private func problem(_ status: Int, _ title: String, _ heading: String, _ detail: String, rule: String? = nil) -> Response {
        var context: [String: Any] = ["title": title, "heading": heading, "detail": detail, "status": status, "stylesheet": stylesheet]
        if let rule { context["rule"] = rule }
        return renderer.render("problem", context, status: .init(code: status))
    }
}
