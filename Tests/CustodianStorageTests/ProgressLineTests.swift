import CustodianCore
import Testing

@testable import CustodianApp

/// A long import's progress: a bar redrawn in place on a terminal, plain lines anywhere else.
@Suite struct ProgressLineTests {
    @Test func aTerminalGetsOneLineRedrawnWithABar() {
        let line = ProgressLine(onTerminal: true)
        let half = line.render(BatchProgress(phase: .written, kind: "subjects", done: 7_500, total: 15_000), width: 10)
        #expect(half == "\r  [#####-----] written subjects: 7,500 of 15,000\u{1B}[K")
        let done = line.render(BatchProgress(phase: .written, kind: "subjects", done: 15_000, total: 15_000), width: 10)
        #expect(done.hasSuffix("15,000 of 15,000\u{1B}[K\n") && done.contains("[##########]"), "the last step ends its line")
    }

    @Test func aLogOrPipeGetsPlainLinesWithNoControlCharacters() {
        let line = ProgressLine(onTerminal: false)
        let text = line.render(BatchProgress(phase: .validated, kind: "matters", done: 2_000, total: 100_000))
        #expect(text == "  validated matters: 2,000 of 100,000\n")
        #expect(!text.contains("\r") && !text.contains("\u{1B}"))
    }
}
