import PostgresNIO
public import ServiceLifecycle

/// The run loops of the PostgreSQL pools a server opens, as one service of its group. Pools are
/// added as the register opens them (after the group has started, so migrations can run); each
/// loop inherits the group's graceful shutdown, and the group shuts this service down after the
/// HTTP server (it is listed first), so no request loses its connection mid-answer.
public final class PostgresRunLoops: Service {
    private typealias Arrival = (client: PostgresClient, started: CheckedContinuation<Void, Never>)
    private let clients: AsyncStream<Arrival>
    private let arrivals: AsyncStream<Arrival>.Continuation

    public init() { (clients, arrivals) = AsyncStream.makeStream() }

    /// Hands a pool to the group and returns once its loop's task is running, so the first query
    /// does not race the loop's start. Returns at once if the group has already stopped.
    func add(_ client: PostgresClient) async {
        await withCheckedContinuation { started in
            if case .terminated = arrivals.yield((client, started)) { started.resume() }
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await arrival in clients {
                    group.addTask {
                        arrival.started.resume()
                        await arrival.client.run()
                    }
                }
            }
        } onGracefulShutdown: { [arrivals] in
            arrivals.finish()
        }
    }
}
