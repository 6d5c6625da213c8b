import CustodianCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The server-rendered pages. Each handler calls the same `Register` and `Directory` use cases
/// as the API; a page decides nothing the domain has not decided.
struct Pages: Sendable {
    let register: Register
    let directory: Directory
    let sessions: Sessions
    let renderer: PageRenderer
    let assets: PageAssets
    let jobs: JobBoard
    let logger: Logger
    /// Marks the session cookie Secure; set when the server sits behind TLS.
    let secureCookies: Bool

    static let sessionCookie = "custodian_session"
    static let signInCookie = "custodian_signin"

    func routes<Context: RequestContext>(on router: Router<Context>) {
        router.add(middleware: MissingPageMiddleware(pages: self))
        let pages = router.group().add(middleware: PageErrorMiddleware(pages: self))
        pages.get(RouterPath(stringLiteral: assets.stylesheet.path)) { _, _ in asset(assets.stylesheet) }
        pages.get(RouterPath(stringLiteral: assets.script.path)) { _, _ in asset(assets.script) }
        pages.get("/") { request, _ in
            guard let visitor = try await optionalVisitor(request) else { return Response.redirect(to: "/signin") }
            return Response.redirect(to: visitor.home)
        }
        signInRoutes(pages)
        subjectRoutes(pages)
        accountabilityRoutes(pages)
        breachRoutes(pages)
        auditReportRoutes(pages)
        equalityRoutes(pages)
        duplicateRoutes(pages)
        importRoutes(pages)
        recordRoutes(pages)
        auditRoutes(pages)
        adminRoutes(pages)
        enrolmentRoutes(pages)
        governanceRoutes(pages)
        sharingRoutes(pages)
        childActionRoutes(pages)
        decisionRoutes(pages)
        rightsRoutes(pages)
        sourceRoutes(pages)
        jobRoutes(pages)
    }

    private func asset(_ asset: PageAssets.Asset) -> Response {
        Response(
            status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=31536000, immutable"],
            body: .init(byteBuffer: ByteBuffer(string: asset.body)))
    }

    // MARK: Who is asking

    func optionalVisitor(_ request: Request) async throws -> Visitor? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else { return nil }
        do {
            let (session, user) = try await sessions.resume(token: token)
            let done = request.uri.queryParameters.get("done").flatMap(Done.init(rawValue:))
            return Visitor(user: user, session: session, now: register.clock.now(), done: done)
        } catch RegisterError.unauthenticated { return nil }
    }

    /// The signed-in visitor, or a trip to the sign-in page that comes back here afterwards.
    func visitor(_ request: Request) async throws -> Visitor {
        guard let visitor = try await optionalVisitor(request) else { throw PageRedirect.signIn(next: request.uri.description) }
        return visitor
    }

    /// The visitor and the purpose they have stated for this working period; without one, the
    /// purpose page first, then back here.
    func working(_ request: Request) async throws -> (Visitor, StatedPurpose) {
        let visitor = try await visitor(request)
        guard let purpose = visitor.purpose else {
            // A role with no purpose to state is refused outright, by the policy's own words,
            // rather than sent to a purpose page with nothing to choose.
            if AccessPolicy.purposes(for: visitor.user.role).isEmpty,
                case .failure(let denial) = AccessPolicy.decide(visitor.user, .subjectRead, purpose: nil, today: visitor.now.day)
            {
                throw RegisterError.denied(denial)
            }
            throw PageRedirect.purpose(next: request.uri.description)
        }
        return (visitor, purpose)
    }

    /// A POSTed form from a signed-in visitor, refused unless it carries the session's CSRF token.
    func posted(_ request: Request, _ visitor: Visitor) async throws -> FormData {
        let form = try await FormData.read(request)
        try Self.requireCSRF(form["_csrf"], visitor)
        return form
    }

    /// Refuses a form that does not carry the session's CSRF token, whatever its encoding.
    static func requireCSRF(_ sent: String?, _ visitor: Visitor) throws {
        guard let sent, constantTimeEqual(sent, visitor.session.csrfToken) else {
            throw RegisterError.denied(.staleForm)
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: Rendering

    /// Renders a page inside the layout, with the navigation, purpose banner and watermark of
    /// the visitor (if any).
    func page(
        _ template: String, _ title: String, _ visitor: Visitor?, _ context: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var c = context
        c["title"] = title
        c["stylesheet"] = assets.stylesheet.path
        c["script"] = assets.script.path
        if let visitor {
            c["signedIn"] = true
            c["csrf"] = visitor.session.csrfToken
            c["idleSeconds"] = sessions.policy.idleTimeout
            c["idleMinutes"] = sessions.policy.idleTimeout / 60
            c["me"] = [
                "name": visitor.user.displayName, "role": visitor.user.role.label, "unit": visitor.workplace,
                "username": visitor.user.username,
            ]
            if let done = visitor.done { c["banner"] = done.context }
            c["nav"] = visitor.navigation.map { ["href": $0.href, "label": $0.label] }
            c["statesPurpose"] = !AccessPolicy.purposes(for: visitor.user.role).isEmpty
            c["watermark"] = visitor.watermark
            c["watermarkRows"] = Array(
                repeating: ["text": Array(repeating: visitor.watermark, count: 4).joined(separator: "          ")], count: 9)
            if let purpose = visitor.purpose, let until = visitor.session.purposeUntil {
                c["purpose"] = ["label": purpose.purpose.label, "justification": purpose.justification, "until": Visitor.time(until)]
            }
        }
        return renderer.render(template, c, status: status)
    }

    /// Back to a page after a form is sent (POST, redirect, GET), with its confirmation banner.
    static func redirectAfterPost(_ location: String, done: Done? = nil) -> Response {
        Response.redirect(to: done?.after(location) ?? location, type: .normal)
    }

    /// A path to come back to after signing in or stating a purpose: this site's own pages only.
    /// Printable ASCII alone, because a browser drops tabs and line breaks from an address before
    /// reading it (`/\t/evil.example` becomes `//evil.example`, another site) and reads `\` as `/`.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" })
        else { return nil }
        return next
    }
}

/// Raised by a handler that must send the browser elsewhere first.
enum PageRedirect: Error {
    case signIn(next: String)
    case purpose(next: String)

    var location: String {
        switch self {
        case .signIn(let next): "/signin?next=" + Self.escape(next)
        case .purpose(let next): "/purpose?next=" + Self.escape(next)
        }
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/"
    }
}

extension Pages {
    /// A count that opens a notice: the section is shown only when there is something to count.
    /// Mustache opens a section for any number, zero included, so "0 past the deadline" would
    /// otherwise be shown as an alert.
    static func notice(count: Int?) -> Any {
        guard let count, count > 0 else { return false }
        return count
    }
}
