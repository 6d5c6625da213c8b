import CustodianCore

extension SQLRegisterTransaction {
    func upsertSource(_ source: RegisteredSource) async throws {
        try await upsert("registered_sources", id: source.id.description, lookup: source.kind.rawValue, source)
    }

    func source(_ id: SourceID) async throws -> RegisteredSource? {
        try await one("registered_sources", id: id.description, RegisteredSource.self)
    }

    func sources() async throws -> [RegisteredSource] { try await all("registered_sources", RegisteredSource.self) }
}
