import CustodianCore
import Testing

/// The policy as a table over the catalogue (`UseCase.entitlement`): properties every row must
/// have, checked for every use case, so a new row that breaks one fails here before any door is
/// tried. `PolicyMatrixTests` then runs every cell through the register on both databases.
@Suite struct PolicyTableTests {
    /// Privilege-widening steps under no four-eyes duty of their own, each with the reason it
    /// needs none. Anything irreversible or widening and not here must name its duty.
    static let unseparated: [UseCase: String] = [
        .tokenIssue: "one's own credential, for oneself only",
        .sessionSignIn: "one's own session",
        .userCreate: "the account can do nothing until grant.decide, under four-eyes.grant",
        .userUpdate: "a widening waits for grant.decide, under four-eyes.grant; a narrowing takes effect at once",
        .partnerRegister: "a partner receives nothing until an agreement two governance users approved names it",
    ]

    @Test(arguments: UseCase.allCases) func aPurposeARowAsksForIsOneTheRoleCanState(_ useCase: UseCase) {
        for (role, purposes) in useCase.entitlement.roles {
            guard case .only(let allowed) = purposes else { continue }
            #expect(allowed.isSubset(of: AccessPolicy.purposes(for: role)), "\(useCase.rawValue) as \(role.rawValue)")
        }
    }

    /// The administrator, the auditor and the independent reviewer never run a use case about
    /// people; a partner runs only what receives a disclosure or answers a recall.
    @Test(arguments: UseCase.allCases) func rolesThatSeeNoOneAreNamedOnNothingAboutPeople(_ useCase: UseCase) {
        let d = useCase.declaration
        let aboutPeople = d.aboutPeople
        let roles = Set(useCase.entitlement.roles.keys)
        if aboutPeople {
            #expect(roles.isDisjoint(with: [.administrator, .auditor, .independentReviewer]), "\(useCase.rawValue)")
            if roles.contains(.partnerRecipient) { #expect(d.does.contains(.discloses), "\(useCase.rawValue)") }
        }
        if d.data.contains(.auditLog) && d.serves == .oversight { #expect(roles == [.auditor], "\(useCase.rawValue)") }
        if d.serves == .rights { #expect(roles == [.governance], "\(useCase.rawValue)") }
    }

    /// Two people for every irreversible or privilege-widening step, by every route.
    @Test(arguments: UseCase.allCases) func anIrreversibleOrWideningStepNamesItsFourEyesDuty(_ useCase: UseCase) {
        let d = useCase.declaration
        guard d.irreversible || d.widensPrivilege else { return }
        #expect(useCase.entitlement.separation != nil || Self.unseparated[useCase] != nil, "\(useCase.rawValue)")
    }

    /// Recording belongs to the borough: no central role writes people's records for operations.
    @Test(arguments: UseCase.allCases) func onlyBoroughStaffRecordPeopleForOperations(_ useCase: UseCase) {
        let d = useCase.declaration
        guard d.serves == .operations, d.data.contains(.people), d.does.contains(.writes), !d.does.contains(.discloses),
            !d.reducesProcessing
        else { return }
        let recorders = Set(useCase.entitlement.roles.keys).subtracting([.governance])
        #expect(recorders.isSubset(of: [.boroughOfficer, .boroughSPOC, .centralAnalyst]), "\(useCase.rawValue)")
    }

    /// Source-identifying material is a compartment: no use case that discloses, answers a person
    /// or exports reads the source register, and the register is kept by the source unit alone,
    /// which neither proposes nor decides an inclusion.
    @Test(arguments: UseCase.allCases) func theSourceRegisterIsACompartmentOfItsOwn(_ useCase: UseCase) {
        let d = useCase.declaration
        if d.data.contains(.sources) {
            #expect(!d.does.contains(.discloses) && d.serves != .rights && !d.data.contains(.people), "\(useCase.rawValue)")
        }
        if d.data.contains(.sources) && d.does.contains(.writes) { #expect(Set(useCase.entitlement.roles.keys) == [.sourceUnit]) }
        if [.inclusionPropose, .inclusionDecide].contains(useCase) { #expect(useCase.entitlement.roles[.sourceUnit] == nil) }
    }
}
