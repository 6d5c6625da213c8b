public import CustodianCore
public import CustodianStorage
public import Foundation
public import Crypto

/// A register with one user of each role, ready to act. All people here are invented.
public struct RegisterFixture: Sendable {
    public let register: Register
    public let ledger: SQLAuditLedger
    public let directory: Directory
    public let store: TestStore
    public let hackneyOfficer: User
    public let hackneySPOC: User
    public let newhamOfficer: User
    public let analyst: User
    public let governance: User
    public let auditor: User
    public let partner: User
    public let administrator: User
    public let untrainedOfficer: User
    /// A second Hackney officer: evidence they enter corroborates what the first proposes.
    public let hackneyColleague: User
    public let newhamColleague: User
    public let sourceUnit: User

    public static let masterKey = Data(repeating: 7, count: 32)
    public static let auditOrigin = "custodian.test/audit"
    public static let auditSigningKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: 9, count: 32))
    /// The raw Ed25519 public key, as a partner or regulator would be given it.
    public static var auditPublicKey: [UInt8] { Array(auditSigningKey.publicKey.rawRepresentation) }

    public var everyone: [User] {
        [
            hackneyOfficer, hackneySPOC, newhamOfficer, analyst, governance, auditor, partner, administrator, untrainedOfficer,
            hackneyColleague, newhamColleague, sourceUnit,
        ]
    }

    /// With `baselines`, the register starts as a lawful one must: the baseline DPIA and appropriate
    /// policy document approved. Without, a test adopts what it needs itself.
    public static func make(_ store: TestStore, clock: Clock = .system, baselines: Bool = true) async throws -> RegisterFixture {
        let ledger = SQLAuditLedger(driver: store.driver, signer: NoteSigner(name: auditOrigin, privateKey: auditSigningKey), clock: clock)
        let register = Register(
            store: SQLRegisterStore(driver: store.driver), ledger: ledger, keyring: try Keyring(masterKey: masterKey),
            keys: SQLSubjectKeyStore(driver: store.keyDriver), clock: clock)
        let directory = Directory(register: register)
        // The installation's bootstrap makes the DPO; every other account is then theirs to approve.
        var approver: User?
        func user(_ name: String, _ role: Role, _ unit: String, trained: Bool = true, sensitive: Bool = false, dpo: Bool = false)
            async throws -> User
        {
            let draft = UserDraft(
                username: name, displayName: name.replacingOccurrences(of: "-", with: " ").capitalized,
                role: role.rawValue, unit: unit, trainingCompletedOn: trained ? trainedOn : nil,
                permissions: (sensitive ? [Permission.sensitiveData.rawValue] : [])
                    + (dpo ? [Permission.dataProtectionOfficer.rawValue] : []))
            guard let approver else { return try await directory.createUser(draft, passwordHash: nil, by: Directory.commandLine) }
            return try await directory.admit(draft, approvedBy: approver)
        }
        let governance = try await user("governance-dpo", .governance, "central", dpo: true)
        approver = governance
        let fixture = RegisterFixture(
            register: register, ledger: ledger, directory: directory, store: store,
            hackneyOfficer: try await user("hackney-officer", .boroughOfficer, "hackney", sensitive: true),
            hackneySPOC: try await user("hackney-spoc", .boroughSPOC, "hackney"),
            newhamOfficer: try await user("newham-officer", .boroughOfficer, "newham"),
            analyst: try await user("central-analyst", .centralAnalyst, "central"),
            governance: governance,
            auditor: try await user("auditor", .auditor, "central"),
            partner: try await user("partner-recipient", .partnerRecipient, "central"),
            administrator: try await user("administrator", .administrator, "central"),
            untrainedOfficer: try await user("untrained-officer", .boroughOfficer, "hackney", trained: false),
            hackneyColleague: try await user("hackney-colleague", .boroughOfficer, "hackney"),
            newhamColleague: try await user("newham-colleague", .boroughOfficer, "newham"),
            sourceUnit: try await user("source-unit", .sourceUnit, "central"))
        if baselines {
            try await fixture.adoptDPIA()
            try await register.adoptBaselinePolicyDocument(
                drafter: fixture.governance, approver: try await fixture.boardMember(), reviewOn: register.clock.now().day.adding(days: 365)
            )
        }
        return fixture
    }

    public static let purpose = StatedPurpose(
        purpose: .violencePrevention, justification: "Test: reviewing the subject for a planned intervention")
    /// A training date a month ago: recent enough that no refresher falls due while a test's clock runs on.
    public static var trainedOn: String { Timestamp(Date()).day.adding(days: -30).description }
    public static let partnerPurpose = StatedPurpose(
        purpose: .safeguarding, justification: "Test: YOT caseworker preparing a diversion offer")
    public static let auditPurpose = StatedPurpose(purpose: .audit, justification: "Test: checking the lawfulness of recent access")

    /// A subject in Hackney with invented details.
    /// With `ethnicity` it carries special-category data, which only a user with the sensitive-data
    /// permission may record.
    public static func draft(given: String = "Tobias", family: String = "Quennell", dob: String = "2001-04-17", ethnicity: Bool = true)
        -> SubjectDraft
    {
        SubjectDraft(
            names: [.init(given: given, family: family)], aliases: ["T-Q"], nickname: "Quill", dateOfBirth: dob,
            addresses: ["Flat 9, 14 Invented Row, London E8 0ZZ"], pncID: "01/1234567A", sex: "male",
            officerDefinedEthnicity: ethnicity ? "IC1" : nil, selfDefinedEthnicity: ethnicity ? "white-other" : nil)
    }
}

