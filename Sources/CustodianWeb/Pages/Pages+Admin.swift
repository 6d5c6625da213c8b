import CustodianCore
import Foundation
import Hummingbird

/// The administrator's pages: users, roles, training dates, tokens. Nothing of register content.
extension Pages {
    static let usersPerPage = 50

    func adminRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/admin/users") { request, _ in
            let visitor = try await visitor(request)
            let offset = max(request.uri.queryParameters.get("offset").flatMap { Int($0) } ?? 0, 0)
            let users = try await directory.users(limit: Self.usersPerPage + 1, offset: offset, by: visitor.user)
            let today = visitor.now.day
            var c: [String: Any] = ["users": users.prefix(Self.usersPerPage).map { Self.userRow($0, today: today) }]
            if users.count > Self.usersPerPage { c["next"] = ["href": "?offset=\(offset + Self.usersPerPage)"] }
            if offset > 0 { c["previous"] = ["href": "?offset=\(max(offset - Self.usersPerPage, 0))"] }
            return page("admin-users", "Users", visitor, c)
        }
        router.get("/admin/users/new") { request, _ in
            let visitor = try await visitor(request)
            return page("admin-user-new", "Create a user", visitor, userForm(creating: true).context)
        }
        router.post("/admin/users/new") { request, _ in
            let visitor = try await visitor(request)
            let posted = try await posted(request, visitor)
            var form = userForm(creating: true)
            form.fill(from: posted)
            let draft = Self.userDraft(posted)
            do {
                // Every fault at once: the draft's rules and the password's, before anything is hashed.
                var v = Validator()
                _ = try v.collect { () throws(RegisterError) in try draft.validated(id: UserID(UUID()), now: visitor.now) }
                let password = posted["password"] ?? ""
                if !password.isEmpty { _ = try v.collect { () throws(RegisterError) in try PasswordPolicy.check(password) } }
                try v.finish()
                let hash = password.isEmpty ? nil : try await BcryptHasher.hash(password)
                let user = try await directory.createUser(draft, passwordHash: hash, by: visitor.user)
                return Self.redirectAfterPost("/admin/users/\(user.id)")
            } catch RegisterError.invalid(let violations) {
                form.place(violations)
                return page("admin-user-new", "Create a user", visitor, form.context, status: .unprocessableContent)
            } catch RegisterError.conflict(let why) {
                form.place([FieldViolation(field: "username", rule: "username.unique", message: why)])
                return page("admin-user-new", "Create a user", visitor, form.context, status: .conflict)
            }
        }
        router.get("/admin/users/:id") { request, context in
            let visitor = try await visitor(request)
            let user = try await directory.user(try userID(context.parameters.get("id")), by: visitor.user)
            return userPage(visitor, user, editForm(user), token: nil)
        }
        router.post("/admin/users/:id") { request, context in
            let visitor = try await visitor(request)
            let id = try userID(context.parameters.get("id"))
            let posted = try await posted(request, visitor)
            let draft = Self.userDraft(posted)
            do {
                _ = try await directory.updateUser(id, { current in
                    current.displayName = draft.displayName
                    current.role = draft.role
                    current.unit = draft.unit
                    current.trainingCompletedOn = draft.trainingCompletedOn
                    current.permissions = draft.permissions
                }, disabled: posted["active"] == nil, by: visitor.user)
                return Self.redirectAfterPost("/admin/users/\(id)")
            } catch RegisterError.invalid(let violations) {
                let user = try await directory.user(id, by: visitor.user)
                var form = editForm(user)
                form.fill(from: posted)
                form.place(violations)
                return userPage(visitor, user, form, token: nil, status: .unprocessableContent)
            }
        }
        router.post("/admin/users/:id/tokens") { request, context in
            let visitor = try await visitor(request)
            let id = try userID(context.parameters.get("id"))
            let posted = try await posted(request, visitor)
            let user = try await directory.user(id, by: visitor.user)
            do {
                let days = posted.text("validForDays").map { Int($0) ?? 0 }
                let token = try await directory.issueToken(for: id, label: posted["label"] ?? "", validForDays: days, by: visitor.user)
                return userPage(visitor, user, editForm(user), token: token)
            } catch RegisterError.invalid(let violations) {
                var tokenForm = Self.tokenForm()
                tokenForm.fill(from: posted)
                tokenForm.place(violations)
                return userPage(visitor, user, editForm(user), token: nil, tokenForm: tokenForm, status: .unprocessableContent)
            }
        }
    }

    private func userID(_ text: String?) throws -> UserID {
        guard let text, let id = UserID(text) else { throw RegisterError.notFound(kind: "user", id: text ?? "") }
        return id
    }

    static func userRow(_ user: User, today: LocalDate) -> [String: Any] {
        [
            "id": user.id.description, "username": user.username, "name": user.displayName, "role": user.role.label,
            "unit": user.unit.name, "training": user.trainingCompletedOn?.description ?? "none recorded",
            "untrained": user.role.actsOnData && (user.trainingCompletedOn == nil || user.trainingCompletedOn! > today),
            "active": user.isActive, "sensitive": user.permissions.contains(.sensitiveData),
        ]
    }

    static func userDraft(_ posted: FormData) -> UserDraft {
        UserDraft(username: posted["username"] ?? "", displayName: posted["displayName"] ?? "", role: posted["role"] ?? "",
                  unit: posted["unit"] ?? "", trainingCompletedOn: posted.text("trainingCompletedOn"),
                  permissions: posted["permissions"] == nil ? [] : [Permission.sensitiveData.rawValue])
    }

    private func userForm(creating: Bool) -> PageForm {
        var fields: [FormField] = []
        if creating {
            fields.append(FormField("username", "Username", hint: "Letters, digits, '.', '_' and '-'. It cannot be changed later.", required: true))
        }
        fields += [
            FormField("displayName", "Full name", required: true),
            FormField("role", "Role", .select, required: true, options: [("", "Choose")] + Role.allCases.map { ($0.rawValue, $0.label) }),
            FormField("unit", "Unit", .select, hint: "Borough roles belong to a borough; every other role to the central team.", required: true,
                      options: [("", "Choose"), ("central", "Central team")] + Borough.allCases.map { ($0.rawValue, $0.name) }),
            FormField("trainingCompletedOn", "Data protection training completed on", .date,
                      hint: "YYYY-MM-DD. Without it a user who acts on data is refused everything."),
            FormField("permissions", "May read ethnicity (special-category data, s.35(8))", .checkbox),
        ]
        if creating {
            fields.append(FormField("password", "Password for the pages", .password,
                                    hint: "At least \(PasswordPolicy.minimumLength) characters. Leave empty for an API-only account.",
                                    autocomplete: "new-password"))
        } else {
            fields.append(FormField("active", "Account is active", .checkbox))
        }
        return PageForm(fields)
    }

    private func editForm(_ user: User) -> PageForm {
        var form = userForm(creating: false)
        form.set("displayName", user.displayName)
        form.set("role", user.role.rawValue)
        form.set("unit", user.unit.code)
        form.set("trainingCompletedOn", user.trainingCompletedOn?.description ?? "")
        form.set("permissions", user.permissions.contains(.sensitiveData) ? "on" : "")
        form.set("active", user.isActive ? "on" : "")
        return form
    }

    static func tokenForm() -> PageForm {
        PageForm([
            FormField("label", "What the token is for", hint: "For example: analyst workstation script.", required: true),
            FormField("validForDays", "Valid for (days)", hint: "1 to 366. Empty for no expiry.").with(value: "90"),
        ])
    }

    private func userPage(_ visitor: Visitor, _ user: User, _ form: PageForm, token: String?, tokenForm: PageForm = Pages.tokenForm(),
                          status: HTTPResponse.Status = .ok) -> Response {
        var c = form.context
        c["user"] = Self.userRow(user, today: visitor.now.day)
        c["tokenForm"] = tokenForm.context
        if let token { c["token"] = token }
        return page("admin-user", user.username, visitor, c, status: status)
    }
}
