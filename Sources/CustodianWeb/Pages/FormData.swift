import CustodianCore
import Foundation
import Hummingbird

/// A submitted `application/x-www-form-urlencoded` form, keeping repeated names (checkbox lists)
/// and order. Hummingbird's decoder wants a Decodable type per form; pages read fields by name.
struct FormData: Sendable {
    private(set) var pairs: [(String, String)] = []

    init(pairs: [(String, String)]) { self.pairs = DateParts.joined(pairs) }

    /// Refuses a field that is not UTF-8 once decoded, naming it, rather than reading it with
    /// replacement characters nobody typed.
    init(encoded: String) throws(RegisterError) {
        var pairs: [(String, String)] = []
        for part in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(kv[0]) else { throw Self.notUTF8("a field's name") }
            guard let value = kv.count > 1 ? Self.decode(kv[1]) : "" else { throw Self.notUTF8(name) }
            pairs.append((name, value))
        }
        self.init(pairs: pairs)
    }

    /// A GET form's fields, from the address's query.
    init(query request: Request) throws(RegisterError) { try self.init(encoded: request.uri.query ?? "") }

    /// Reads a POSTed body. Forms here are small; anything over 256 KiB is refused.
    static func read(_ request: Request) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: 256 * 1024)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else { throw notUTF8("the form") }
        return try FormData(encoded: text)
    }

    subscript(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    /// The value, or nil when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    private static func decode(_ raw: Substring) -> String? {
        String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static func notUTF8(_ field: String) -> RegisterError {
        .invalid([FieldViolation(field: field, rule: "text.utf8", message: "\(field) is not UTF-8 text; nothing was read from the form")])
    }
}
