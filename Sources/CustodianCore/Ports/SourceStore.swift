/// The source register: partner organisations, registered human sources and technical sources.
public protocol SourceStore: Sendable {
    func upsertSource(_ source: RegisteredSource) async throws
    func source(_ id: SourceID) async throws -> RegisteredSource?
    func sources() async throws -> [RegisteredSource]
}

extension SourceStore {
    /// The sources `ids` name, by id; ids the register does not hold are absent.
    func sources(_ ids: some Sequence<SourceID>) async throws -> [SourceID: RegisteredSource] {
        var found: [SourceID: RegisteredSource] = [:]
        for id in Set(ids) { found[id] = try await source(id) }
        return found
    }
}
