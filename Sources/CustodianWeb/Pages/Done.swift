/// What the confirmation after a completed action says: the GOV.UK success banner, above the
/// page the action returns to, naming who decides next where someone must. It travels in the
/// address as `?done=KEY`, so it needs no state and survives the redirect; a key not listed here
/// shows nothing, so an address cannot put words on the page.
enum Done: String, CaseIterable, Sendable {
    case subjectRecorded = "subject-recorded"
    case matterRecorded = "matter-recorded"
    case linkAdded = "link-added"
    case intelligenceRecorded = "intelligence-recorded"
    case flagPlaced = "flag-placed"
    case inclusionProposed = "inclusion-proposed"
    case inclusionDecided = "inclusion-decided"
    case reviewRecorded = "review-recorded"
    case removalDecided = "removal-decided"
    case scoreAssessed = "score-assessed"
    case shareRequested = "share-requested"
    case shareDecided = "share-decided"
    case disclosureRecalled = "disclosure-recalled"
    case recallConfirmed = "recall-confirmed"
    case agreementApproval = "agreement-approval"
    case breachUpdated = "breach-updated"
    case requestOpened = "request-opened"
    case requestUpdated = "request-updated"
    case retentionDecided = "retention-decided"
    case sourceRegistered = "source-registered"
    case sourceEvaluated = "source-evaluated"
    case userCreated = "user-created"
    case userUpdated = "user-updated"
    case grantDecided = "grant-decided"
    case childActionDecided = "child-action-decided"
    case duplicateDecided = "duplicate-decided"
    case alertAnswered = "alert-answered"
    case baselinesLoaded = "baselines-loaded"
    case dpiaSaved = "dpia-saved"
    case policySaved = "policy-saved"

    var heading: String {
        switch self {
        case .subjectRecorded: "Subject recorded"
        case .matterRecorded: "Matter recorded and linked"
        case .linkAdded: "Link added"
        case .intelligenceRecorded: "Intelligence recorded"
        case .flagPlaced: "Flag placed"
        case .inclusionProposed: "Inclusion proposed"
        case .inclusionDecided: "Inclusion decided"
        case .reviewRecorded: "Review recorded"
        case .removalDecided: "Removal decided"
        case .scoreAssessed: "Harm score assessed"
        case .shareRequested: "Share requested"
        case .shareDecided, .grantDecided, .childActionDecided, .duplicateDecided, .agreementApproval: "Decision recorded"
        case .disclosureRecalled: "Disclosure recalled"
        case .recallConfirmed: "Recall confirmed"
        case .breachUpdated: "Breach record updated"
        case .requestOpened: "Request recorded"
        case .requestUpdated: "Request updated"
        case .retentionDecided: "Retention decision recorded"
        case .sourceRegistered: "Source registered"
        case .sourceEvaluated: "Evaluation recorded"
        case .userCreated: "User created"
        case .userUpdated: "User updated"
        case .alertAnswered: "Response recorded"
        case .baselinesLoaded: "Population figures loaded"
        case .dpiaSaved: "DPIA saved"
        case .policySaved: "Policy document saved"
        }
    }

    /// Who acts next, where the register waits on someone.
    var next: String? {
        switch self {
        case .inclusionProposed:
            "A second person decides: a SPOC in the borough, or central governance for a child. It is in their decisions waiting."
        case .shareRequested: "Nothing leaves until a second person approves it. It is in their decisions waiting."
        case .disclosureRecalled: "The partner sees the recall at once and must confirm they have deleted what they hold."
        case .requestOpened: "Confirm the person's identity next. The one-month deadline runs from the day it was received."
        case .policySaved: "Governance approves it before it is in force."
        default: nil
        }
    }

    var context: [String: Any] {
        var c: [String: Any] = ["heading": heading]
        if let next { c["next"] = next }
        return c
    }

    /// `location` with this confirmation added to its query, before any fragment.
    func after(_ location: String) -> String {
        let (path, fragment) = location.firstIndex(of: "#").map { (location[..<$0], location[$0...]) } ?? (Substring(location), "")
        return "\(path)\(path.contains("?") ? "&" : "?")done=\(rawValue)\(fragment)"
    }
}
