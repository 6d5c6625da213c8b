import CustodianCore
import Foundation
import Hummingbird

/// A person's own password: set once through the single-use link an administrator hands on
/// (never a password the administrator chose or saw), and changed from their account page.
extension Pages {
    func enrolmentRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.post("/admin/users/:id/enrolment") { request, context in
            let visitor = try await visitor(request)
            _ = try await posted(request, visitor)
            let id: UserID = try Self.id(context.parameters.get("id"), "user")
            let link = try await directory.issueEnrolment(for: id, by: visitor.user)
            let user = try await directory.user(id, by: visitor.user)
            return try await userPage(
                visitor, user, editForm(user), enrolment: ["path": link.path, "expiresAt": Visitor.format(link.expiresAt)])
        }
        router.get("/enrol/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            do {
                let user = try await directory.enrolling(token: token)
                return enrolPage(token, user: user, form: Self.newPasswordForm(), status: .ok)
            } catch RegisterError.notFound {
                return page("enrol-expired", "This link does not work", nil, [:], status: .notFound)
            }
        }
        router.post("/enrol/:token") { request, context in
            let token = context.parameters.get("token") ?? ""
            let posted = try await FormData.read(request)
            let user: User
            do { user = try await directory.enrolling(token: token) } catch RegisterError.notFound {
                return page("enrol-expired", "This link does not work", nil, [:], status: .notFound)
            }
            do {
                let hash = try await Self.newPasswordHash(posted)
                _ = try await directory.redeemEnrolment(token: token, passwordHash: hash)
                return Self.redirectAfterPost("/signin?enrolled=yes")
            } catch RegisterError.invalid(let violations) {
                var form = Self.newPasswordForm()
                form.place(violations)
                return enrolPage(token, user: user, form: form, status: .unprocessableContent)
            }
        }
        router.post("/account/password") { request, _ in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            do {
                let hash = try await Self.newPasswordHash(posted)
                try await sessions.changePassword(visitor.user, current: posted["current"] ?? "", newHash: hash)
                return accountPage(visitor, Self.tokenForm(), passwordChanged: true)
            } catch RegisterError.invalid(let violations) {
                var form = Self.changePasswordForm()
                form.place(violations)
                return accountPage(visitor, Self.tokenForm(), passwordForm: form, status: .unprocessableContent)
            }
        }
    }

    /// The new password, checked against the policy and typed twice alike, hashed.
    static func newPasswordHash(_ posted: FormData) async throws -> String {
        let password = posted["password"] ?? ""
        var v = Validator()
        _ = try v.collect { () throws(RegisterError) in try PasswordPolicy.check(password) }
        v.check(password == (posted["confirm"] ?? ""), "confirm", "password.confirm", "the two passwords are not the same")
        try v.finish()
        return try await BcryptHasher.hash(password)
    }

    static func newPasswordForm() -> PageForm {
        PageForm([
            FormField(
                "password", "New password", .password, hint: "At least \(PasswordPolicy.minimumLength) characters.", required: true,
                autocomplete: "new-password"),
            FormField("confirm", "The new password again", .password, required: true, autocomplete: "new-password"),
        ])
    }

    static func changePasswordForm() -> PageForm {
        var form = newPasswordForm()
        form.fields.insert(
            FormField("current", "Your current password", .password, required: true, autocomplete: "current-password"), at: 0)
        return form
    }

    private func enrolPage(_ token: String, user: User, form: PageForm, status: HTTPResponse.Status) -> Response {
        var c = form.context
        c["token"] = token
        c["name"] = user.displayName
        c["username"] = user.username
        return page("enrol", "Set your password", nil, c, status: status)
    }
}
