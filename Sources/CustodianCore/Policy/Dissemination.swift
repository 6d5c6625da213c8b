/// A graded piece of information a record can carry, whatever carries it: an intelligence item,
/// or a matter that is an intelligence report. Handling codes and grades travel with the
/// information, so both are judged by the same rule.
public enum GradedItem: Hashable, Sendable, CustomStringConvertible {
    case intelligence(IntelligenceID)
    case report(MatterID)

    public var description: String {
        switch self {
        case .intelligence(let id): "intelligence \(id)"
        case .report(let id): "intelligence report \(id)"
        }
    }

    /// Whether the requester acknowledged this item's handling conditions, by its id.
    func isAcknowledged(in acknowledged: Set<IntelligenceID>) -> Bool {
        switch self {
        case .intelligence(let id): acknowledged.contains(id)
        case .report(let id): acknowledged.contains { $0.description == id.description }
        }
    }
}

/// Which graded items may leave in a disclosure, item by item, by their handling code and grade
/// (I1-I3, S4). Applied when a record is built for a recipient, so every door that sends records
/// (portal, package) sends only what passed.
public enum Dissemination {
    /// Why a graded item stays behind.
    public enum Reason: Sendable, Equatable {
        /// Legacy 5x5x5 handling code 4 or 5: it never leaves the service.
        case neverLeaves(handling: String)
        /// Code C whose conditions the requester has not acknowledged: it stops the person.
        case conditionsUnacknowledged(conditions: String?)
        /// Graded E, or from a source evaluated not reliable, under an agreement that does not say so.
        case weakGrade

        func denial(_ item: GradedItem) -> AccessDenial {
            switch self {
            case .neverLeaves(let handling):
                AccessDenial(
                    rule: "share.legacy-handling",
                    reason: "\(item) carries legacy 5x5x5 handling code \(handling): it never leaves the service")
            case .conditionsUnacknowledged(let conditions):
                AccessDenial(
                    rule: "share.handling-conditions",
                    reason: "\(item) carries handling code C (\(conditions ?? "conditions")): acknowledge its conditions to share it")
            case .weakGrade:
                AccessDenial(
                    rule: "share.weak-grade",
                    reason:
                        "\(item) is graded E or comes from a source evaluated not reliable: it leaves only under an agreement that says so")
            }
        }
    }

    /// Why one item must stay behind, or nil when it may go under this agreement with these
    /// acknowledgements.
    public static func reason(
        _ item: GradedItem, grade: IntelligenceGrade, under agreement: SharingAgreement, acknowledged: Set<IntelligenceID>
    ) -> Reason? {
        switch grade {
        case .legacy(let g):
            // 5x5x5 handling codes 4 and 5 forbid dissemination outside the service; no agreement overrides them.
            if g.handling == "4" || g.handling == "5" { return .neverLeaves(handling: g.handling) }
            if (g.source == "E" || g.intelligence == "5"), !agreement.sharesWeakIntelligence { return .weakGrade }
        case .current(let g):
            if g.handling == .c, !item.isAcknowledged(in: acknowledged) { return .conditionsUnacknowledged(conditions: g.conditions) }
            if (g.assessment == .e || g.source == .notReliable), !agreement.sharesWeakIntelligence { return .weakGrade }
        }
        return nil
    }

    /// `reason`, in the words a refusal carries.
    public static func withheld(
        _ item: GradedItem, grade: IntelligenceGrade, under agreement: SharingAgreement, acknowledged: Set<IntelligenceID>
    ) -> AccessDenial? {
        reason(item, grade: grade, under: agreement, acknowledged: acknowledged)?.denial(item)
    }

    public static func withheld(
        _ id: IntelligenceID, grade: IntelligenceGrade, under agreement: SharingAgreement, acknowledged: Set<IntelligenceID>
    ) -> AccessDenial? {
        withheld(.intelligence(id), grade: grade, under: agreement, acknowledged: acknowledged)
    }
}

extension Recall {
    /// Whether this recall withdraws the record with this reference: a recall of a whole
    /// disclosure names no references and withdraws every record.
    public func withdraws(_ ref: String) -> Bool { recordRefs.isEmpty || recordRefs.contains(ref) }

    public var isWholeDisclosure: Bool { recordRefs.isEmpty }
}
