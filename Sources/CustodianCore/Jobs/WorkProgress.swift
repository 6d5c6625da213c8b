/// How far a long piece of work has got: the step it is on, in words, and a count against a
/// total when the total is known in advance.
public struct WorkProgress: Sendable, Equatable {
    public let step: String
    public let done: Int
    /// Nil when the work cannot know it before it ends (the entries a report period holds).
    public let total: Int?

    public init(step: String, done: Int, total: Int?) { (self.step, self.done, self.total) = (step, done, total) }

    /// Whole per cent of the total, or nil when there is no total to measure against.
    public var percent: Int? {
        guard let total else { return nil }
        guard total > 0 else { return 100 }
        return min(100, done * 100 / total)
    }
}

extension BatchProgress {
    /// A batch's step as a person reads it: "Checking people", "Writing matters".
    public var work: WorkProgress {
        let things =
            switch kind {
            case "subjects": "people"
            case "intelligence": "intelligence items"
            default: kind
            }
        return WorkProgress(step: (phase == .validated ? "Checking " : "Writing ") + things, done: done, total: total)
    }
}
