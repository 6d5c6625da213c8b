import Hummingbird

/// GOV.UK "check your answers" before an action that cannot be undone (an erasure, a removal,
/// a recall, a breach's containment): what will be done, to what, and what follows, then a
/// button that does it. The form's answers travel back as hidden fields with `confirmed=yes`;
/// nothing is done until they come back. "Change your answers" returns them to the form.
struct CheckAnswers {
    var heading: String
    var rows: [(key: String, value: String)]
    /// What cannot be undone, in the GOV.UK warning text.
    var warning: String
    var confirm: String
    /// Where "Cancel" goes: the page the action was started from.
    var back: String
    /// Whether the form can be shown again filled with these answers.
    var canChange = false
}

extension Pages {
    /// Whether this post is the confirmation of a checked action, rather than its first sending.
    static func confirmed(_ posted: FormData) -> Bool { posted["confirmed"] == "yes" && posted["change"] == nil }

    /// Whether the person asked to change their answers on the check page.
    static func changing(_ posted: FormData) -> Bool { posted["change"] == "yes" }

    func checkAnswers(_ check: CheckAnswers, action: String, posted: FormData, _ visitor: Visitor) -> Response {
        let carried = posted.pairs.filter { !["_csrf", "confirmed", "change"].contains($0.0) }
        return page(
            "check-answers", check.heading, visitor,
            [
                "heading": check.heading, "rows": check.rows.map { ["key": $0.key, "value": $0.value] }, "warning": check.warning,
                "confirm": check.confirm, "back": check.back, "action": action, "canChange": check.canChange,
                "carried": carried.map { ["name": $0.0, "value": $0.1] },
            ])
    }
}
