import CustodianCore
import Foundation
import Hummingbird

/// The administrator's pages: users, roles, training and vetting, and the grants governance
/// approves. Nothing of register content, and never another user's credentials.
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
                // No password here: the person sets their own through an enrolment link.
                let user = try await directory.createUser(draft, passwordHash: nil, by: visitor.user)
                return Self.redirectAfterPost("/admin/users/\(user.id)", done: .userCreated)
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
            return try await userPage(visitor, user, editForm(user))
        }
        router.post("/admin/users/:id") { request, context in
            let visitor = try await visitor(request)
            let id = try userID(context.parameters.get("id"))
            let posted = try await posted(request, visitor)
            let draft = Self.userDraft(posted)
            do {
                _ = try await directory.updateUser(
                    id,
                    { current in
                        current.displayName = draft.displayName
                        current.role = draft.role
                        current.unit = draft.unit
                        current.trainingCompletedOn = draft.trainingCompletedOn
                        current.permissions = draft.permissions
                        current.vettingLevel = draft.vettingLevel
                        current.vettingExpiresOn = draft.vettingExpiresOn
                    }, disabled: posted["active"] == nil, by: visitor.user)
                return Self.redirectAfterPost("/admin/users/\(id)", done: .userUpdated)
            } catch RegisterError.invalid(let violations) {
                let user = try await directory.user(id, by: visitor.user)
                var form = editForm(user)
                form.fill(from: posted)
                form.place(violations)
                return try await userPage(visitor, user, form, status: .unprocessableContent)
            }
        }
        router.get("/grants") { request, _ in
            let visitor = try await visitor(request)
            return try await grantsPage(visitor)
        }
        router.post("/grants/:id") { request, context in
            let visitor = try await visitor(request)
            let id = try userID(context.parameters.get("id"))
            let posted = try await posted(request, visitor)
            do {
                _ = try await directory.decideGrant(
                    id, version: posted["version"] ?? "", approve: posted["decision"] == "approve", reason: posted["reason"] ?? "",
                    by: visitor.user)
                return Self.redirectAfterPost("/grants", done: .grantDecided)
            } catch RegisterError.invalid(let violations) {
                return try await grantsPage(visitor, errors: [id: violations], status: .unprocessableContent)
            }
        }
    }

    /// Pending grants: the administrator sees what they asked for; a governance user decides
    /// (never one they asked for, never their own).
    private func grantsPage(_ visitor: Visitor, errors: [UserID: [FieldViolation]] = [:], status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let grants = try await directory.pendingGrants(by: visitor.user)
        let names = try await staffNames(grants.map(\.grant.requestedBy), visitor)
        var rows: [[String: Any]] = []
        for (grant, user) in grants {
            rows.append([
                "id": grant.userID.description, "username": user.username, "name": user.displayName,
                "grant": Self.describe(grant), "requestedAt": Visitor.format(grant.requestedAt), "version": grant.version,
                "requestedBy": names[grant.requestedBy], "current": "\(user.role.label), \(user.unit.name)",
                "isAdministrator": AccessPolicy.runs(visitor.user.role, .userUpdate),
                "canDecide": AccessPolicy.offers(
                    visitor.user, .grantDecide, purpose: nil,
                    separation: TwoPersonCheck(.grant, proposer: grant.requestedBy, about: grant.userID), today: visitor.now.day),
                "errors": (errors[grant.userID] ?? []).map(Views.said),
            ])
        }
        return page("grants", "Grants awaiting approval", visitor, ["grants": rows, "hasGrants": !rows.isEmpty], status: status)
    }

    static func describe(_ grant: PendingGrant) -> String {
        "\(grant.role.label), \(grant.unit.name)"
            + (grant.permissions.isEmpty ? "" : ", with " + grant.permissions.map(\.rawValue).sorted().joined(separator: ", "))
    }

    private func userID(_ text: String?) throws -> UserID { try Self.id(text, "user") }

    static func userRow(_ user: User, today: LocalDate) -> [String: Any] {
        [
            "id": user.id.description, "username": user.username, "name": user.displayName, "role": user.role.label,
            "unit": user.unit.name, "training": user.trainingCompletedOn?.description ?? "none recorded",
            "refresher": user.trainingLapsesOn?.description ?? "",
            "vetting": user.vetting.map { "\($0.level.rawValue) until \($0.expiresOn)" } ?? "none recorded",
            "untrained": user.role.actsOnData
                && (user.trainingCompletedOn.map { $0 > today } ?? true || (user.trainingLapsesOn.map { $0 < today } ?? false)),
            "awaitingGrant": user.awaitingGrant,
            "active": user.isActive, "sensitive": user.permissions.contains(.sensitiveData),
        ]
    }

    static func userDraft(_ posted: FormData) -> UserDraft {
        UserDraft(
            username: posted["username"] ?? "", displayName: posted["displayName"] ?? "", role: posted["role"] ?? "",
            unit: posted["unit"] ?? "", trainingCompletedOn: posted.text("trainingCompletedOn"),
            permissions: (posted["permissions"] == nil ? [] : [Permission.sensitiveData.rawValue])
                + (posted["dataProtectionOfficer"] == nil ? [] : [Permission.dataProtectionOfficer.rawValue]),
            vettingLevel: posted.text("vettingLevel"), vettingExpiresOn: posted.text("vettingExpiresOn"))
    }

    private func userForm(creating: Bool) -> PageForm {
        var fields: [FormField] = []
        if creating {
            fields.append(
                FormField("username", "Username", hint: "Letters, digits, '.', '_' and '-'. It cannot be changed later.", required: true))
        }
        fields += [
            FormField("displayName", "Full name", required: true),
            FormField("role", "Role", .select, required: true, options: [("", "Choose")] + Role.allCases.map { ($0.rawValue, $0.label) }),
            FormField(
                "unit", "Unit", .select, hint: "Borough roles belong to a borough; every other role to the central team.", required: true,
                options: [("", "Choose"), ("central", "Central team")] + Borough.allCases.map { ($0.rawValue, $0.name) }),
            FormField(
                "trainingCompletedOn", "Data protection training completed on", .date,
                hint: "For example, 14 9 2026. Without it a user who acts on data is refused everything."),
            FormField(
                "vettingLevel", "Vetting level", .select,
                options: [("", "None recorded")] + VettingLevel.allCases.map { ($0.rawValue, $0.rawValue) }),
            FormField(
                "vettingExpiresOn", "Vetting expires on", .date, hint: "For example, 31 3 2029. Past this day the user acts on no data."),
            FormField("permissions", "May read and record ethnicity (special-category data, s.35(8))", .checkbox),
            FormField(
                "dataProtectionOfficer", "Is the data protection officer (records the DPO's advice on a DPIA; governance only)", .checkbox),
        ]
        if !creating { fields.append(FormField("active", "Account is active", .checkbox)) }
        return PageForm(fields)
    }

    func editForm(_ user: User) -> PageForm {
        var form = userForm(creating: false)
        form.set("displayName", user.displayName)
        form.set("role", user.role.rawValue)
        form.set("unit", user.unit.code)
        form.set("trainingCompletedOn", user.trainingCompletedOn?.description ?? "")
        form.set("permissions", user.permissions.contains(.sensitiveData) ? "on" : "")
        form.set("dataProtectionOfficer", user.permissions.contains(.dataProtectionOfficer) ? "on" : "")
        form.set("vettingLevel", user.vetting?.level.rawValue ?? "")
        form.set("vettingExpiresOn", user.vetting?.expiresOn.description ?? "")
        form.set("active", user.isActive ? "on" : "")
        return form
    }

    static func tokenForm() -> PageForm {
        PageForm([
            FormField("label", "What the token is for", hint: "For example: analyst workstation script.", required: true),
            FormField("validForDays", "Valid for (days)", hint: "1 to 366. Empty for no expiry.").with(value: "90"),
        ])
    }

    func userPage(
        _ visitor: Visitor, _ user: User, _ form: PageForm, enrolment: [String: String]? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var c = form.context
        if let enrolment { c["enrolment"] = enrolment }
        c["user"] = Self.userRow(user, today: visitor.now.day)
        if let grant = try await directory.pendingGrants(by: visitor.user).first(where: { $0.grant.userID == user.id })?.grant {
            c["pending"] = ["grant": Self.describe(grant), "requestedAt": Visitor.format(grant.requestedAt)]
        }
        return page("admin-user", user.username, visitor, c, status: status)
    }
}
