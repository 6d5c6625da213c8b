import CustodianCore
import Foundation

/// A long command's progress on standard error: on a terminal, one line redrawn in place with a
/// bar; otherwise (a log, a pipe, CI) a plain line per step, so nothing fills a file with
/// carriage returns.
struct ProgressLine: Sendable {
    let onTerminal: Bool

    init(onTerminal: Bool = isatty(STDERR_FILENO) == 1) { self.onTerminal = onTerminal }

    /// What to write for one step.
    func render(_ p: BatchProgress, width: Int = 24) -> String {
        let counts = "\(p.phase.rawValue) \(p.kind): \(Self.count(p.done)) of \(Self.count(p.total))"
        guard onTerminal else { return "  \(counts)\n" }
        let filled = p.total == 0 ? width : min(width, p.done * width / p.total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        // Clear to the end of the line, so a shorter line leaves nothing of the longer one before it.
        return "\r  [\(bar)] \(counts)\u{1B}[K" + (p.done >= p.total ? "\n" : "")
    }

    func write(_ p: BatchProgress) { FileHandle.standardError.write(Data(render(p).utf8)) }

    static func count(_ n: Int) -> String { n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_GB"))) }
}