/// Runs `body` with a fixture over a fresh store of the given kind.
extension RegisterFixture {
    /// The refusals `actor` has on the log, oldest first, read as the auditor reads them.
    public func refusals(of actor: User) async throws -> [AuditEntry] {
        try await register.auditPage(
            AuditFilter(actor: actor.id.description, operation: "refusal"), by: auditor, for: RegisterFixture.auditPurpose
        ).entries.map(\.entry).reversed()
    }
}

public func withRegister(
    _ kind: TestDatabase, clock: Clock = .system, baselines: Bool = true, _ body: (RegisterFixture) async throws -> Void
) async throws {
    try await withTestStore(kind) { store in try await body(try await RegisterFixture.make(store, clock: clock, baselines: baselines)) }
}

extension RegisterFixture {
    /// A second governance user (a board member), made once per register: four-eyes gives the
    /// approval of what `governance` proposes to someone else.
    public func boardMember() async throws -> User {
        let existing = try await directory.users(limit: 1000, offset: 0, by: administrator).first { $0.username == "board-member" }
        if let existing { return existing }
        return try await directory.admit(
            UserDraft(
                username: "board-member", displayName: "Board Member", role: "governance", unit: "central",
                trainingCompletedOn: Self.trainedOn), approvedBy: governance)
    }

    /// The baseline DPIA, drafted and advised on by `governance` (the DPO) and approved by the board
    /// member: every fixture starts with one in force, as a register must before it collects.
    @discardableResult
    public func adoptDPIA(reviewOn: LocalDate? = nil) async throws -> DPIA {
        try await register.adoptBaselineDPIA(
            dpo: governance, board: try await boardMember(), reviewOn: reviewOn ?? register.clock.now().day.adding(days: 365))
    }

    /// A change to the rulebook in force, proposed by governance, its equality impact assessed
    /// (with a justification, should the simulation show a disparity widening), and approved by
    /// the board member.
    public func adoptRulebook(_ rationale: String, _ change: (inout Rulebook) -> Void) async throws {
        var next = try await register.rulebookVersions().inForce
        change(&next)
        let proposed = try await register.proposeRulebook(next, rationale: rationale, by: governance)
        try await assessEquality(of: proposed.rulebook.version)
        _ = try await register.decideRulebook(version: proposed.rulebook.version, approve: true, by: try await boardMember())
    }

    /// An equality impact assessment of a proposed version, recorded by governance.
    @discardableResult
    public func assessEquality(of version: Int, justification: String? = Self.eiaJustification) async throws -> EqualityImpactAssessment {
        try await register.recordEqualityImpactAssessment(
            version: version,
            impact: "The simulation over the register shows how each group's inclusion and red-band rates would move.",
            mitigation: "Quarterly equality report and alerts watched by the board; the change is reviewed in six months.",
            justification: justification, by: governance)
    }

    public static let eiaJustification =
        "A test fixture's change, made to exercise another rule; no one on this synthetic register is affected."
}

extension RegisterFixture {
    /// Another officer of `officer`'s borough, who enters the evidence `officer` proposes on.
    public func colleague(of officer: User) -> User {
        officer.unit == newhamOfficer.unit ? newhamColleague : hackneyColleague
    }

    /// A partner organisation in the source register, handled by the central partnership desk,
    /// registered once per register by the source unit: what partner reports in tests cite.
    public func partnerSource(_ label: String = "Hackney Youth Offending Team", handledBy unit: String = "central") async throws
        -> SourceID
    {
        if let known = try await register.sourceCitations(by: sourceUnit).first(where: { $0.label == label }) { return known.id }
        return try await register.registerSource(
            SourceDraft(
                kind: "partner-organisation", label: label, owner: "Central partnership desk", handlerUnit: unit, reliability: "2",
                rationale: "A test fixture's partner, with no track record yet"),
            by: sourceUnit
        ).id
    }
}

extension RegisterFixture {
    /// The independent reviewer (E4), made once per register: reads suppressed aggregates only.
    public func independentReviewer() async throws -> User {
        let existing = try await directory.users(limit: 1000, offset: 0, by: administrator).first { $0.username == "independent-reviewer" }
        if let existing { return existing }
        return try await directory.admit(
            UserDraft(
                username: "independent-reviewer", displayName: "Independent Reviewer", role: "independent-reviewer", unit: "central",
                trainingCompletedOn: nil),
            approvedBy: governance)
    }

    /// Records `count` invented people of one officer-defined ethnicity in the officer's borough, in one batch.
    public func recordPeople(_ count: Int, ethnicity: String, by officer: User, dob: String = "2004-02-11", sex: String = "male")
        async throws
    {
        var batch = RecordBatch()
        for i in 0..<count {
            batch.subjects.append(
                .init(
                    ref: "p\(i)",
                    draft: SubjectDraft(
                        names: [.init(given: "Person\(i)", family: "Synthetic\(ethnicity)")], dateOfBirth: dob, sex: sex,
                        officerDefinedEthnicity: ethnicity)))
        }
        _ = try await register.recordBatch(batch, by: officer, for: RegisterFixture.purpose)
    }
}

extension RegisterFixture {
    /// The version of the grant waiting for `user`, as governance is shown it.
    public func grantVersion(of user: UserID) async throws -> String {
        guard let waiting = try await directory.pendingGrants(by: governance).first(where: { $0.grant.userID == user }) else {
            throw RegisterError.notFound(kind: "pending grant", id: user.description)
        }
        return waiting.grant.version
    }
}
