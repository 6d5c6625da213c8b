@_spi(Storage) @testable import CustodianCore
import CustodianStorage
import CustodianTestSupport
import Foundation
import Testing

/// The policy's table applied by the one door every use case passes (`Register.perform`), cell by
/// cell: every use case, as every role (and an untrained officer, and the scheduler), with and
/// without an approved DPIA, on each database. A cell is expected from the row and the
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
        var description: String { "\(useCase.rawValue) as \(user.username), DPIA \(dpia ? "in force" : "missing")" }
    }

    @Test(arguments: databases) func everyUseCaseAdmitsExactlyWhomItsRowNamesAndLogsEachRefusalOnce(_ db: TestDatabase) async throws {
        try await withRegister(db, baselines: false) { f in
            let r = f.register
            let actors = f.everyone + [Register.scheduler]
            var refusedCells: [UserID: [String: Int]] = [:]
            for dpia in [false, true] {
                if dpia { try await f.adoptDPIA() }
                for useCase in UseCase.allCases {
                    let kind: Register.Kind = useCase.declaration.does == [.reads] ? .consultation : .write
                    for user in actors {
                        let cell = Cell(useCase: useCase, user: user, dpia: dpia)
                        let row = useCase.entitlement
                        let named = row.scheduled ? user.id == Register.scheduler.id : row.roles[user.role] != nil
                        let untrained = user.id == f.untrainedOfficer.id && !row.scheduled
                        let lacksPermission = row.permission.map { !user.permissions.contains($0) } ?? false
                        let needsDPIA = useCase.declaration.requiresDPIA && !dpia
                        let expected: RuleCode? =
                            untrained
                            ? "training.required"
                            : !named ? row.refusal.rule : lacksPermission ? "permission.sensitive-data" : needsDPIA ? "dpia.none" : nil
                        let ran = Ran()
                        do {
                            try await r.perform(user, Self.purpose(useCase, user.role), action: useCase, kind) { _, _ in await ran.mark() }
                            #expect(expected == nil, "\(cell) ran; expected \(expected ?? "")")
                            #expect(await ran.marked, "\(cell)")
                        } catch RegisterError.denied(let denial) {
                            #expect(expected != nil, "\(cell) refused with \(denial.rule)")
                            #expect(!(await ran.marked), "\(cell) ran its body before the refusal")
                            // A role the row does not name is refused with the row's words or the role's own.
                            if let expected, named || untrained { #expect(denial.rule == expected, "\(cell)") }
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
    func mark() { marked = true }
}
