import Hummingbird

/// A browser that asks for an address with no page behind it gets a page saying so, inside its own
/// navigation; API clients, and anything not asking for HTML, keep their problem+json.
struct MissingPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.wantsPage(request) {
            let visitor = try? await pages.optionalVisitor(request)
            return pages.page(
                "problem", "Page not found", visitor,
                [
                    "heading": "There is no page at this address.",
                    "detail": "Check the address for a mistake, or go on from the navigation above.", "status": 404,
                ], status: .notFound)
        }
    }

    static func wantsPage(_ request: Request) -> Bool {
        !request.uri.path.hasPrefix("/api/") && (request.headers[.accept]?.contains("text/html") ?? false)
    }
}
