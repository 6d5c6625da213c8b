import CustodianCore
import Foundation

/// A long command's progress on standard error: on a terminal, one line redrawn in place with a
/// bar; otherwise (a log, a pipe, CI) a plain line per step, so nothing fills a file with
/// carriage returns.
struct ProgressLine: Sendable {
    let onTerminal: Bool

    init(onTerminal: Bool = isatty(STDERR_FILENO) == 1) { self.onTerminal = onTerminal }

    /// What to write for one step.
    func render(_ p: WorkProgress, width: Int = 24) -> String {
        let counts = "\(p.step): \(Self.count(p.done))" + (p.total.map { " of \(Self.count($0))" } ?? "")
        guard onTerminal else { return "  \(counts)\n" }
        guard let total = p.total else { return "\r  \(counts)\u{1B}[K" }
        let filled = total == 0 ? width : min(width, p.done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        // Clear to the end of the line, so a shorter line leaves nothing of the longer one before it.
        return "\r  [\(bar)] \(counts)\u{1B}[K" + (p.done >= total ? "\n" : "")
    }

    func write(_ p: WorkProgress) { FileHandle.standardError.write(Data(render(p).utf8)) }

    static func count(_ n: Int) -> String { n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB"))) }
}
