import CustodianCore
import Hummingbird

/// A form sent after its session ended (15 minutes idle) or its working period ran out: what was
/// typed is kept, carried through signing in and stating a purpose, then shown to be checked and
/// sent again. Nothing is stored for a visitor who is not signed in: the fields travel in the
/// page as hidden inputs named `kept:NAME`, beside `kept-action`. The old session's CSRF token
/// and any password are never carried, and nothing is sent again without the person's click.
struct KeptForm: Sendable {
    let action: String
    let fields: [(String, String)]

    static let prefix = "kept:"
    private static let never: Set<String> = ["_csrf", "_signin", "password", "currentPassword", "newPassword", "confirmed", "change"]

    /// The form a visitor with no session just sent, if it is a plain form to a page of ours.
    init?(action: String, posted: FormData) {
        guard let action = Self.destination(action) else { return nil }
        let fields = posted.pairs.filter { !Self.never.contains($0.0) && !$0.0.hasPrefix(Self.prefix) && $0.0 != "kept-action" }
        guard !fields.isEmpty else { return nil }
        (self.action, self.fields) = (action, fields)
    }

    /// The kept form a sign-in or purpose form carried back.
    init?(carried form: FormData) {
        guard let action = form["kept-action"].flatMap(Self.destination) else { return nil }
        let fields = form.pairs.compactMap { name, value in
            name.hasPrefix(Self.prefix) ? (String(name.dropFirst(Self.prefix.count)), value) : nil
        }.filter { !Self.never.contains($0.0) }
        guard !fields.isEmpty else { return nil }
        (self.action, self.fields) = (action, fields)
    }

    /// Where a kept form may be sent again: a page of this site, and not the sign-in, purpose or
    /// sign-out forms that carry it.
    private static func destination(_ action: String) -> String? {
        guard let action = Pages.safeNext(action), !["/signin", "/purpose", "/signout"].contains(action) else { return nil }
        return action
    }

    /// The hidden inputs that carry it through the sign-in and purpose forms.
    var carried: [[String: String]] {
        [["name": "kept-action", "value": action]] + fields.map { ["name": Self.prefix + $0.0, "value": $0.1] }
    }

    /// What the page to send it again shows and sends.
    var context: [String: Any] {
        [
            "action": action,
            "rows": fields.filter { !$0.1.isEmpty }.map {
                ["key": PlainWords.upperFirst(PlainWords.label(forField: $0.0)), "value": $0.1]
            },
            "fields": fields.map { ["name": $0.0, "value": $0.1] },
        ]
    }
}

extension Pages {
    /// The page that gives a kept form back to be sent again, now that the visitor may send it.
    func resendPage(_ kept: KeptForm, _ visitor: Visitor) -> Response {
        page("resend", "Send your form again", visitor, kept.context)
    }
}
