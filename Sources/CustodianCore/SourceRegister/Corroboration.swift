/// Which of the evidence put forward corroborates which (I1, I5), as a plain function.
///
/// An item's line of reporting starts at its registered source, or, when it cites none, at the
/// unit that recorded it. Two items are independent only when their sources are distinct and
/// handled by different units, and not both entered by the proposer: an officer who types two
/// references, or files two sources their own unit handles, has one line of reporting, not two.
/// Since distinct handling units already make the sources distinct, the largest set of mutually
/// independent items holds one item per handling unit, at most one of them the proposer's.
public enum Corroboration {
    /// Where an item's reporting comes from, as the threshold weighs it.
    public struct Origin: Hashable, Sendable {
        /// The registered source, or nil for the recording unit's own.
        public let source: SourceCitation?
        public let handler: Scope

        public var description: String {
            if let source {
                "\(source.label) (\(source.kind.label.lowercased()), handled by \(source.handlerUnit.name))"
            } else {
                "\(handler.name)'s own records"
            }
        }
    }

    public static func origin(of evidence: InclusionEvidence) -> Origin {
        Origin(source: evidence.source, handler: evidence.source?.handlerUnit ?? evidence.originatingUnit)
    }

    /// The largest set of items that corroborate one another, in the order given: what the
    /// threshold counts, and what the decider is shown as counted.
    public static func independent(_ evidence: [InclusionEvidence], proposer: UserID?) -> [InclusionEvidence] {
        var chosen: [Scope: InclusionEvidence] = [:]
        var order: [Scope] = []
        for item in evidence where item.author != proposer {
            let handler = origin(of: item).handler
            if chosen[handler] == nil { (chosen[handler], order) = (item, order + [handler]) }
        }
        if let own = evidence.first(where: { $0.author == proposer && chosen[origin(of: $0).handler] == nil }) {
            let handler = origin(of: own).handler
            (chosen[handler], order) = (own, order + [handler])
        }
        let picked = Set(order.compactMap { chosen[$0]?.item })
        return evidence.filter { picked.contains($0.item) }
    }

    /// As many as `independent` would count were every item entered by someone else: when this
    /// reaches the threshold and `independent` does not, the proposer's own entries are why.
    static func ignoringAuthors(_ evidence: [InclusionEvidence]) -> Int {
        Set(evidence.map { origin(of: $0).handler }).count
    }
}
