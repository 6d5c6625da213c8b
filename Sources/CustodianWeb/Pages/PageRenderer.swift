import Foundation
import Hummingbird
import Mustache

/// The page templates, loaded once from the target's resources. Mustache escapes every value
/// for HTML unless a template asks otherwise, and none here does.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() throws {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Templates") else {
            throw PageSetupError("the page templates are missing from the build")
        }
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: root.path) where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            library.register(try MustacheTemplate(string: text), named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
    }

    func render(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(context, withTemplate: template) else {
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "page template '\(template)' is missing\n")))
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

struct PageSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The stylesheet and the one small script, served from the target's resources with their hash
/// in the URL so they can be cached without ever going stale.
struct PageAssets: Sendable {
    struct Asset: Sendable {
        let path: String
        let body: String
        let contentType: String
    }
    let stylesheet: Asset
    let script: Asset

    init() throws {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Assets") else {
            throw PageSetupError("the page assets are missing from the build")
        }
        func load(_ name: String, _ type: String) throws -> Asset {
            let body = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: a cache key, not a security measure
            for byte in body.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            let stem = name.split(separator: ".")
            return Asset(path: "/assets/\(stem[0])-\(String(hash, radix: 16).prefix(10)).\(stem[1])", body: body, contentType: type)
        }
        stylesheet = try load("custodian.css", "text/css; charset=utf-8")
        script = try load("custodian.js", "text/javascript; charset=utf-8")
    }
}
