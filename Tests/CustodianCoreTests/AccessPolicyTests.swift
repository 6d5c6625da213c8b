import CustodianCore
import Foundation
import Testing

/// The access policy as a pure function: every role, scope and purpose rule, no I/O.
@Suite struct AccessPolicyTests {
    static let today = LocalDate(iso: "2026-06-01")!
    static let trained = LocalDate(iso: "2026-01-01")!
    let purpose = StatedPurpose(purpose: .investigation, justification: "Investigating the stabbing on 1 May")

    func user(_ role: Role, _ scope: Scope, trained: LocalDate? = trained, permissions: Set<Permission> = [], disabled: Bool = false)
        -> User
    {
        User(
            id: UserID(UUID()), username: "u", displayName: "U", role: role, unit: scope, trainingCompletedOn: trained,
            permissions: permissions, disabledAt: disabled ? Timestamp(microseconds: 1) : nil, createdAt: Timestamp(microseconds: 0))
    }

    /// The policy's row for `useCase`, then the scope of a record of `unit`, as a use case asks them.
    func decide(_ u: User, _ useCase: UseCase, unit: Borough? = .hackney, purpose: StatedPurpose?? = nil) -> String? {
        if case .failure(let denial) = AccessPolicy.decide(u, useCase, purpose: purpose ?? self.purpose, today: Self.today) {
            return denial.rule.rawValue
        }
        if let unit, case .failure(let denial) = AccessPolicy.scope(u, unit) { return denial.rule.rawValue }
        return nil
    }

    @Test func boroughStaffActOnTheirOwnBoroughOnly() {
        let officer = user(.boroughOfficer, .borough(.hackney))
        #expect(decide(officer, .subjectRead) == nil)
        #expect(decide(officer, .subjectCreate) == nil)
        #expect(decide(officer, .subjectRead, unit: .newham) == "scope.own-borough")
        #expect(decide(officer, .subjectCreate, unit: .newham) == "scope.own-borough")
        #expect(decide(user(.boroughSPOC, .borough(.newham)), .subjectRead) == "scope.own-borough")
    }

    @Test func centralAnalystsReadAcrossBoroughsWithAPurposeAndRecordNothing() {
        let analyst = user(.centralAnalyst, .central)
        #expect(decide(analyst, .subjectRead, unit: .newham) == nil)
        #expect(decide(analyst, .subjectRead, unit: .croydon) == nil)
        #expect(decide(analyst, .subjectRead, purpose: .some(nil)) == "purpose.required")
        #expect(decide(analyst, .subjectCreate) == "role.analyst-read-only")
    }

    @Test func auditorsAdministratorsAndPartnersSeeNoRegisterContent() {
        #expect(decide(user(.auditor, .central), .subjectRead) == "role.audit-only")
        #expect(decide(user(.administrator, .central), .subjectRead) == "role.no-register-content")
        #expect(decide(user(.partnerRecipient, .central), .subjectRead) == "role.partner")
        #expect(
            decide(
                user(.auditor, .central), .auditRead, unit: nil,
                purpose: StatedPurpose(purpose: .audit, justification: "monthly lawfulness check")) == nil)
        #expect(decide(user(.auditor, .central), .auditRead, unit: nil) == "purpose.role")
        #expect(decide(user(.boroughSPOC, .borough(.hackney)), .auditRead, unit: nil) == "role.auditor")
        #expect(decide(user(.administrator, .central), .userCreate, unit: nil) == nil)
        #expect(decide(user(.governance, .central), .userCreate, unit: nil) == "role.administrator")
    }

    @Test func noTrainingDateMeansNoActionOnData() {
        #expect(decide(user(.boroughOfficer, .borough(.hackney), trained: nil), .subjectRead) == "training.required")
        #expect(
            decide(user(.boroughOfficer, .borough(.hackney), trained: LocalDate(iso: "2027-01-01")), .subjectRead) == "training.required")
        #expect(decide(user(.auditor, .central, trained: nil), .auditRead, unit: nil) == "training.required")
        // Training lapses a refresher period after it was recorded; vetting lapses on its expiry.
        #expect(
            decide(user(.boroughOfficer, .borough(.hackney), trained: LocalDate(iso: "2025-05-31")), .subjectRead) == "training.expired")
        var lapsedVetting = user(.boroughOfficer, .borough(.hackney))
        lapsedVetting.vetting = Vetting(level: .nppv2, expiresOn: LocalDate(iso: "2026-05-31")!)
        #expect(decide(lapsedVetting, .subjectRead) == "vetting.expired")
        lapsedVetting.vetting = Vetting(level: .nppv2, expiresOn: Self.today)
        #expect(decide(lapsedVetting, .subjectRead) == nil)
        var asked = user(.centralAnalyst, .central)
        asked.awaitingGrant = true
        #expect(decide(asked, .subjectRead) == "grant.pending")
        #expect(decide(user(.governance, .central), .grantDecide, unit: nil) == nil)
        #expect(decide(user(.administrator, .central, trained: nil), .grantDecide, unit: nil) == "grant.governance")
        // The administrator acts on no personal data and needs none.
        #expect(decide(user(.administrator, .central, trained: nil), .userCreate, unit: nil) == nil)
        #expect(decide(user(.boroughOfficer, .borough(.hackney), disabled: true), .subjectRead) == "account.disabled")
    }

    @Test func ethnicityNeedsItsOwnPermission() {
        #expect(decide(user(.boroughOfficer, .borough(.hackney)), .subjectEthnicityRead) == "permission.sensitive-data")
        #expect(decide(user(.boroughOfficer, .borough(.hackney), permissions: [.sensitiveData]), .subjectEthnicityRead) == nil)
    }

    @Test func purposesAreControlledPerRole() {
        #expect(
            decide(
                user(.boroughOfficer, .borough(.hackney)), .subjectRead,
                purpose: StatedPurpose(purpose: .audit, justification: "just looking around")) == "purpose.role")
        #expect(
            decide(
                user(.governance, .central), .subjectRead,
                purpose: StatedPurpose(purpose: .subjectRights, justification: "SAR 2026-014 received 3 May")) == nil)
        #expect(
            decide(
                user(.governance, .central), .subjectCreate,
                purpose: StatedPurpose(purpose: .subjectRights, justification: "SAR 2026-014 received 3 May"))
                == "role.governance-read-only")
    }

    @Test func aStatedPurposeNamesWhatIsMissing() {
        func violations(_ p: String?, _ j: String?) -> [String] {
            do {
                _ = try StatedPurpose(purpose: p, justification: j)
                return []
            } catch {
                guard case .invalid(let v) = error else { return ["?"] }
                return v.map { "\($0.field):\($0.rule)" }
            }
        }
        #expect(violations(nil, nil) == ["purpose:purpose.required", "justification:required"])
        #expect(violations("sightseeing", "a long enough reason") == ["purpose:purpose.known"])
        #expect(violations("investigation", "because") == ["justification:justification.min-length"])
        #expect(violations("investigation", "Investigating CRIS-1234/25") == [])
    }
}

