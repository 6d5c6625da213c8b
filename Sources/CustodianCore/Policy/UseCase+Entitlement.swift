/// The policy as a table: for every use case, who may run it, stating what, under which four-eyes
/// duty. Exhaustive, so a new use case without a row does not compile; `AccessPolicy.decide`
/// reads it for every use case before its body runs, whichever door called it.
extension UseCase {
    public var entitlement: Entitlement {
        switch self {
        // Recording belongs to the borough.
        case .subjectCreate, .matterCreate, .linkCreate, .intelligenceCreate, .flagCreate, .batchRecord, .importRecords,
            .inclusionPropose, .reviewRecord, .childActionRequest, .shareRequest, .shareList:
            .boroughStaff()
        // A score ranks people for enforcement: it is not made, or shown, for safeguarding.
        case .harmAssess:
            Entitlement(
                [.boroughOfficer: .scoring, .boroughSPOC: .scoring], else: "role.borough-records",
                "people, matters and intelligence are recorded by the borough's officers and SPOCs")
        case .subjectRead, .subjectHistory, .subjectList, .subjectSearch, .matterRead, .intelligenceRead, .reviewQueue:
            .readers()
        case .subjectEthnicityRead:
            .readers(permission: .sensitiveData)
        case .subjectRestrict:
            Entitlement([.governance: .ofRole], else: "restriction.governance", "governance decides restrictions")
        // Decisions: a SPOC of the borough, then central governance.
        case .inclusionDecide:
            .deciders(separation: .inclusion)
        case .childActionDecide:
            .deciders(separation: .childAction)
        case .shareDecide:
            .deciders(separation: .share)
        case .childActionList, .inclusionQueue:
            .deciders()
        // The source unit keeps the register of sources; it proposes no inclusions.
        case .sourceRegister, .sourceEvaluate, .sourceRead:
            Entitlement([.sourceUnit: .none], else: "source.unit", "the source unit keeps the source register")
        case .sourceList:
            Entitlement(
                [.boroughOfficer: .none, .boroughSPOC: .none, .centralAnalyst: .none, .governance: .none, .sourceUnit: .none],
                else: "source.citers", "registered sources are cited by borough staff and weighed by deciders and governance")
        case .removalDecide:
            Entitlement([.boroughSPOC: .ofRole], separation: .removal, else: "removal.spoc", "a SPOC of the borough approves removals")
        case .reviewSweep, .harmRescore, .equalityAlertsRaise:
            Entitlement([:], scheduled: true, else: "role.scheduler", "the register's own scheduler runs the nightly sweep")
        case .duplicatesScan, .duplicatesQueue, .duplicatesDecide, .duplicatesReverse, .duplicatesDecisions:
            .duplicateResolvers
        // Sharing.
        case .sharePackage:
            Entitlement(
                [.partnerRecipient: .ofRole, .boroughOfficer: .ofRole, .boroughSPOC: .ofRole],
                else: "share.package-takers", "a package is taken by the partner's recipients or the borough that made the share")
        case .portalList:
            Entitlement(
                [.partnerRecipient: .ofRole], else: "role.partner-recipient",
                "only a named recipient of a partner organisation receives disclosures")
        case .recallList:
            Entitlement(
                [.governance: .none, .partnerRecipient: .none], else: "recall.readers",
                "recalls are read by governance and the partners told to delete")
        case .recallAcknowledge, .recallConfirmDeletion:
            Entitlement(
                [.partnerRecipient: .none], else: "portal.recipient", "only a named recipient of a partner organisation answers a recall")
        case .recallRaise:
            .governance("recall.governance", "governance recalls a disclosure found to be unlawful")
        case .recallCorrection:
            Entitlement([.boroughSPOC: .ofRole], else: "recall.spoc", "a SPOC of the borough recalls corrected records")
        case .partnerRegister, .agreementDraft, .agreementSuspend, .disclosureList:
            .governance("agreement.governance", "partners, agreements and disclosures made are kept by governance")
        case .agreementReview:
            .governance(
                separation: .agreementExtension, "agreement.governance", "agreements are reviewed, extended and ended by governance")
        case .agreementApprove:
            .governance(separation: .agreement, "agreement.governance", "information sharing agreements are approved by governance")
        case .partnerList, .agreementList:
            Entitlement(
                [.governance: .none, .boroughOfficer: .none, .boroughSPOC: .none], else: "sharing.readers",
                "partners and agreements are read by governance and borough staff")
        // Rights and retention.
        case .rightsOpen, .rightsList, .rightsIdentity, .rightsSubjects, .rightsWithhold, .rightsClose, .rightsAnswer,
            .rightsDisclosureHistory, .rightsRectify:
            .rightsTeam
        case .rightsDecide:
            Entitlement(
                [.governance: .only([.subjectRights])], separation: .erasure, else: "rights.governance",
                "rights requests are handled by the rights team in governance")
        case .retentionQueue:
            Entitlement([.governance: .only([.registerReview])], else: "retention.governance", "governance reviews retention across London")
        case .retentionDecide:
            Entitlement(
                [.governance: .only([.registerReview])], separation: .erasure, else: "retention.governance",
                "governance reviews retention across London")
        // Governance.
        case .rulebookPropose:
            .governance("rulebook.governance", "only governance proposes or decides the rulebook; no borough can change or override it")
        case .rulebookDecide:
            .governance(
                separation: .rulebook, "rulebook.governance",
                "only governance proposes or decides the rulebook; no borough can change or override it")
        case .dashboardRead:
            Entitlement(
                [.governance: .ofRole, .boroughSPOC: .ofRole], else: "dashboard.role", "the borough dashboard is for governance and SPOCs")
        case .equalityBaselines, .equalityReport, .equalityAlerts, .eiaRead:
            Entitlement(
                [.governance: .none, .auditor: .none, .centralAnalyst: .none, .independentReviewer: .none], else: "equality.readers",
                "the equality report is read by governance, auditors, central analysts and the independent reviewer")
        case .equalityBaselineLoad, .equalityAlertAnswer:
            .governance("equality.governance", "governance loads baselines and answers equality alerts")
        case .eiaRecord:
            .governance("eia.governance", "governance records the equality impact assessment")
        case .dpiaDraft, .dpiaList:
            .governance("dpia.governance", "the DPIA is drafted and advised on in governance")
        case .dpiaAdvise:
            Entitlement(
                [.governance: .none], permission: .dataProtectionOfficer, else: "dpia.governance",
                "the DPIA is advised on by the data protection officer, in governance")
        case .dpiaApprove:
            .governance(separation: .dpia, "dpia.governance", "the board (governance) approves the DPIA")
        case .policyDocumentDraft, .policyDocumentList:
            .governance("policy-document.governance", "governance keeps the appropriate policy document")
        case .policyDocumentApprove:
            .governance(separation: .policyDocument, "policy-document.governance", "governance approves the appropriate policy document")
        case .recordOfProcessingRead:
            Entitlement(
                [.governance: .none, .auditor: .none], else: "accountability.role", "governance and auditors read the record of processing")
        case .auditReportGenerate:
            .governance("audit-report.governance", "governance generates the routine audit reports")
        case .breachReport:
            .anyone("breach.report", "anyone can report a breach")
        case .breachList, .breachContain, .breachScope, .breachNotify, .breachNotNotified, .breachPeople:
            .governance("breach.governance", "governance handles breaches; anyone can report one")
        // The audit log.
        case .auditRead, .auditCheckpointRead, .auditProofRead, .auditEntriesRead, .auditKeyRead, .auditVerify:
            .auditor
        // Keeping the register.
        case .registerBackup, .registerRestore:
            Entitlement([.administrator: .none], else: "role.administrator", "only an administrator takes and restores backups")
        case .registerDecommission:
            .governance(separation: .decommission, "decommission.governance", "only governance decommissions the register, two of them")
        case .registerRollbackAcknowledge:
            .governance("restore.rollback", "only an active governance user acknowledges a rollback")
        // Accounts.
        case .userCreate, .userUpdate, .userList, .userRead, .enrolmentIssue:
            Entitlement([.administrator: .none], else: "role.administrator", "only an administrator manages users")
        case .staffNames:
            Entitlement(
                [
                    .boroughOfficer: .none, .boroughSPOC: .none, .centralAnalyst: .none, .governance: .none, .auditor: .none,
                    .administrator: .none,
                ], else: "staff.names",
                "the names of the staff who asked for a decision are shown to those who take it up; partners and the source unit see none")
        case .grantList:
            Entitlement(
                [.administrator: .none, .governance: .none], else: "grant.readers",
                "grants waiting are read by administrators, who ask, and governance, who decide")
        case .grantDecide:
            Entitlement(
                [.governance: .none], separation: .grant, else: "grant.governance",
                "a role or permission takes effect only when a governance user approves it")
        case .tokenIssue, .sessionSignIn, .sessionSignOut, .enrolmentRedeem, .passwordChange:
            .anyone("account.own", "everyone signs in and issues their own tokens")
        }
    }
}
