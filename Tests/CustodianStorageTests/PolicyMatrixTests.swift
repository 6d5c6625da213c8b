@_spi(Storage) @testable import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Testing

/// The policy's table applied by the one door every use case passes (`Register.perform`), cell by
/// cell: every use case, as every role (and an untrained officer, an officer whose vetting has
/// lapsed, and the scheduler), with no DPIA, with one, and with one and a policy document, on each
/// database. A cell is expected from the row and the
/// declaration alone: the row names the role (with one of its purposes), and the declaration
/// needs no DPIA or one is in force. Every refusal is on the log exactly once, naming the use case
/// and the rule. Adding a use case adds its cells here without a line of this test changing.
@Suite struct PolicyMatrixTests {
    static let databases = TestDatabase.available

    /// The purpose a person in `role` would state for `useCase`: one the row accepts, or, where the
    /// row does not name the role, the first of the role's own.
    static func purpose(_ useCase: UseCase, _ role: Role) -> StatedPurpose? {
        let own = AccessPolicy.purposes(for: role)
        let chosen: Purpose?
        switch useCase.entitlement.roles[role] {
        case .none?: chosen = nil
        case .ofRole?, nil: chosen = own.first
        case .only(let allowed)?: chosen = own.first(where: allowed.contains)
        }
        return chosen.map { StatedPurpose(purpose: $0, justification: "Policy matrix: trying \(useCase.rawValue) as \(role.rawValue)") }
    }

    struct Cell: CustomStringConvertible {
        let useCase: UseCase
        let user: User
        let dpia: Bool
        let policyDocument: Bool
        var description: String {
            "\(useCase.rawValue) as \(user.username), DPIA \(dpia ? "in force" : "missing"), policy document \(policyDocument ? "in force" : "missing")"
        }
    }

    @Test(arguments: databases) func everyUseCaseAdmitsExactlyWhomItsRowNamesAndLogsEachRefusalOnce(_ db: TestDatabase) async throws {
        try await withRegister(db, baselines: false) { f in
            let r = f.register
            let lapsed = try await f.directory.admit(
                UserDraft(
                    username: "lapsed-vetting", displayName: "Lapsed Vetting", role: "borough-officer", unit: "hackney",
                    trainingCompletedOn: RegisterFixture.trainedOn, vettingLevel: "NPPV3",
                    vettingExpiresOn: r.clock.now().day.adding(days: -1).description), approvedBy: f.governance)
            let actors = f.everyone + [lapsed, Register.scheduler]
            var refusedCells: [UserID: [String: Int]] = [:]
            for (dpia, policyDocument) in [(false, false), (true, false), (true, true)] {
                if dpia && !policyDocument { try await f.adoptDPIA() }
                if policyDocument {
                    try await r.adoptBaselinePolicyDocument(
                        drafter: f.governance, approver: try await f.boardMember(), reviewOn: r.clock.now().day.adding(days: 365))
                }
                for useCase in UseCase.allCases {
                    let kind: Register.Kind = useCase.declaration.does == [.reads] ? .consultation : .write
                    for user in actors {
                        let cell = Cell(useCase: useCase, user: user, dpia: dpia, policyDocument: policyDocument)
                        let row = useCase.entitlement
                        let named = row.scheduled ? user.id == Register.scheduler.id : row.roles[user.role] != nil
                        let untrained = user.id == f.untrainedOfficer.id && !row.scheduled
                        let unvetted = user.id == lapsed.id && !row.scheduled
                        let sensitive = useCase.declaration.data.contains(.sensitive)
                        let lacksPermission = row.permission.map { !user.permissions.contains($0) } ?? false
                        let needsDPIA = useCase.declaration.requiresDPIA && !dpia
                        let expected: RuleCode? =
                            untrained
                            ? "training.required"
                            : unvetted
                                ? "vetting.expired"
                                : !named
                                    ? row.refusal.rule
                                    : lacksPermission
                                        ? AccessDenial.lacking(row.permission ?? .sensitiveData).rule
                                        : needsDPIA ? "dpia.none" : nil
                        let ran = Ran()
                        do {
                            try await r.perform(user, Self.purpose(useCase, user.role), action: useCase, kind) { _, gate in
                                await ran.mark(policyDocument: gate.policyDocumentInForce)
                            }
                            #expect(expected == nil, "\(cell) ran; expected \(expected ?? "")")
                            #expect(await ran.marked, "\(cell)")
                            // Whether a policy document is in force is known to exactly the use cases that
                            // declare sensitive data, and is the register's state: what they write with
                            // ethnicity, or refuse, depends on it (EqualityWithoutPolicyDocumentTests).
                            #expect(await ran.policyDocument == (sensitive ? policyDocument : nil), "\(cell)")
                        } catch RegisterError.denied(let denial) {
                            #expect(expected != nil, "\(cell) refused with \(denial.rule)")
                            #expect(!(await ran.marked), "\(cell) ran its body before the refusal")
                            // A role the row does not name is refused with the row's words or the role's own.
                            if let expected, named || untrained || unvetted { #expect(denial.rule == expected, "\(cell)") }
                            refusedCells[user.id, default: [:]][useCase.rawValue, default: 0] += 1
                        }
                    }
                }
            }
            // Each refusal once on the log, under the use case's own name.
            for user in actors {
                let logged = try await r.store.lookup { tx in
                    try await tx.auditEntries(AuditQuery(actor: user.id, operation: .refusal, limit: 500))
                }
                var counted: [String: Int] = [:]
                for entry in logged.map(\.entry) { counted[entry.action, default: 0] += 1 }
                #expect(counted == refusedCells[user.id, default: [:]], "\(user.username)")
            }
        }
    }
}

private actor Ran {
    var marked = false
    var policyDocument: Bool?
    func mark(policyDocument: Bool?) { (marked, self.policyDocument) = (true, policyDocument) }
}
