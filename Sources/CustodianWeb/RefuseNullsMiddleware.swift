import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// No field in the contract is nullable: an optional field is omitted, never sent as null. The
/// generated decoder reads null as absent, so `"extendTo": null` would silently mean "terminate";
/// this refuses any null in a JSON body with 400, naming the field (rule json.shape), before a
/// handler runs. Bodies over `limit` are refused with 413 rather than read.
struct RefuseNullsMiddleware: ServerMiddleware {
    static let limit = 4 << 20

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { Int(stringValue) }
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) { self.stringValue = String(intValue) }
    }

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    )
        async throws -> (HTTPResponse, HTTPBody?)
    {
        guard let body, request.headerFields[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            return try await next(request, body, metadata)
        }
        let bytes: Data
        do { bytes = try await Data(collecting: body, upTo: Self.limit) } catch {
            throw HTTPError(.contentTooLarge, message: "the body is over \(Self.limit) bytes")
        }
        if let json = try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed]),
            let path = Self.firstNull(in: json, at: [])
        {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: path, debugDescription: "omit the field rather than send null"))
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }

    /// The path to the first null, depth first, keys in sorted order so the answer is stable.
    static func firstNull(in value: Any, at path: [Key]) -> [Key]? {
        switch value {
        case is NSNull: return path
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                if let found = object[key].flatMap({ firstNull(in: $0, at: path + [Key(stringValue: key)]) }) { return found }
            }
        case let array as [Any]:
            for (i, item) in array.enumerated() {
                if let found = firstNull(in: item, at: path + [Key(intValue: i)]) { return found }
            }
        default: break
        }
        return nil
    }
}
