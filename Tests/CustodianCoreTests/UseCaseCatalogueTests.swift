import CustodianCore
import Testing

/// The use-case catalogue: every use case declares what it does, and the DPIA gate is derived
/// from that declaration, never from a list of names.
@Suite struct UseCaseCatalogueTests {
    /// The use cases the audit got round the DPIA through (a disclosure by package or portal, a
    /// score, a child action, a duplicate decision), beside the nine a name list gated before.
    static let mustRequireDPIA: Set<UseCase> = [
        .subjectCreate, .matterCreate, .linkCreate, .intelligenceCreate, .flagCreate, .batchRecord, .importRecords,
        .inclusionPropose, .shareRequest,
        .sharePackage, .portalList, .shareDecide, .inclusionDecide, .harmAssess, .childActionRequest, .childActionDecide,
        .duplicatesDecide,
    ]

    /// What must go on while no DPIA is in force: reading, rights, governance, oversight, and
    /// everything that only reduces processing (erasure, restriction, removal, recall, the sweep).
    static let mustNotRequireDPIA: Set<UseCase> = [
        .subjectRead, .subjectSearch, .rightsAnswer, .rightsDecide, .rightsRectify, .removalDecide, .retentionDecide,
        .subjectRestrict, .recallRaise, .recallConfirmDeletion, .reviewSweep, .dpiaDraft, .dpiaAdvise, .dpiaApprove, .auditVerify,
        .breachReport, .breachContain, .agreementSuspend, .duplicatesReverse,
    ]

    @Test func theDPIAGateFollowsWhatEachUseCaseDeclaresItDoes() {
        let gated = Set(UseCase.allCases.filter(\.declaration.requiresDPIA))
        #expect(Self.mustRequireDPIA.subtracting(gated).isEmpty, "ungated: \(Self.mustRequireDPIA.subtracting(gated))")
        #expect(gated.isDisjoint(with: Self.mustNotRequireDPIA), "gated: \(gated.intersection(Self.mustNotRequireDPIA))")
    }

    /// The rule itself, case by case: an operational use case that writes, scores or discloses
    /// people's data needs a DPIA unless it only reduces processing; nothing else does.
    @Test(arguments: UseCase.allCases) func eachUseCaseIsGatedExactlyWhenItProcessesPeopleForOperations(_ useCase: UseCase) {
        let d = useCase.declaration
        let processes = !d.does.isDisjoint(with: [.writes, .scores, .discloses])
        let people = d.data.contains(.people) || d.data.contains(.sensitive)
        #expect(d.requiresDPIA == (d.serves == .operations && people && processes && !d.reducesProcessing), "\(useCase)")
        if d.does.contains(.discloses) || d.does.contains(.scores) { #expect(d.requiresDPIA, "\(useCase) discloses or scores") }
        if d.reducesProcessing { #expect(!d.requiresDPIA && !d.widensPrivilege, "\(useCase) reduces processing") }
        if d.irreversible { #expect(d.reducesProcessing, "\(useCase): an irreversible step only ever takes data away") }
        #expect(!d.does.isEmpty && !d.data.isEmpty, "\(useCase) declares nothing")
    }

    /// The audit log keeps its action names: each is the use case's raw value, `kind.verb`, and
    /// reads back as the same use case.
    @Test func everyActionNameReadsBackAsItsUseCase() {
        for useCase in UseCase.allCases {
            #expect(UseCase(rawValue: useCase.rawValue) == useCase)
            #expect(useCase.rawValue.wholeMatch(of: /[a-z-]+(\.[a-z-]+)+/) != nil, "\(useCase.rawValue)")
        }
        #expect(UseCase.allCases.count == Set(UseCase.allCases.map(\.rawValue)).count)
    }
}
