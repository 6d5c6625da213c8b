/// A refusal as a page says it to the person who filled the form in: about the field by its
/// label, saying what to do, as the GOV.UK Design System words its errors ("Enter the date of
/// birth"). The field's name and the rule's code stay in the API's answer and the audit log,
/// where programs and auditors read them.
extension FieldViolation {
    /// `label` is the field's label on the page; without one the field's name is put into words.
    /// `choosing` says the person picks from options rather than typing, so "Select", not "Enter".
    public func said(about label: String? = nil, choosing: Bool = false) -> String {
        let name = label.map(PlainWords.lowerFirst) ?? PlainWords.label(forField: field)
        let refused = PlainWords.upperFirst(name)
        switch rule {
        case "required" where PlainWords.requiredRest(message, field) != nil:
            return (choosing ? "Select " : "Enter ") + name + (PlainWords.requiredRest(message, field) ?? "")
        case "date.format": return "\(refused) must be a real date"
        case "datetime.format": return "\(refused) must be a real date and time"
        case "date.not-future": return "\(refused) must be today or in the past"
        case "id.format": return choosing ? "Select \(name)" : "\(refused) is not one the register holds"
        case _ where choosing && (rule.hasSuffix(".known") || message.contains("must be one of")):
            return "Select " + name
        default:
            return PlainWords.upperFirst(PlainWords.replacing(field, in: message, with: name))
        }
    }
}

public enum PlainWords {
    /// A message as a sentence on a page: its first letter a capital.
    public static func sentence(_ message: String) -> String { upperFirst(message) }

    /// Field names whose words are not their camel-case split.
    static let glossary: [String: String] = [
        "pncId": "PNC ID", "dateOfBirth": "date of birth", "given": "given name", "family": "family name",
        "capturedAt": "date and time it was captured", "occurredOn": "date it happened",
        "receivedOn": "date the request was received", "confirmedOn": "date identity was confirmed",
        "reviewOn": "review date", "trainingCompletedOn": "date training was completed",
        "officerDefinedEthnicity": "officer-defined ethnicity", "selfDefinedEthnicity": "self-defined ethnicity",
        "ageRecipient": "age recipient key", "from": "start date", "until": "end date",
        "subjectId": "person", "matterId": "matter", "agreementId": "agreement", "partnerId": "partner",
    ]

    /// `names[0].given` → "given name"; `socialMedia.capturedAt` → "date and time it was captured";
    /// `sourceType` → "source type".
    public static func label(forField field: String) -> String {
        let last = String(field.split(separator: ".").last ?? Substring(field)).filter { $0 != "]" }
        let bare = String(last.prefix { $0 != "[" })
        if let known = glossary[bare] { return known }
        var words = ""
        for character in bare {
            if character.isUppercase, !words.isEmpty { words += " " }
            words += character.isUppercase ? character.lowercased() : String(character)
        }
        return words
    }

    /// What follows "<field> is required" in the message ("" or " for social-media intelligence"),
    /// or nil when the message says something else, so "Enter <label>" loses nothing.
    static func requiredRest(_ message: String, _ field: String) -> String? {
        for name in [field, String(field.split(separator: ".").last ?? Substring(field))] {
            let lead = "\(name) is required"
            if message.hasPrefix(lead) { return String(message.dropFirst(lead.count)) }
        }
        return nil
    }

    /// The message with the field's name (whole, or its last part) put into words, word by word so
    /// that `kind` inside another word is left alone.
    static func replacing(_ field: String, in message: String, with name: String) -> String {
        let names = Set([field, String(field.split(separator: ".").last ?? Substring(field))])
        return message.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let core = word.trimmingSuffix { ":,;.".contains($0) }
            return names.contains(String(core)) ? name + word.dropFirst(core.count) : String(word)
        }.joined(separator: " ")
    }

    public static func upperFirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// "Date of birth" → "date of birth", but "PNC ID" and "CRIS reference" keep their capitals.
    static func lowerFirst(_ text: String) -> String {
        let second = text.dropFirst().first
        return second?.isUppercase == true ? text : text.prefix(1).lowercased() + text.dropFirst()
    }
}

extension StringProtocol {
    fileprivate func trimmingSuffix(while drop: (Character) -> Bool) -> SubSequence {
        var end = endIndex
        while end > startIndex, drop(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
