import CustodianCore
import Testing

@testable import CustodianApp

/// A long import's progress: a bar redrawn in place on a terminal, plain lines anywhere else.
@Suite struct ProgressLineTests {
    @Test func aTerminalGetsOneLineRedrawnWithABar() {
        let line = ProgressLine(onTerminal: true)
        let half = line.render(BatchProgress(phase: .written, kind: "subjects", done: 7_500, total: 15_000).work, width: 10)
        #expect(half == "\r  [#####-----] Writing people: 7,500 of 15,000\u{1B}[K")
        let done = line.render(BatchProgress(phase: .written, kind: "subjects", done: 15_000, total: 15_000).work, width: 10)
        #expect(done.hasSuffix("15,000 of 15,000\u{1B}[K\n") && done.contains("[##########]"), "the last step ends its line")
    }

    @Test func aLogOrPipeGetsPlainLinesWithNoControlCharacters() {
        let line = ProgressLine(onTerminal: false)
        let text = line.render(BatchProgress(phase: .validated, kind: "matters", done: 2_000, total: 100_000).work)
        #expect(text == "  Checking matters: 2,000 of 100,000\n")
        #expect(!text.contains("\r") && !text.contains("\u{1B}"))
    }

    @Test func workWithNoKnownTotalShowsItsCountAndNoBar() {
        let step = WorkProgress(step: "Reading the log", done: 12_500, total: nil)
        #expect(ProgressLine(onTerminal: true).render(step) == "\r  Reading the log: 12,500\u{1B}[K")
        #expect(ProgressLine(onTerminal: false).render(step) == "  Reading the log: 12,500\n")
        #expect(step.percent == nil && WorkProgress(step: "x", done: 3, total: 4).percent == 75)
    }
}
