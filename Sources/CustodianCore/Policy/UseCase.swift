/// Every use case the register has, named once. The raw value is the action the audit log records,
/// so the log reads as it always has; the declaration says what each one does, and the safeguards
/// it passes are derived from that (`Declaration`). A use case missing from `declaration` does not
/// compile.
public enum UseCase: String, Sendable, Hashable, CaseIterable, Codable {
    // People, matters and intelligence.
    case subjectCreate = "subject.create"
    case subjectRead = "subject.read"
    case subjectEthnicityRead = "subject.ethnicity.read"
    case subjectList = "subject.list"
    case subjectSearch = "subject.search"
    case subjectRestrict = "subject.restrict"
    case matterCreate = "matter.create"
    case matterRead = "matter.read"
    case linkCreate = "link.create"
    case intelligenceCreate = "intelligence.create"
    case intelligenceRead = "intelligence.read"
    case flagCreate = "flag.create"
    case batchRecord = "batch.record"
    case importRecords = "import.records"
    // Inclusion, harm, review, removal, children.
    case inclusionPropose = "inclusion.propose"
    case inclusionDecide = "inclusion.decide"
    case harmAssess = "harm.assess"
    case removalDecide = "removal.decide"
    case reviewQueue = "review.queue"
    case reviewRecord = "review.record"
    case reviewSweep = "review.sweep"
    case harmRescore = "harm.rescore"
    case subjectHistory = "subject.history"
    case inclusionQueue = "inclusion.queue"
    case childActionRequest = "child-action.request"
    case childActionDecide = "child-action.decide"
    case childActionList = "child-action.list"
    // The source register.
    case sourceRegister = "source.register"
    case sourceEvaluate = "source.evaluate"
    case sourceRead = "source.read"
    case sourceList = "source.list"
    // One person's records across boroughs.
    case duplicatesScan = "duplicates.scan"
    case duplicatesQueue = "duplicates.queue"
    case duplicatesDecide = "duplicates.decide"
    case duplicatesReverse = "duplicates.reverse"
    case duplicatesDecisions = "duplicates.decisions"
    // Sharing.
    case shareRequest = "share.request"
    case shareDecide = "share.decide"
    case sharePackage = "share.package"
    case shareList = "share.list"
    case portalList = "portal.list"
    case recallList = "recall.list"
    case recallAcknowledge = "recall.acknowledge"
    case recallConfirmDeletion = "recall.confirm-deletion"
    case recallRaise = "recall.raise"
    case recallCorrection = "recall.correction"
    case partnerRegister = "partner.register"
    case partnerList = "partner.list"
    case agreementDraft = "agreement.draft"
    case agreementApprove = "agreement.approve"
    case agreementReview = "agreement.review"
    case agreementSuspend = "agreement.suspend"
    case agreementList = "agreement.list"
    case disclosureList = "disclosure.list"
    // Rights and retention.
    case rightsOpen = "rights.open"
    case rightsList = "rights.list"
    case rightsIdentity = "rights.identity"
    case rightsSubjects = "rights.subjects"
    case rightsWithhold = "rights.withhold"
    case rightsClose = "rights.close"
    case rightsAnswer = "rights.answer"
    case rightsDisclosureHistory = "rights.disclosure-history"
    case rightsDecide = "rights.decide"
    case rightsRectify = "rights.rectify"
    case retentionQueue = "retention.queue"
    case retentionDecide = "retention.decide"
    // Governance.
    case rulebookPropose = "rulebook.propose"
    case rulebookDecide = "rulebook.decide"
    case dashboardRead = "dashboard.read"
    case equalityBaselineLoad = "equality.baseline-load"
    case equalityBaselines = "equality.baselines"
    case equalityReport = "equality.report"
    case equalityAlertsRaise = "equality.alerts-raise"
    case equalityAlerts = "equality.alerts"
    case equalityAlertAnswer = "equality.alert-answer"
    case eiaRecord = "eia.record"
    case eiaRead = "eia.read"
    case dpiaDraft = "dpia.draft"
    case dpiaAdvise = "dpia.advise"
    case dpiaApprove = "dpia.approve"
    case dpiaList = "dpia.list"
    case policyDocumentDraft = "policy-document.draft"
    case policyDocumentApprove = "policy-document.approve"
    case policyDocumentList = "policy-document.list"
    case recordOfProcessingRead = "record-of-processing.read"
    case auditReportGenerate = "audit-report.generate"
    case breachReport = "breach.report"
    case breachList = "breach.list"
    case breachContain = "breach.contain"
    case breachScope = "breach.scope"
    case breachNotify = "breach.notify"
    case breachNotNotified = "breach.not-notified"
    case breachPeople = "breach.people"
    // The audit log.
    case auditRead = "audit.read"
    case auditCheckpointRead = "audit.checkpoint.read"
    case auditProofRead = "audit.proof.read"
    case auditEntriesRead = "audit.entries.read"
    case auditKeyRead = "audit.key.read"
    case auditVerify = "audit.verify"
    // Keeping the register: copies of it, taken and put back.
    case registerBackup = "register.backup"
    case registerRestore = "register.restore"
    case registerRollbackAcknowledge = "register.rollback.acknowledge"
    case registerDecommission = "register.decommission"
    // Accounts.
    case userCreate = "user.create"
    case userUpdate = "user.update"
    case userList = "user.list"
    case userRead = "user.read"
    case staffNames = "staff.names"
    case grantList = "grant.list"
    case grantDecide = "grant.decide"
    case tokenIssue = "token.issue"
    case enrolmentIssue = "enrolment.issue"
    case enrolmentRedeem = "enrolment.redeem"
    case passwordChange = "password.change"
    case sessionSignIn = "session.sign-in"
    case sessionSignOut = "session.sign-out"

