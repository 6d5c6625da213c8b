/// The safeguards for children (C4) in one place, for every action that could be adverse: an
/// inclusion, a flag, a harm score, a share. Someone whose date of birth is not known is treated
/// as a child, never as an adult: not knowing must not lower the bar.
public enum ChildSafeguards {
    public enum Route: Sendable, Equatable {
        case adult
        /// Under 18, or age unknown: a safeguarding rationale and central governance as well.
        case child
        /// Under the minimum age (10): never included, flagged or scored.
        case never
    }

    public static func route(age: Int?, _ rulebook: Rulebook) -> Route {
        guard let age else { return .child }
        if age < rulebook.inclusion.minimumAge { return .never }
        return age < rulebook.inclusion.childAge ? .child : .adult
    }
}