/// The session rules as plain functions: lock-out schedule, idle and absolute expiry, purpose periods.
@Suite struct SessionPolicyTests {
    let policy = SessionPolicy()
    let start = Timestamp(microseconds: 1_780_000_000_000_000)

    @Test func lockOutStartsAtTheFifthFailureAndDoublesToAnHour() {
        #expect((1...4).map { policy.lockout(afterFailures: $0) } == [nil, nil, nil, nil])
        #expect((5...9).map { policy.lockout(afterFailures: $0) } == [60, 120, 240, 480, 960])
        #expect(policy.lockout(afterFailures: 12) == 3600)
        #expect(policy.lockout(afterFailures: 500) == 3600)
    }

    @Test func aSessionExpiresWhenIdleOrOld() {
        var session = WebSession(id: "h", userID: UserID(UUID()), csrfToken: "c", createdAt: start, lastSeenAt: start)
        #expect(!session.hasExpired(at: start.adding(seconds: 15 * 60 - 1), under: policy))
        #expect(session.hasExpired(at: start.adding(seconds: 15 * 60), under: policy))
        session.lastSeenAt = start.adding(seconds: 10 * 3600 - 60)
        #expect(session.hasExpired(at: start.adding(seconds: 10 * 3600), under: policy), "kept alive past the absolute lifetime")
    }

    @Test func aStatedPurposeLastsItsWorkingPeriodOnly() {
        let stated = StatedPurpose(purpose: .safeguarding, justification: "Checking a referral from children's services")
        let session = WebSession(
            id: "h", userID: UserID(UUID()), csrfToken: "c", createdAt: start, lastSeenAt: start,
            purpose: stated, purposeUntil: start.adding(seconds: policy.purposePeriod))
        #expect(session.purpose(at: start.adding(seconds: policy.purposePeriod - 1)) == stated)
        #expect(session.purpose(at: start.adding(seconds: policy.purposePeriod)) == nil)
    }
}

extension AccessPolicyTests {
    /// Four-eyes, every record kind, from one table: who asked and who already decided never take
    /// the next step; anyone else may (role and scope are `decide`'s business).
    @Test func twoPeopleForEveryStepThatNeedsThem() {
        let asker = user(.boroughSPOC, .borough(.hackney))
        let first = user(.governance, .central)
        let other = user(.governance, .central)
        func rule(_ actor: User, _ duty: TwoPersonCheck.Duty, about: UserID? = nil) -> String? {
            let check = TwoPersonCheck(duty, proposer: asker.id, earlierDeciders: [first.id], about: about)
            if case .failure(let denial) = AccessPolicy.separation(actor, check) { return denial.rule.rawValue }
            return nil
        }
        let expected: [(TwoPersonCheck.Duty, asker: String?, firstDecider: String?)] = [
            (.inclusion, "four-eyes.proposer", "four-eyes.second-approver"),
            (.childAction, "four-eyes.child", "four-eyes.child"),
            (.removal, "four-eyes.proposer", nil),
            (.share, "four-eyes.proposer", "four-eyes.proposer"),
            (.rulebook, "four-eyes.proposer", nil),
            (.agreement, nil, "four-eyes.second-approver"),
            (.grant, "four-eyes.grant", nil),
        ]
        for (duty, byAsker, byFirst) in expected {
            #expect(rule(asker, duty) == byAsker, "\(duty) by the asker")
            #expect(rule(first, duty) == byFirst, "\(duty) by the earlier decider")
            #expect(rule(other, duty) == nil, "\(duty) by someone else")
        }
        #expect(rule(other, .grant, about: other.id) == "four-eyes.grant", "nobody approves their own grant")
    }
}
