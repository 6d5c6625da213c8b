import CustodianAPI
import CustodianCore
import Foundation

/// A borough feed over the API: the same import as `custodian import`.
extension APIHandler {
    func importRecords(_ input: Operations.ImportRecords.Input) async throws -> Operations.ImportRecords.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let outcome = try await register.importRecords(
            csv: b.csv, dryRun: b.dryRun ?? false, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(
            .init(
                body: .json(
                    .init(
                        rows: outcome.rows, subjects: outcome.subjects, matters: outcome.matters, links: outcome.links,
                        intelligence: outcome.intelligence, flags: outcome.flags, dryRun: outcome.dryRun, sha256: outcome.digest))))
    }
}
