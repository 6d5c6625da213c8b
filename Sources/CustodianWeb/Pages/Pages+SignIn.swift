import CustodianCore
import Foundation
import Hummingbird

/// Signing in and out, and stating the purpose of a working period.
extension Pages {
    func signInRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/signin") { request, _ in
            signInPage(
                next: request.uri.queryParameters.get("next"), form: signInForm(), message: nil,
                notice: request.uri.queryParameters.get("enrolled") == "yes" ? "Your password is set: sign in with it." : nil, status: .ok)
        }
        router.post("/signin") { request, _ in try await signIn(request) }
        router.post("/signout") { request, _ in
            let visitor = try await visitor(request)
            _ = try await posted(request, visitor)
            try await sessions.signOut(visitor.session, user: visitor.user)
            var response = page("signed-out", "Signed out", nil)
            response.setCookie(expired(Self.sessionCookie))
            return response
        }
        router.get("/purpose") { request, _ in
            let visitor = try await visitor(request)
            var form = purposeForm(visitor)
            if let current = visitor.purpose {
                form.set("purpose", current.purpose.rawValue)
                form.set("justification", current.justification)
            }
            return purposePage(visitor, form, next: request.uri.queryParameters.get("next"))
        }
        router.post("/purpose") { request, _ in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            var form = purposeForm(visitor)
            form.fill(from: posted)
            do {
                let stated = try StatedPurpose(purpose: posted.text("purpose"), justification: posted.text("justification"))
                _ = try await sessions.state(stated, for: visitor.session, user: visitor.user)
                if let kept = KeptForm(carried: posted), let now = try await optionalVisitor(request) {
                    return resendPage(kept, now)
                }
                return Self.redirectAfterPost(Self.safeNext(posted["next"]) ?? visitor.home)
            } catch RegisterError.invalid(let violations) {
                form.place(violations)
                return purposePage(
                    visitor, form, next: posted["next"], kept: KeptForm(carried: posted), status: .unprocessableContent)
            }
        }
        router.get("/account") { request, _ in
            let visitor = try await visitor(request)
            return accountPage(visitor, Self.tokenForm())
        }
        // Users issue their own API tokens; no one else ever sees them.
        router.post("/account/tokens") { request, _ in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            do {
                let days = posted.text("validForDays").map { Int($0) ?? 0 }
                let token = try await directory.issueToken(
                    for: visitor.user.id, label: posted["label"] ?? "", validForDays: days, by: visitor.user)
                return accountPage(visitor, Self.tokenForm(), token: token)
            } catch RegisterError.invalid(let violations) {
                var form = Self.tokenForm()
                form.fill(from: posted)
                form.place(violations)
                return accountPage(visitor, form, status: .unprocessableContent)
            }
        }
    }

    func accountPage(
        _ visitor: Visitor, _ tokenForm: PageForm, token: String? = nil, passwordForm: PageForm = Self.changePasswordForm(),
        passwordChanged: Bool = false, status: HTTPResponse.Status = .ok
    ) -> Response {
        let user = visitor.user
        var c: [String: Any] = [
            "roleDescription": Self.describe(user.role), "training": user.trainingCompletedOn?.description ?? "not recorded",
            "refresher": user.trainingLapsesOn?.description ?? "",
            "vetting": user.vetting.map { "\($0.level.rawValue) until \($0.expiresOn)" } ?? "not recorded",
            "awaitingGrant": user.awaitingGrant, "tokenForm": tokenForm.context, "passwordForm": passwordForm.context,
            "passwordChanged": passwordChanged,
        ]
        if let token { c["token"] = token }
        return page("account", "Your account", visitor, c, status: status)
    }

    private func signIn(_ request: Request) async throws -> Response {
        let posted = try await FormData.read(request)
        var form = signInForm()
        form.fill(from: posted)
        let next = posted["next"]
        guard let sent = posted["_signin"], let cookie = request.cookies[Self.signInCookie]?.value,
            Self.constantTimeEqual(sent, cookie)
        else {
            return signInPage(
                next: next, form: form, message: "The sign-in form had expired. Please try again.", kept: KeptForm(carried: posted),
                status: .forbidden)
        }
        do {
            let signedIn = try await sessions.signIn(username: posted["username"] ?? "", password: posted["password"] ?? "")
            let visitor = Visitor(user: signedIn.user, session: signedIn.session, now: register.clock.now())
            var response = Self.redirectAfterPost(Self.safeNext(next) ?? visitor.home)
            // A form kept from the ended session goes on to the purpose, then back to be sent.
            if let kept = KeptForm(carried: posted) {
                response =
                    AccessPolicy.purposes(for: visitor.user.role).isEmpty
                    ? resendPage(kept, visitor) : purposePage(visitor, purposeForm(visitor), next: nil, kept: kept)
            }
            response.setCookie(
                Cookie(
                    name: Self.sessionCookie, value: signedIn.token, path: "/", secure: secureCookies,
                    httpOnly: true, sameSite: .strict))
            response.setCookie(expired(Self.signInCookie))
            return response
        } catch RegisterError.invalid(let violations) {
            form.place(violations)
            return signInPage(next: next, form: form, message: nil, kept: KeptForm(carried: posted), status: .unprocessableContent)
        } catch RegisterError.unauthenticated(let why) {
            return signInPage(
                next: next, form: form, message: "Sign-in failed: \(why).", kept: KeptForm(carried: posted), status: .unauthorized)
        } catch RegisterError.denied(let denial) {
            return signInPage(next: next, form: form, message: "Sign-in refused: \(denial.reason).", status: .tooManyRequests)
        }
    }

    func signInForm() -> PageForm {
        PageForm([
            FormField("username", "Username", required: true, autocomplete: "username"),
            FormField("password", "Password", .password, required: true, autocomplete: "current-password"),
        ])
    }

    /// The sign-in page sets its own short-lived cookie and echoes it in the form: a request
    /// forged from another site cannot read it, so it cannot sign someone in as someone else.
    func signInPage(
        next: String?, form: PageForm, message: String?, notice: String? = nil, kept: KeptForm? = nil, status: HTTPResponse.Status
    ) -> Response {
        let token = Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        var context = form.context
        context["signinToken"] = token
        context["next"] = Self.safeNext(next) ?? ""
        if let message { context["message"] = message }
        if let notice { context["notice"] = notice }
        if let kept { context["kept"] = kept.carried }
        var response = page("signin", "Sign in", nil, context, status: status)
        response.setCookie(
            Cookie(
                name: Self.signInCookie, value: token, maxAge: 900, path: "/signin", secure: secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }

    func purposeForm(_ visitor: Visitor) -> PageForm {
        PageForm([
            FormField(
                "purpose", "Purpose", .select, hint: "What you are about to do with the register, from the controlled list.",
                required: true,
                options: [("", "Choose a purpose")] + AccessPolicy.purposes(for: visitor.user.role).map { ($0.rawValue, $0.label) }),
            FormField(
                "justification", "Justification", .textarea,
                hint:
                    "In your own words: the case, task or request this work is for (at least \(StatedPurpose.minimumJustification) characters). It is written on every audit entry of this working period.",
                required: true),
        ])
    }

    func purposePage(
        _ visitor: Visitor, _ form: PageForm, next: String?, kept: KeptForm? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var context = form.context
        if let kept {
            context["kept"] = kept.carried
            context["keptNotice"] = true
        }
        context["next"] = Self.safeNext(next) ?? ""
        context["minutes"] = sessions.policy.purposePeriod / 60
        context["noPurposes"] = AccessPolicy.purposes(for: visitor.user.role).isEmpty
        return page("purpose", "State your purpose", visitor, context, status: status)
    }

    func expired(_ name: String) -> Cookie {
        Cookie(
            name: name, value: "", maxAge: 0, path: name == Self.signInCookie ? "/signin" : "/", secure: secureCookies,
            httpOnly: true, sameSite: .strict)
    }

    static func describe(_ role: Role) -> String {
        switch role {
        case .boroughOfficer: "You record and consult your borough's subjects, matters and intelligence."
        case .boroughSPOC: "You record and consult your borough's register and supervise its officers' entries."
        case .centralAnalyst: "You consult the register across London, always for a stated purpose; recording belongs to the boroughs."
        case .governance: "You read register content to answer data subjects' rights requests, and oversee the register."
        case .auditor: "You read the audit log, its checkpoints and proofs, and verify it; you see no register content."
        case .partnerRecipient:
            "You see only what is shared with your organisation under an active information sharing agreement. Nothing has been shared with you through these pages yet."
        case .administrator: "You manage users, roles, training dates and API tokens. You see no register content."
        case .independentReviewer:
            "You read the published equality reports, with small numbers suppressed. You see nothing about any person."
        case .sourceUnit:
            "You keep the source register: partner organisations, registered human sources and technical sources, and how reliable each is. You see nothing about any person."
        }
    }
}
