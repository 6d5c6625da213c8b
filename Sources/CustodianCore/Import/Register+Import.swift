import Crypto
import Foundation

/// What an import did, or (in a dry run) would do.
public struct ImportOutcome: Sendable, Equatable {
    public let rows: Int
    public let subjects: Int
    public let matters: Int
    public let links: Int
    public let intelligence: Int
    public let flags: Int
    public let dryRun: Bool
    /// SHA-256 of the file, as logged.
    public let digest: String
}

extension Register {
    /// A borough's feed, all or nothing: the file's shape, then every record by the register's
    /// own rules (the same as the API's), each violation named by row and column. Written, it is
    /// logged as one collection entry for the import and one for every record it wrote. A dry
    /// run validates everything through the same gates and writes nothing.
    public func importRecords(
        csv: String, dryRun: Bool, progress: (@Sendable (BatchProgress) -> Void)? = nil, by actor: User, for purpose: StatedPurpose
    ) async throws -> ImportOutcome {
        let digest = SharePackage.hex(SHA256.hash(data: Data(csv.utf8)))
        let file: ImportFile
        do {
            file = try ImportFile.parse(csv)
        } catch {
            // A file that is not even the layout is refused and logged like any refusal.
            try await store.log([
                AuditEntry(
                    at: clock.now(), operation: .refusal, action: .importRecords, actor: actor, purpose: purpose,
                    touched: [AuditResource(.`import`, digest)], outcome: "import.file: \(error)")
            ])
            throw error
        }
        let batch = file.batch
        let outcome = try await record(
            batch, action: .importRecords, dryRun: dryRun, known: file.problems, locate: { file.locate($0) },
            logged: { gate in gate.entry(.collection, touched: [AuditResource(.`import`, digest)], outcome: "\(file.rows) rows imported") },
            progress: progress, by: actor, for: purpose)
        return ImportOutcome(
            rows: file.rows, subjects: outcome.subjects.count, matters: outcome.matters.count, links: batch.links.count,
            intelligence: outcome.intelligence.count, flags: batch.flags.count, dryRun: dryRun, digest: digest)
    }
}
