/// The GOV.UK task list: a case's steps in order, each with its status, at the top of a breach
/// or a rights request, so whoever picks it up sees at once what is done and what is next.
enum TaskList {
    enum State: String {
        case completed = "Completed"
        case notStarted = "Not yet started"
        case cannotStart = "Cannot start yet"
    }

    /// One step; it links to its section only while there is something to do there.
    static func task(_ name: String, _ anchor: String, _ state: State) -> [String: Any] {
        var task: [String: Any] = ["name": name, "status": state.rawValue, "done": state == .completed]
        if state == .notStarted { task["href"] = "#" + anchor }
        return task
    }

    static func state(done: Bool, possible: Bool = true) -> State { done ? .completed : possible ? .notStarted : .cannotStart }
}
