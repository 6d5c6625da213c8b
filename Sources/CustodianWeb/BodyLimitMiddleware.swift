import Hummingbird
import NIOCore

/// Every request's body is limited, whatever its content type says and whether or not it gives
/// its length: a body that says it is too large is refused (413) before a byte of it is read, and
/// one that grows too large as soon as it does, so nothing ever holds more than its route's limit
/// in memory. The refusal is thrown to whoever reads the body, so a page answers with a page.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The import page's upload (`FileUpload.limit`); every other route, the API's JSON limit.
    static func limit(for path: String) -> Int {
        path == "/import" ? FileUpload.limit : RefuseNullsMiddleware.limit
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let limit = Self.limit(for: request.uri.path)
        let declared = request.headers[.contentLength].flatMap(Int.init)
        // The API answers before its operation is found, whatever the body claims to be; a page
        // refuses when its handler reads the body, so the refusal is a page.
        if request.uri.path.hasPrefix("/api/"), let declared, declared > limit { throw Self.tooLarge(limit) }
        var request = request
        request.body = RequestBody(asyncSequence: Limited(base: request.body, limit: limit, declared: declared))
        return try await next(request, context)
    }

    static func tooLarge(_ limit: Int) -> HTTPError {
        HTTPError(.contentTooLarge, message: "the body is over \(limit) bytes, this address's limit; nothing was read")
    }

    /// The body, refused at the chunk that takes it past the limit.
    struct Limited: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let base: RequestBody
        let limit: Int
        let declared: Int?

        struct AsyncIterator: AsyncIteratorProtocol {
            var base: RequestBody.AsyncIterator
            let limit: Int
            let declared: Int?
            var read = 0

            mutating func next() async throws -> ByteBuffer? {
                if let declared, declared > limit { throw BodyLimitMiddleware.tooLarge(limit) }
                guard let chunk = try await base.next() else { return nil }
                read += chunk.readableBytes
                if read > limit { throw BodyLimitMiddleware.tooLarge(limit) }
                return chunk
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit, declared: declared) }
    }
}
