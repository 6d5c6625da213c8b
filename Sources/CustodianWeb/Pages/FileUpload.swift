import Foundation
import Hummingbird
import MultipartKit

/// A `multipart/form-data` form with one file, as a plain HTML upload sends it: the CSRF token, the
/// file's text and any checkboxes. Read with MultipartKit, never by hand.
struct FileUpload: Decodable, Sendable {
    let _csrf: String?
    let file: String?
    let dryRun: String?

    /// Largest file a page accepts; the command line takes larger feeds.
    static let limit = 64 * 1024 * 1024

    static func read(_ request: Request) async throws -> FileUpload {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.boundary(of: type)
        else {
            throw HTTPError(.badRequest, message: "the upload must be sent as multipart/form-data, as the page's form sends it")
        }
        let body = try await request.body.collect(upTo: limit)
        do {
            return try FormDataDecoder().decode(FileUpload.self, from: body, boundary: boundary)
        } catch {
            throw HTTPError(.badRequest, message: "the upload could not be read as a form: \(error)")
        }
    }

    /// The `boundary` parameter of a Content-Type, quoted or not.
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }
}
