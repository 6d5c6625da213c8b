import Foundation
import Hummingbird

/// A submitted `application/x-www-form-urlencoded` form, keeping repeated names (checkbox lists)
/// and order. Hummingbird's decoder wants a Decodable type per form; pages read fields by name.
struct FormData: Sendable {
    private(set) var pairs: [(String, String)] = []

    init(pairs: [(String, String)]) { self.pairs = DateParts.joined(pairs) }

    init(encoded: String) {
        self.init(
            pairs: encoded.split(separator: "&", omittingEmptySubsequences: true).map { part in
                let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (Self.decode(kv[0]), kv.count > 1 ? Self.decode(kv[1]) : "")
            })
    }

    /// A GET form's fields, from the address's query.
    init(query request: Request) { self.init(encoded: request.uri.query ?? "") }

    /// Reads a POSTed body. Forms here are small; anything over 256 KiB is refused.
    static func read(_ request: Request) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: 256 * 1024)
        return FormData(encoded: String(buffer: buffer))
    }

    subscript(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    /// The value, or nil when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    private static func decode(_ raw: Substring) -> String {
        String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(raw)
    }
}