    /// What the use case does, declared here once; exhaustive, so a new case must say.
    public var declaration: Declaration {
        switch self {
        case .subjectRead, .subjectHistory, .inclusionQueue, .subjectList, .subjectSearch, .matterRead, .intelligenceRead, .reviewQueue,
            .childActionList,
            .duplicatesQueue, .duplicatesDecisions, .shareList:
            Declaration([.reads], [.people], serves: .operations)
        case .subjectEthnicityRead:
            Declaration([.reads], [.people, .sensitive], serves: .operations)
        case .sourceRegister, .sourceEvaluate:
            Declaration([.writes], [.sources], serves: .operations)
        case .sourceRead, .sourceList:
            Declaration([.reads], [.sources], serves: .operations)
        case .matterCreate, .linkCreate, .intelligenceCreate, .flagCreate, .reviewRecord, .childActionRequest, .childActionDecide,
            .shareRequest:
            Declaration([.writes], [.people], serves: .operations)
        // Each may carry ethnicity: a new person's, or the equality event a decision writes.
        case .subjectCreate, .batchRecord, .importRecords, .inclusionPropose, .inclusionDecide:
            Declaration([.writes], [.people, .sensitive], serves: .operations)
        case .duplicatesScan, .duplicatesDecide:
            Declaration([.reads, .writes], [.people], serves: .operations)
        case .duplicatesReverse:
            Declaration([.writes], [.people], serves: .operations, reducesProcessing: true)
        case .harmAssess:
            Declaration([.reads, .scores], [.people], serves: .operations)
        case .removalDecide:
            Declaration([.writes], [.people, .sensitive], serves: .operations, reducesProcessing: true, irreversible: true)
        case .reviewSweep:
            // It suspends, forces removal reviews and raises retention reviews; it never includes or shares.
            Declaration([.reads, .writes], [.people], serves: .operations, reducesProcessing: true)
        case .harmRescore:
            // Scores decay with time: the sweep keeps each included person's score as it stands today.
            Declaration([.reads, .scores], [.people], serves: .operations)
        case .shareDecide:
            Declaration([.writes, .discloses], [.people, .sensitive], serves: .operations, widensPrivilege: true)
        case .sharePackage, .portalList:
            Declaration([.discloses], [.people], serves: .operations)
        case .recallList:
            Declaration([.reads], [.governanceRecords], serves: .governance)
        case .recallAcknowledge, .recallConfirmDeletion, .recallRaise:
            Declaration([.writes], [.governanceRecords], serves: .governance, reducesProcessing: true)
        case .recallCorrection:
            Declaration([.writes], [.people, .governanceRecords], serves: .operations, reducesProcessing: true)
        case .partnerRegister, .agreementApprove, .agreementReview:
            Declaration([.writes], [.governanceRecords], serves: .governance, widensPrivilege: true)
        case .agreementDraft:
            Declaration([.writes], [.governanceRecords], serves: .governance)
        case .agreementSuspend:
            Declaration([.writes], [.governanceRecords], serves: .governance, reducesProcessing: true)
        case .partnerList, .agreementList, .disclosureList:
            Declaration([.reads], [.governanceRecords], serves: .governance)
        case .subjectRestrict:
            Declaration([.writes], [.people], serves: .governance, reducesProcessing: true)
        case .rightsOpen, .rightsIdentity, .rightsWithhold, .rightsClose:
            Declaration([.writes], [.rightsCases], serves: .rights)
        case .rightsList:
            Declaration([.reads], [.rightsCases], serves: .rights)
        case .rightsSubjects:
            Declaration([.reads, .writes], [.people, .rightsCases], serves: .rights)
        case .rightsAnswer:
            // The answer gives the person their ethnicity as recorded, while the policy document is in force.
            Declaration([.reads], [.people, .sensitive, .rightsCases, .auditLog], serves: .rights)
        case .rightsDisclosureHistory:
            Declaration([.reads], [.people, .auditLog], serves: .rights)
        case .rightsDecide:
            // Erasing a person on the register writes the equality event of their leaving it.
            Declaration([.writes], [.people, .sensitive, .rightsCases], serves: .rights, reducesProcessing: true, irreversible: true)
        case .rightsRectify:
            Declaration([.writes], [.people, .rightsCases], serves: .rights)
        case .retentionQueue:
            Declaration([.reads], [.people], serves: .governance)
        case .retentionDecide:
            Declaration([.writes], [.people, .sensitive], serves: .governance, reducesProcessing: true, irreversible: true)
        case .rulebookPropose, .equalityBaselineLoad, .equalityAlertAnswer, .dpiaDraft, .dpiaAdvise, .policyDocumentDraft,
            .breachReport, .breachNotify, .breachNotNotified:
            Declaration([.writes], [.governanceRecords], serves: .governance)
        case .rulebookDecide, .dpiaApprove, .policyDocumentApprove:
            Declaration([.writes], [.governanceRecords], serves: .governance, widensPrivilege: true)
        case .breachContain:
            Declaration([.writes], [.governanceRecords], serves: .governance, reducesProcessing: true)
        case .breachPeople:
            Declaration([.writes], [.people, .governanceRecords], serves: .governance)
        case .breachScope:
            Declaration([.reads], [.governanceRecords, .auditLog], serves: .governance)
        case .equalityAlertsRaise:
            // The rates it compares are by ethnicity among the rest.
            Declaration([.reads, .writes], [.aggregates, .sensitive, .governanceRecords], serves: .governance)
        case .eiaRecord:
            // The simulation reads everyone proposed or included, ethnicity among their details.
            Declaration([.reads, .writes], [.people, .sensitive, .governanceRecords], serves: .governance)
        case .dashboardRead:
            Declaration([.reads], [.aggregates], serves: .governance)
        case .equalityReport:
            // Counts by ethnicity among the rest: opened only under a policy document.
            Declaration([.reads], [.aggregates, .sensitive], serves: .governance)
        case .equalityBaselines, .equalityAlerts, .eiaRead, .dpiaList, .policyDocumentList, .recordOfProcessingRead, .breachList:
            Declaration([.reads], [.governanceRecords], serves: .governance)
        case .auditReportGenerate:
            Declaration([.reads], [.auditLog, .aggregates], serves: .governance)
        case .auditRead, .auditCheckpointRead, .auditProofRead, .auditEntriesRead, .auditKeyRead, .auditVerify:
            Declaration([.reads], [.auditLog], serves: .oversight)
        case .registerBackup:
            // A copy of the stored bytes, people's sealed fields among them, none of them opened:
            // what it reads as such is the log's head, to say what the copy holds.
            Declaration([.reads], [.auditLog], serves: .accounts)
        case .registerRestore:
            Declaration([.writes], [.auditLog], serves: .accounts)
        case .registerRollbackAcknowledge:
            Declaration([.writes], [.auditLog], serves: .governance)
        case .registerDecommission:
            // Everything goes: every key, so every person's data with them, and the files.
            Declaration(
                [.writes], [.people, .sensitive, .auditLog, .accounts, .governanceRecords], serves: .governance, reducesProcessing: true,
                irreversible: true)
        case .userCreate, .userUpdate, .grantDecide:
            Declaration([.writes], [.accounts], serves: .accounts, widensPrivilege: true)
        case .userList, .userRead, .grantList, .staffNames:
            Declaration([.reads], [.accounts], serves: .accounts)
        case .tokenIssue, .sessionSignIn:
            Declaration([.writes], [.accounts], serves: .accounts, widensPrivilege: true)
        case .enrolmentIssue, .enrolmentRedeem, .passwordChange:
            // A credential the person sets for themself; what the account may do is the grant's business.
            Declaration([.writes], [.accounts], serves: .accounts)
        case .sessionSignOut:
            Declaration([.writes], [.accounts], serves: .accounts, reducesProcessing: true)
        }
    }
}
