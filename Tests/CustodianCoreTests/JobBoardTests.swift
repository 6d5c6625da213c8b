import CustodianCore
import Foundation
import Synchronization
import Testing

/// Long work as jobs: seen only by the one who started it, for the purpose it was started for;
/// never started twice at once; its progress visible while it runs; kept for a while, then gone.
@Suite struct JobBoardTests {
    static func user(_ n: UInt8, _ unit: Scope = .borough(.hackney)) -> User {
        User(
            id: UserID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n))), username: "user\(n)", displayName: "User \(n)",
            role: .boroughOfficer, unit: unit, trainingCompletedOn: nil, createdAt: Timestamp(microseconds: 0))
    }
    static let quality = StatedPurpose(purpose: .dataQuality, justification: "Loading the borough's weekly feed")
    static let investigation = StatedPurpose(purpose: .investigation, justification: "Looking into the stabbing on the estate")
    static let outcome = JobOutcome.verified(.broken("entry 9 is missing: the log goes from 8 to 10"))

    /// Work held at a gate until the test opens it, having reported one step.
    final class Gate: Sendable {
        let opened: AsyncStream<Void>
        let open: AsyncStream<Void>.Continuation
        let runs = Mutex(0)
        init() { (opened, open) = AsyncStream<Void>.makeStream() }

        func work(_ report: @escaping @Sendable (WorkProgress) -> Void) async -> JobOutcome {
            runs.withLock { $0 += 1 }
            report(WorkProgress(step: "Comparing pairs across boroughs", done: 3, total: 12))
            for await _ in opened { break }
            return JobBoardTests.outcome
        }
    }

    static func finished(_ board: JobBoard, _ id: JobID, _ user: User, _ purpose: StatedPurpose = quality) async -> Job? {
        await board.settle(id, within: 10)
        return await board.job(id, for: user, purpose: purpose)?.0
    }

    @Test func onlyTheOwnerSeesAJobAndOnlyForItsPurpose() async {
        let board = JobBoard(clock: .system)
        let gate = Gate()
        let owner = Self.user(1)
        let job = await board.start(.duplicatesScan, by: owner, for: Self.quality, gate.work)
        #expect(await board.job(job.id, for: Self.user(2), purpose: Self.quality) == nil, "another user is told there is no such job")
        #expect(await board.jobs(of: Self.user(2)).isEmpty)
        #expect(await board.job(job.id, for: owner, purpose: Self.investigation)?.1 == .otherPurpose(.dataQuality))
        #expect(await board.job(job.id, for: owner, purpose: Self.quality)?.1 == .shown)
        gate.open.finish()
    }

    @Test func progressShowsWhileItRunsAndTheOutcomeAfter() async {
        let board = JobBoard(clock: .system)
        let gate = Gate()
        let owner = Self.user(1)
        let job = await board.start(.duplicatesScan, by: owner, for: Self.quality, gate.work)
        var seen: Job?
        for _ in 0..<500 {
            seen = await board.job(job.id, for: owner, purpose: Self.quality)?.0
            if seen?.progress != nil { break }
            try? await Task.sleep(for: .milliseconds(2))
        }
        #expect(seen?.isRunning == true && seen?.progress == WorkProgress(step: "Comparing pairs across boroughs", done: 3, total: 12))
        #expect(seen?.progress?.percent == 25 && seen?.outcome == nil)
        gate.open.finish()
        let done = await Self.finished(board, job.id, owner)
        #expect(done?.isRunning == false && done?.outcome == Self.outcome)
    }

    @Test func aSecondStartWhileOneRunsReturnsTheRunningJobAndDoesNothing() async {
        let board = JobBoard(clock: .system)
        let gate = Gate()
        let owner = Self.user(1)
        let first = await board.start(.import, by: owner, for: Self.quality, gate.work)
        let again = await board.start(.import, by: owner, for: Self.quality, gate.work)
        let otherKind = await board.start(.duplicatesScan, by: owner, for: Self.quality, gate.work)
        let otherUser = await board.start(.import, by: Self.user(2), for: Self.quality, gate.work)
        #expect(again.id == first.id && otherKind.id != first.id && otherUser.id != first.id)
        gate.open.finish()
        for (job, user) in [(first, owner), (otherKind, owner), (otherUser, Self.user(2))] {
            _ = await Self.finished(board, job.id, user)
        }
        #expect(gate.runs.withLock { $0 } == 3, "the import sent twice ran once")
        let afterwards = await board.start(.import, by: owner, for: Self.quality, gate.work)
        #expect(afterwards.id != first.id, "once finished, the same work can be started again")
    }

    @Test func finishedJobsAreKeptForHoursAndAtMostTwentyAUser() async {
        let now = Mutex(Timestamp(microseconds: 1_800_000_000_000_000))
        let board = JobBoard(clock: Clock { now.withLock { $0 } })
        let owner = Self.user(1)
        let first = await board.start(.auditReport, by: owner, for: Self.quality) { _ in Self.outcome }
        _ = await Self.finished(board, first.id, owner)
        for _ in 1..<JobBoard.keptPerUser {
            now.withLock { $0 = $0.adding(seconds: 1) }
            let job = await board.start(.auditReport, by: owner, for: Self.quality) { _ in Self.outcome }
            _ = await Self.finished(board, job.id, owner)
        }
        #expect(await board.jobs(of: owner).count == JobBoard.keptPerUser)
        now.withLock { $0 = $0.adding(seconds: 1) }
        let newest = await board.start(.auditReport, by: owner, for: Self.quality) { _ in Self.outcome }
        _ = await Self.finished(board, newest.id, owner)
        let kept = await board.jobs(of: owner)
        #expect(kept.count == JobBoard.keptPerUser && !kept.contains { $0.id == first.id } && kept.first?.id == newest.id)

        let other = Self.user(2)
        let stale = await board.start(.import, by: other, for: Self.quality) { _ in Self.outcome }
        _ = await Self.finished(board, stale.id, other)
        now.withLock { $0 = $0.adding(seconds: JobBoard.keptFor + 1) }
        _ = await board.start(.import, by: owner, for: Self.quality) { _ in Self.outcome }
        #expect(await board.jobs(of: other).isEmpty, "a finished job is forgotten after \(JobBoard.keptFor) seconds")
    }

    @Test func whatAUseCaseThrowsBecomesAnOutcome() async {
        let violation = FieldViolation(field: "until", rule: "date.order", message: "until must not be before from")
        #expect(await JobOutcome.of { throw RegisterError.invalid([violation]) } == .invalid([violation]))
        let denial = AccessDenial(rule: "scope.borough-only", reason: "only borough staff record in a borough")
        #expect(await JobOutcome.of { throw RegisterError.denied(denial) } == .refused(denial))
        #expect(await JobOutcome.of { throw CancellationError() } == .failed("CancellationError()"))
        #expect(await JobOutcome.of { Self.outcome } == Self.outcome)
    }
}
