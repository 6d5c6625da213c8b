/// Which intelligence items may leave in a disclosure, item by item, by their handling code and
/// grade (I1-I3, S4). Applied when a record is built for a recipient, so every door that sends
/// records (portal, package) sends only what passed.
public enum Dissemination {
    /// Why one item must stay behind, or nil when it may go under this agreement with these
    /// acknowledgements.
    public static func withheld(
        _ id: IntelligenceID, grade: IntelligenceGrade, under agreement: SharingAgreement,
        acknowledged: Set<IntelligenceID>
    ) -> AccessDenial? {
        switch grade {
        case .legacy(let g):
            // 5x5x5 handling codes 4 and 5 forbid dissemination outside the service; no agreement overrides them.
            if g.handling == "4" || g.handling == "5" {
                return AccessDenial(
                    rule: "share.legacy-handling",
                    reason: "intelligence \(id) carries legacy 5x5x5 handling code \(g.handling): it never leaves the service")
            }
            if (g.source == "E" || g.intelligence == "5"), !agreement.sharesWeakIntelligence { return weak(id) }
        case .current(let g):
            if g.handling == .c, !acknowledged.contains(id) {
                return AccessDenial(
                    rule: "share.handling-conditions",
                    reason:
                        "intelligence \(id) carries handling code C (\(g.conditions ?? "conditions")): acknowledge its conditions to share it"
                )
            }
            if (g.assessment == .e || g.source == .notReliable), !agreement.sharesWeakIntelligence { return weak(id) }
        }
        return nil
    }

    private static func weak(_ id: IntelligenceID) -> AccessDenial {
        AccessDenial(
            rule: "share.weak-grade",
            reason:
                "intelligence \(id) is graded E or comes from a source evaluated not reliable: it leaves only under an agreement that says so"
        )
    }
}

extension Recall {
    /// Whether this recall withdraws the record with this reference: a recall of a whole
    /// disclosure names no references and withdraws every record.
    public func withdraws(_ ref: String) -> Bool { recordRefs.isEmpty || recordRefs.contains(ref) }

    public var isWholeDisclosure: Bool { recordRefs.isEmpty }
}
