import CustodianCore
import Foundation
import Hummingbird
import Logging
import Metrics

/// Long work as a job: the form that starts it sends the browser to the job's page, which shows
/// its progress while it runs (a button to check again without script; with script, it checks by
/// itself) and the work's own page when it ends. The job runs on if the page is left.
extension Pages {
    func jobRoutes<Context: RequestContext>(_ router: RouterGroup<Context>) {
        router.get("/jobs") { request, _ in
            let visitor = try await visitor(request)
            let mine = await jobs.jobs(of: visitor.user)
            return page(
                "jobs", "Your jobs", visitor,
                ["jobs": mine.map(Self.jobRow), "none": mine.isEmpty, "keptHours": JobBoard.keptFor / 3600])
        }
        router.get("/jobs/:id") { request, context in
            let (visitor, purpose) = try await working(request)
            let (job, sight) = try await ownJob(context.parameters.get("id"), visitor, purpose)
            guard sight == .shown, let outcome = job.outcome else { return jobPage(job, sight, visitor) }
            return try await outcomePage(job, outcome, request, visitor, purpose)
        }
        // What the page's script asks for while a job runs: the progress part alone, so the
        // outcome is read once, when the page is loaded again after the job ends.
        router.get("/jobs/:id/progress") { request, context in
            let (visitor, purpose) = try await working(request)
            let (job, sight) = try await ownJob(context.parameters.get("id"), visitor, purpose)
            return jobPage(job, sight, visitor)
        }
    }

    /// Starts `work` as a job for the visitor and sends the browser to its page. Work that ends
    /// within a moment is shown done there, with no running page between.
    func startJob(
        _ kind: Job.Kind, _ visitor: Visitor, _ purpose: StatedPurpose,
        _ work: @escaping @Sendable (_ report: @escaping @Sendable (WorkProgress) -> Void) async throws -> JobOutcome
    ) async -> Response {
        let started = ContinuousClock.now
        let job = await jobs.start(kind, by: visitor.user, for: purpose) { [logger] report in
            let running = Meter(label: "custodian_jobs_running", dimensions: [("kind", kind.rawValue)])
            running.increment()
            let outcome = await JobOutcome.of { try await work(report) }
            running.decrement()
            Counter(label: "custodian_jobs_total", dimensions: [("kind", kind.rawValue), ("outcome", outcome.kind)]).increment()
            logger.info(
                "job finished",
                metadata: [
                    "kind": "\(kind.rawValue)", "outcome": "\(outcome.summary)",
                    "seconds": "\(String(format: "%.2f", Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000))",
                ])
            return outcome
        }
        logger.info("job started", metadata: ["job": "\(job.id)", "kind": "\(kind.rawValue)"])
        await jobs.settle(job.id, within: Self.settleSeconds)
        return Response.redirect(to: "/jobs/\(job.id)", type: .normal)
    }

    static let settleSeconds = 1.5

    private func ownJob(_ text: String?, _ visitor: Visitor, _ purpose: StatedPurpose) async throws -> (Job, JobSight) {
        let id: JobID = try Self.id(text, "job")
        guard let found = await jobs.job(id, for: visitor.user, purpose: purpose) else {
            throw RegisterError.notFound(kind: "job", id: id.description)
        }
        return found
    }

    /// A job still running, stopped by a fault, or started for another purpose.
    private func jobPage(_ job: Job, _ sight: JobSight, _ visitor: Visitor) -> Response {
        var c: [String: Any] = ["id": job.id.description, "started": Visitor.format(job.startedAt), "heading": job.kind.title]
        switch (sight, job.state) {
        case (.otherPurpose(let other), _):
            c["state"] = "hidden"
            c["otherPurpose"] = ["purpose": other.label, "next": PageRedirect.escape("/jobs/\(job.id)")]
            return page("job", job.kind.title, visitor, c, status: .forbidden)
        case (_, .running):
            c["state"] = "running"
            c["running"] = Self.progressContext(job.progress)
        case (_, .finished(let outcome, _)):
            c["state"] = "finished"
            if case .failed(let why) = outcome { c["failed"] = ["why": why] }
        }
        return page(
            "job", job.kind.title, visitor, c, status: job.outcome.map { if case .failed = $0 { .internalServerError } else { .ok } } ?? .ok
        )
    }

    static func progressContext(_ p: WorkProgress?) -> [String: Any] {
        guard let p else { return ["step": "Starting"] }
        var c: [String: Any] = ["step": p.step, "done": BarChart.count(p.done)]
        if let total = p.total { c["total"] = BarChart.count(total) }
        if let percent = p.percent { c["percent"] = ["value": percent] }
        return c
    }

    static func jobRow(_ job: Job) -> [String: Any] {
        var row: [String: Any] = ["id": job.id.description, "title": job.kind.title, "started": Visitor.format(job.startedAt)]
        switch job.state {
        case .running:
            row["status"] = job.progress?.percent.map { "Running: \($0)%" } ?? "Running"
            row["running"] = true
        case .finished(let outcome, _): row["status"] = outcome.status
        }
        return row
    }

    /// A finished job shown as its work's own page, as if the form had waited for it.
    private func outcomePage(
        _ job: Job, _ outcome: JobOutcome, _ request: Request, _ visitor: Visitor, _ purpose: StatedPurpose
    ) async throws -> Response {
        switch outcome {
        case .refused(let denial):
            throw RegisterError.denied(denial)
        case .failed:
            return jobPage(job, .shown, visitor)
        case .imported(let o):
            return importPage(visitor, outcome: o)
        case .verified(let check):
            return try await auditPage(request, visitor, purpose, check: check)
        case .reported(let report, let usernames, let from, let until):
            return auditReportPage(visitor, from: from.description, until: until.description, report: (report, usernames))
        case .scanned(let scan):
            return try await duplicatesPage(
                visitor, purpose, offset: 0,
                notice: "Scan finished: \(scan.compared) pairs across boroughs compared, \(scan.candidates) in the queue.")
        case .invalid(let violations):
            switch job.kind {
            case .import: return importPage(visitor, violations: violations, status: .unprocessableContent)
            // The period is checked before a report starts: what is left is the register's own.
            case .auditReport, .logVerification, .duplicatesScan: throw RegisterError.invalid(violations)
            }
        }
    }
}

extension JobOutcome {
    /// One line for the jobs list and the operations log: never anyone's data.
    var status: String {
        switch self {
        case .imported(let o):
            o.dryRun ? "Checked: \(BarChart.count(o.rows)) rows, nothing written" : "Imported \(BarChart.count(o.rows)) rows"
        case .verified(.intact): "The log is intact"
        case .verified(.broken): "The log is broken"
        case .reported(let r, _, _, _): "\(BarChart.count(r.entries)) log entries read"
        case .scanned(let s): "\(BarChart.count(s.candidates)) pairs queued"
        case .invalid(let v): "Nothing done: \(v.count) problem(s)"
        case .refused: "Refused"
        case .failed: "Stopped by a fault"
        }
    }

    /// What kind of ending it was, for counting: never what it found.
    var kind: String {
        switch self {
        case .imported, .verified, .reported, .scanned: "done"
        case .invalid: "invalid"
        case .refused: "refused"
        case .failed: "failed"
        }
    }

    var summary: String {
        switch self {
        case .refused(let denial): "refused \(denial.rule.rawValue)"
        // A fault's own words can carry what it was reading: the log gets only that it failed.
        case .failed: "failed"
        default: status
        }
    }
}
