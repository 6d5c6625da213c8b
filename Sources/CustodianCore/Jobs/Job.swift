public typealias JobID = Identifier<Job>

/// Long work started from a page (an import, the whole log's verification, an audit report over
/// months, a duplicates scan). It runs on when the page is left; the one who started it can
/// watch its progress and come back for its outcome. The use case it runs is authorised and
/// logged as it would be at any door: a job is only a way of waiting for it.
public struct Job: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case `import`
        case logVerification = "log-verification"
        case auditReport = "audit-report"
        case duplicatesScan = "duplicates-scan"

        /// What the job does, as a page heading says it.
        public var title: String {
            switch self {
            case .import: "Import a borough feed"
            case .logVerification: "Verify the whole audit log"
            case .auditReport: "Audit report"
            case .duplicatesScan: "Scan for duplicate records"
            }
        }
    }

    public enum State: Sendable, Equatable {
        case running
        case finished(JobOutcome, at: Timestamp)
    }

    public let id: JobID
    public let kind: Kind
    public let owner: UserID
    public let purpose: StatedPurpose
    public let startedAt: Timestamp
    public internal(set) var progress: WorkProgress?
    public internal(set) var state: State

    public var isRunning: Bool { state == .running }

    public var outcome: JobOutcome? {
        guard case .finished(let outcome, _) = state else { return nil }
        return outcome
    }

    /// Whether `user`, working for `purpose`, may see this job. Only its owner, and only for the
    /// purpose it was started for: what it read was read for that purpose and is not carried to
    /// another. Anyone else is told there is no such job, so an id reveals nothing.
    public func sight(by user: User, for purpose: StatedPurpose) -> JobSight {
        guard user.id == owner else { return .none }
        guard purpose.purpose == self.purpose.purpose else { return .otherPurpose(self.purpose.purpose) }
        return .shown
    }
}

public enum JobSight: Sendable, Equatable {
    case shown
    case none
    case otherPurpose(Purpose)
}

/// What a job ended with: the use case's own outcome, or why it did nothing.
public enum JobOutcome: Sendable, Equatable {
    case imported(ImportOutcome)
    case verified(LogCheck)
    case reported(AuditReport, usernames: [UserID: String], from: LocalDate, until: LocalDate)
    case scanned(DuplicateScan)
    /// The input broke the register's rules; nothing was written.
    case invalid([FieldViolation])
    /// The register refused, and logged the refusal.
    case refused(AccessDenial)
    /// Something went wrong that is nobody's input: the job stopped and wrote nothing.
    case failed(String)

    /// Runs a use case, turning what it throws into an outcome a page can show.
    public static func of(_ body: () async throws -> JobOutcome) async -> JobOutcome {
        do {
            return try await body()
        } catch RegisterError.invalid(let violations) {
            return .invalid(violations)
        } catch RegisterError.denied(let denial) {
            return .refused(denial)
        } catch {
            return .failed(String(describing: error))
        }
    }
}
