import Foundation
import CustodianCore

/// Domain values as the templates show them. Victim and witness are always drawn apart from
/// suspect and convicted, in their own colour and words.
enum Views {
    static func category(_ c: Category) -> [String: Any] {
        ["label": c.label, "code": c.rawValue, "tone": tone(c)]
    }

    /// CSS tone: enforcement categories, protected ones (victim, witness), and other.
    static func tone(_ c: Category) -> String {
        switch c {
        case .suspect, .convicted: "enforcement"
        case .victim: "victim"
        case .witness: "witness"
        case .other: "other"
        }
    }

    static func basis(_ b: Basis) -> [String: Any] {
        [
            "label": b == .fact ? "Fact" : "Assessment", "code": b.rawValue,
            "explain": b == .fact ? "recorded as fact" : "a personal assessment, not established fact",
        ]
    }

    static func summary(_ s: SubjectSummary, today: LocalDate) -> [String: Any] {
        let categories = s.categories
        let row: [String: Any] = [
            "id": s.id.description, "name": s.displayName, "borough": s.unit.name,
            "dateOfBirth": s.dateOfBirth.map(\.description) ?? "not known",
            "age": s.dateOfBirth.map { String($0.age(on: today)) } ?? "",
            "enforcement": categories.filter(\.isEnforcement).map(category),
            "protected": categories.filter { !$0.isEnforcement }.map(category),
        ]
        return row.compacted
    }

    static func matter(_ m: Matter) -> [String: Any] {
        let row: [String: Any] = [
            "id": m.id.description, "reference": m.reference, "kind": kindLabel(m.kind), "offence": m.offence.map(offenceLabel) ?? "",
            "occurredOn": m.occurredOn.description, "basis": basis(m.basis), "borough": m.unit.name,
            "source": sourceLabel(m.provenance.sourceType),
        ]
        return row.compacted
    }

    static func intelligence(_ item: IntelligenceItem) -> [String: Any] {
        var c: [String: Any] = [
            "id": item.id.description, "anchor": "intel-\(item.id)", "text": item.content.text,
            "grade": grade(item.grade), "basis": basis(item.basis), "source": sourceLabel(item.provenance.sourceType),
            "recordedAt": Visitor.format(item.provenance.recordedAt),
        ]
        if let social = item.content.socialMedia {
            c["socialMedia"] = [
                "locator": social.locator, "capturedAt": social.capturedAt.description, "captureMethod": social.captureMethod,
                "contentSHA256": social.contentSHA256, "attributionBasis": social.attributionBasis,
                "authorisationReference": social.authorisationReference,
            ]
        }
        return c
    }

    static func grade(_ g: IntelligenceGrade) -> [String: Any] {
        switch g {
        case .current(let g):
            var c: [String: Any] = [
                "code": g.source.rawValue + g.assessment.rawValue + " " + g.handling.rawValue,
                "source": "\(g.source.rawValue) – \(g.source.label)", "assessment": "\(g.assessment.rawValue) – \(g.assessment.label)",
                "handling": "\(g.handling.rawValue) – \(g.handling.label)", "legacy": false,
            ]
            if let conditions = g.conditions { c["conditions"] = conditions }
            return c
        case .legacy(let g):
            return [
                "code": "\(g.source)\(g.intelligence) \(g.handling)", "source": "\(g.source) (5x5x5 source)",
                "assessment": "\(g.intelligence) (5x5x5 intelligence)", "handling": "\(g.handling) (5x5x5 handling)", "legacy": true,
            ]
        }
    }

    static func kindLabel(_ k: Matter.Kind) -> String {
        switch k {
        case .incident: "Incident"
        case .offence: "Offence"
        case .intelligenceReport: "Intelligence report"
        }
    }

    static func offenceLabel(_ o: OffenceType) -> String {
        o.rawValue.replacingOccurrences(of: "-", with: " ").capitalizedFirst
    }

    static func sourceLabel(_ s: SourceType) -> String {
        switch s {
        case .police: "Police"
        case .partner: "Partner agency"
        case .community: "Community"
        case .socialMedia: "Social media"
        }
    }

    static func pager(next: String?, query: [String: String]) -> [String: Any]? {
        guard let next else { return nil }
        var q = query
        q["before"] = next
        let encoded = q.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(PageRedirect.escape($0.value))" }.joined(separator: "&")
        return ["href": "?" + encoded]
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Without its empty strings: Mustache opens a section for any string, even an empty one,
    /// so optional text is left out rather than passed as "".
    var compacted: [String: Any] { filter { !(($0.value as? String)?.isEmpty ?? false) } }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension Views {
    /// A GOV.UK date input for a form written out in its template: day, month and year boxes
    /// that post `NAME-day`, `NAME-month` and `NAME-year`, read back as one date.
    static func dateInput(_ name: String, _ label: String, value: String = "", id: String, hint: String? = nil) -> [String: Any] {
        var field = FormField(name, label, .date, hint: hint)
        field.value = value
        field.htmlID = id
        field.marksOptional = false
        return field.context
    }

    /// A refusal with no form field to sit beside, in the page's words. The rule's code goes only
    /// into a `data-rule` attribute, for tools and tests, never into the text a person reads.
    static func said(_ violation: FieldViolation) -> [String: Any] { ["message": violation.said(), "rule": violation.rule] }
}
