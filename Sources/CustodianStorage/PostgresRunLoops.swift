import PostgresNIO
public import ServiceLifecycle

/// The run loops of the PostgreSQL pools a server opens, as one service of its group. Pools are
/// added as the register opens them (after the group has started, so migrations can run); each
/// loop inherits the group's graceful shutdown, and the group shuts this service down after the
/// HTTP server (it is listed first), so no request loses its connection mid-answer.
public final class PostgresRunLoops: Service {
    private let clients: AsyncStream<PostgresClient>
    private let arrivals: AsyncStream<PostgresClient>.Continuation

    public init() { (clients, arrivals) = AsyncStream.makeStream() }

    func add(_ client: PostgresClient) { arrivals.yield(client) }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await client in clients { group.addTask { await client.run() } }
            }
        } onGracefulShutdown: { [arrivals] in
            arrivals.finish()
        }
    }
}
