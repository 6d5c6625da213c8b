import CustodianAPI
import CustodianCore
import Foundation
import OpenAPIRuntime

/// The source register: kept by the source unit, cited by borough staff.
extension APIHandler {
    func listSources(_ input: Operations.ListSources.Input) async throws -> Operations.ListSources.Output {
        .ok(.init(body: .json(try await register.sourceCitations(by: try Identity.required()).map(Schemas.SourceCitation.init))))
    }

    func registerSource(_ input: Operations.RegisterSource.Input) async throws -> Operations.RegisterSource.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let source = try await register.registerSource(
            SourceDraft(
                kind: b.kind.rawValue, label: b.label, owner: b.owner, handlerUnit: b.handlerUnit.rawValue,
                reliability: b.reliability.rawValue, rationale: b.rationale), by: try Identity.required())
        return .created(.init(body: .json(try .init(source))))
    }

    func getSource(_ input: Operations.GetSource.Input) async throws -> Operations.GetSource.Output {
        let source = try await register.source(try id(input.path.sourceId, "sourceId"), by: try Identity.required())
        return .ok(.init(body: .json(try .init(source))))
    }

    func evaluateSource(_ input: Operations.EvaluateSource.Input) async throws -> Operations.EvaluateSource.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let source = try await register.evaluateSource(
            try id(input.path.sourceId, "sourceId"), EvaluationDraft(reliability: b.reliability.rawValue, rationale: b.rationale),
            withdrawing: b.withdraw ?? false, by: try Identity.required())
        return .ok(.init(body: .json(try .init(source))))
    }
}

extension Schemas.SourceCitation {
    init(_ c: SourceCitation) throws {
        self.init(
            id: c.id.description, kind: try wire(c.kind.rawValue), label: c.label, handlerUnit: try wire(c.handlerUnit.code),
            reliability: try wire(c.reliability.rawValue), withdrawn: c.withdrawn)
    }
}

extension Schemas.RegisteredSource {
    init(_ s: RegisteredSource) throws {
        self.init(
            id: s.id.description, kind: try wire(s.kind.rawValue), label: s.label, owner: s.owner,
            handlerUnit: try wire(s.handlerUnit.code),
            reliability: try wire(s.reliability.rawValue), registeredBy: s.registeredBy.description, registeredAt: s.registeredAt.date,
            withdrawnAt: s.withdrawnAt?.date,
            evaluations: try s.evaluations.map {
                .init(reliability: try wire($0.reliability.rawValue), rationale: $0.rationale, by: $0.by.description, at: $0.at.date)
            })
    }
}
