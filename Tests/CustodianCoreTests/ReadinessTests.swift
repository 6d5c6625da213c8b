import CustodianCore
import Testing

/// A part of the server that does not answer in time is reported as not answering, and the probe
/// does not wait for it: a stopped database makes a pool wait for a connection indefinitely.
@Suite struct ReadinessTests {
    @Test func aPartThatDoesNotAnswerInTimeIsNotReadyAndTheProbeDoesNotWait() async {
        let start = ContinuousClock.now
        let silent = await Register.check("database", within: 1) {
            try await Task.sleep(for: .seconds(300))
            return "answers"
        }
        // Far below the silent part's 300 s, with room for a loaded run's late timers.
        #expect(ContinuousClock.now - start < .seconds(120), "the probe waited for the silent part")
        #expect(silent == Readiness.Check(part: "database", answered: false, state: "does not answer within 1 s"))
        let quick = await Register.check("key store", within: 1) { "answers" }
        #expect(quick.answered && Readiness(checks: [quick]).isReady && !Readiness(checks: [quick, silent]).isReady)
        struct Down: Error {}
        let failing = await Register.check("audit log", within: 1) { throw Down() }
        #expect(!failing.answered && failing.state.hasPrefix("does not answer: "))
    }
}
