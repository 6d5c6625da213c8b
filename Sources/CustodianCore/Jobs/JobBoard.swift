import Synchronization

/// The jobs of this server: started, watched, and kept for a while after they finish. A job's
/// work runs outside any request, so it carries on when its page is left or the browser closed.
/// A job runs on the server that started it: restarted, the server forgets its jobs, and a
/// write left unfinished was never committed (every long write is one transaction).
public actor JobBoard {
    /// How long a finished job's outcome is kept for its owner to come back to.
    public static let keptFor: Int64 = 8 * 60 * 60
    /// The most jobs kept for one user; the oldest finished go first.
    public static let keptPerUser = 20

    private var jobs: [JobID: Job] = [:]
    private var progress: [JobID: Latest] = [:]
    private let clock: Clock
    private let ids: IdentifierSource

    public init(clock: Clock, ids: IdentifierSource = .v7) {
        self.clock = clock
        self.ids = ids
    }

    /// Starts `work` for `user`, unless they already have a job of this kind running: then that
    /// one is returned and nothing starts, so a form sent twice does its work once.
    public func start(
        _ kind: Job.Kind, by user: User, for purpose: StatedPurpose,
        _ work: @escaping @Sendable (_ report: @escaping @Sendable (WorkProgress) -> Void) async -> JobOutcome
    ) -> Job {
        if let running = jobs.values.first(where: { $0.owner == user.id && $0.kind == kind && $0.isRunning }) {
            return snapshot(running)
        }
        forgetOld(of: user.id)
        let job = Job(
            id: ids.next(), kind: kind, owner: user.id, purpose: purpose, startedAt: clock.now(), progress: nil, state: .running)
        let latest = Latest()
        jobs[job.id] = job
        progress[job.id] = latest
        Task {
            let outcome = await work { step in latest.value.withLock { $0 = step } }
            self.finish(job.id, outcome)
        }
        return job
    }

    /// The job as `user` may see it while working for `purpose` (`Job.sight`).
    public func job(_ id: JobID, for user: User, purpose: StatedPurpose) -> (Job, JobSight)? {
        guard let job = jobs[id] else { return nil }
        let sight = job.sight(by: user, for: purpose)
        return sight == .none ? nil : (snapshot(job), sight)
    }

    /// The user's own jobs, newest first.
    public func jobs(of user: User) -> [Job] {
        jobs.values.filter { $0.owner == user.id }.map(snapshot).sorted { $0.startedAt > $1.startedAt }
    }

    /// Waits until the job finishes or `seconds` pass, whichever is first: quick work is shown
    /// done on its first page rather than as a job that was running a moment ago.
    public nonisolated func settle(_ id: JobID, within seconds: Double) async {
        let step = 0.02
        var waited = 0.0
        while waited < seconds, await jobs[id]?.isRunning == true {
            try? await Task.sleep(for: .seconds(step))
            waited += step
        }
    }

    private func finish(_ id: JobID, _ outcome: JobOutcome) {
        guard var job = jobs[id] else { return }
        job.progress = progress[id]?.value.withLock { $0 }
        job.state = .finished(outcome, at: clock.now())
        jobs[id] = job
        progress[id] = nil
    }

    private func snapshot(_ job: Job) -> Job {
        var job = job
        if let latest = progress[job.id] { job.progress = latest.value.withLock { $0 } }
        return job
    }

    private func forgetOld(of owner: UserID) {
        let now = clock.now()
        for (id, job) in jobs {
            if case .finished(_, let at) = job.state, now.microseconds - at.microseconds > Self.keptFor * 1_000_000 { jobs[id] = nil }
        }
        let finished = jobs.values.filter { $0.owner == owner && !$0.isRunning }.sorted { $0.startedAt < $1.startedAt }
        for job in finished.prefix(max(0, finished.count - (Self.keptPerUser - 1))) { jobs[job.id] = nil }
    }

    /// The newest step a job's work reported, written from the work's own task without waiting
    /// on the board.
    private final class Latest: Sendable {
        let value = Mutex<WorkProgress?>(nil)
    }
}
