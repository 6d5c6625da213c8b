/// The controlled list of purposes a consultation may be made for. Each is a policing purpose in
/// MoPI's sense or a use of the log that s.62(4) allows.
public enum Purpose: String, CaseIterable, Sendable, Codable {
    case violencePrevention = "violence-prevention"
    case investigation
    case safeguarding
    case registerReview = "register-review"
    case dataQuality = "data-quality"
    case subjectRights = "subject-rights"
    case audit

    public var label: String {
        switch self {
        case .violencePrevention: "Preventing serious violence"
        case .investigation: "Investigating an offence"
        case .safeguarding: "Safeguarding a person at risk"
        case .registerReview: "Reviewing a register entry"
        case .dataQuality: "Data quality (duplicates, corrections)"
        case .subjectRights: "Answering a data subject's rights request"
        case .audit: "Audit: lawfulness, self-monitoring, integrity (s.62(4))"
        }
    }
}

/// Why a person is touching register data: a purpose from the list and their own words. Written
/// on every audit entry the action produces.
public struct StatedPurpose: Sendable, Equatable, Codable {
    public let purpose: Purpose
    public let justification: String

    public static let minimumJustification = 10

    public init(purpose: Purpose, justification: String) {
        self.purpose = purpose
        self.justification = justification
    }

    /// Parses wire values, naming every missing or malformed part at once.
    public init(purpose: String?, justification: String?) throws(RegisterError) {
        var v = Validator()
        let p = purpose.flatMap { Purpose(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        if purpose?.isEmpty ?? true {
            v.fail(
                "purpose", "purpose.required", "a purpose is required: one of \(Purpose.allCases.map(\.rawValue).joined(separator: ", "))")
        } else if p == nil {
            v.fail("purpose", "purpose.known", "purpose must be one of \(Purpose.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let text = v.text(justification, "justification", max: 500)
        if let text, text.count < Self.minimumJustification {
            v.fail(
                "justification", "justification.min-length",
                "justification must say why, in at least \(Self.minimumJustification) characters")
        }
        (self.purpose, self.justification) = try v.finish(p, text)
    }
}

import Foundation
