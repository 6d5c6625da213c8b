import CustodianCore

/// One field of a page form as the templates draw it: label, hint, what was typed, and the
/// rule that refused it. Field names are the domain's own field names, so a violation lands
/// next to the field it is about without any mapping.
struct FormField {
    enum Kind { case text, date, password, textarea, select, checkbox, hidden }

    var name: String
    var label: String
    var kind: Kind = .text
    var value: String = ""
    var hint: String?
    var options: [(value: String, label: String)] = []
    var required = false
    var autocomplete: String?
    var errors: [FieldViolation] = []
    /// Extra class names on the wrapper, for the few fields script may show or hide.
    var group: String?
    /// GOV.UK marks the optional fields, not the required ones; a filter's fields are all optional
    /// and say nothing.
    var marksOptional = true
    /// The HTML id, where a page holds two fields of one name (two forms' review dates).
    var htmlID: String?

    init(
        _ name: String, _ label: String, _ kind: Kind = .text, hint: String? = nil, required: Bool = false,
        options: [(value: String, label: String)] = [], autocomplete: String? = nil, group: String? = nil
    ) {
        self.name = name
        self.label = label
        self.kind = kind
        self.hint = hint
        self.required = required
        self.options = options
        self.autocomplete = autocomplete
        self.group = group
    }

    /// A refusal of this field in the page's words: its label, what to do, no rule code.
    func said(_ violation: FieldViolation) -> String {
        violation.said(about: label, choosing: kind == .select || kind == .checkbox)
    }

    /// The HTML id: names such as `names[0].given` are not valid in CSS selectors.
    var id: String { htmlID ?? "f-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() }

    var context: [String: Any] {
        var c: [String: Any] = [
            "id": id, "name": name, "label": label, "value": value, "required": required,
            "isText": kind == .text, "isDate": kind == .date, "isPassword": kind == .password,
            "isTextarea": kind == .textarea, "isSelect": kind == .select, "isCheckbox": kind == .checkbox,
            "isHidden": kind == .hidden, "optional": marksOptional && !required && kind != .checkbox,
            "checked": kind == .checkbox && !value.isEmpty,
            "options": options.map { ["value": $0.value, "label": $0.label, "selected": $0.value == value] },
            "hasError": !errors.isEmpty,
            "errors": errors.map { ["message": said($0), "rule": $0.rule] },
        ]
        if kind == .date {
            let parts = DateParts.split(value)
            c["day"] = parts.day
            c["month"] = parts.month
            c["year"] = parts.year
        }
        if let hint { c["hint"] = hint }
        if let autocomplete { c["autocomplete"] = autocomplete }
        if let group { c["group"] = group }
        if !errors.isEmpty || hint != nil {
            c["describedBy"] = [hint.map { _ in id + "-hint" }, errors.isEmpty ? nil : id + "-error"].compactMap { $0 }.joined(
                separator: " ")
        }
        return c
    }
}

/// A form: its fields, filled from what was typed, with the refusal's violations placed on them.
struct PageForm {
    var fields: [FormField]
    /// Violations about no field on the form (a rule about the whole request), shown at the top.
    var general: [FieldViolation] = []

    init(_ fields: [FormField]) { self.fields = fields }

    /// A search or filter: every field may be left blank, so none is marked optional.
    static func filters(_ fields: [FormField]) -> PageForm {
        PageForm(
            fields.map { field in
                var field = field
                field.marksOptional = false
                return field
            })
    }

    mutating func fill(from form: FormData) {
        for i in fields.indices where fields[i].kind != .password {
            fields[i].value = form[fields[i].name] ?? (fields[i].kind == .checkbox ? "" : fields[i].value)
        }
    }

    mutating func set(_ name: String, _ value: String) {
        if let i = fields.firstIndex(where: { $0.name == name }) { fields[i].value = value }
    }

    /// Places each violation on the field it names (or the nearest field whose name it starts
    /// with, for `socialMedia` and `evidence[2]`); the rest go to the top of the form.
    mutating func place(_ violations: [FieldViolation]) {
        for violation in violations {
            if let i = fields.firstIndex(where: { $0.name == violation.field })
                ?? fields.firstIndex(where: { violation.field.hasPrefix($0.name) || $0.name.hasPrefix(violation.field + ".") })
            {
                fields[i].errors.append(violation)
            } else {
                general.append(violation)
            }
        }
    }

    var hasErrors: Bool { !general.isEmpty || fields.contains { !$0.errors.isEmpty } }

    subscript(_ name: String) -> [String: Any] { fields.first { $0.name == name }?.context ?? [:] }

    /// What a field holds now, as typed or as filled.
    func value(_ name: String) -> String { fields.first { $0.name == name }?.value ?? "" }

    /// Every error, in page order, for the summary at the top (links jump to each field).
    var summary: [[String: Any]] {
        general.map { ["message": $0.said(), "rule": $0.rule] }
            + fields.flatMap { field in field.errors.map { ["message": field.said($0), "rule": $0.rule, "href": "#" + field.id] } }
    }

    var context: [String: Any] {
        ["fields": fields.map(\.context), "hasErrors": hasErrors, "errorSummary": summary]
    }
}
