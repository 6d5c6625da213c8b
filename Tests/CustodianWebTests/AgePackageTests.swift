import CustodianCore
import Foundation
import Testing

/// Packages open with the stock `age` tool (Debian's `age`, installed by scripts/test) and the
/// partner's identity file, and unpack with `tar`: the format is checked by the real tools, not by
/// our own reading of it.
@Suite struct AgePackageTests {
    /// Runs a tool with files, not pipes, for its input and output: a pipe can fill while we are
    /// still writing, and both sides would wait for ever.
    func run(_ tool: String, _ arguments: [String], input: Data? = nil) throws -> (status: Int32, output: Data, error: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (inURL, outURL, errURL) = (
            dir.appendingPathComponent("in"), dir.appendingPathComponent("out"), dir.appendingPathComponent("err")
        )
        try (input ?? Data()).write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try Data(contentsOf: outURL), String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    func identity(in dir: URL) throws -> (path: String, recipient: AgeRecipient) {
        let path = dir.appendingPathComponent("partner.key").path
        let made = try run("age-keygen", ["-o", path])
        #expect(made.status == 0, "\(made.error)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("# public key: ") })
        return (path, try #require(AgeRecipient(String(line.dropFirst("# public key: ".count)))))
    }

    @Test(arguments: [0, 5, 64 * 1024, 64 * 1024 + 1, 200_000])
    func theAgeToolDecryptsWhatWeEncrypt(_ size: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-age-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (key, recipient) = try identity(in: dir)
        let other = try identity(in: dir.appendingPathComponent("other").creating())
        let plaintext = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let sealed = try AgeEncryption.encrypt(plaintext, to: [recipient, other.recipient])
        let opened = try run("age", ["-d", "-i", key], input: sealed)
        #expect(opened.status == 0, "\(opened.error)")
        #expect(opened.output == plaintext)
        let second = try run("age", ["-d", "-i", other.path], input: sealed)
        #expect(second.output == plaintext, "each recipient opens it")
        var tampered = sealed
        tampered[tampered.count - 1] ^= 1
        #expect(try run("age", ["-d", "-i", key], input: tampered).status != 0, "a changed byte is refused")
    }

    @Test func aTarArchiveInsideUnpacksWithTar() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custodian-tar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var tar = TarArchive(modified: Timestamp(Date()))
        try tar.add("manifest.json", Data("{\"a\":1}".utf8))
        try tar.add("records.csv", Data(String(repeating: "x,y\n", count: 300).utf8))
        let archive = dir.appendingPathComponent("p.tar")
        try tar.finished.write(to: archive)
        let listed = try run("tar", ["-tf", archive.path])
        #expect(listed.status == 0 && String(decoding: listed.output, as: UTF8.self) == "manifest.json\nrecords.csv\n", "\(listed.error)")
        let extracted = try run("tar", ["-xOf", archive.path, "records.csv"])
        #expect(extracted.output == Data(String(repeating: "x,y\n", count: 300).utf8))
    }

    @Test func recipientsAreCheckedAsBech32() {
        let good = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
        #expect(AgeRecipient(good)?.description == good)
        #expect(AgeRecipient("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q") == nil, "checksum")
        #expect(AgeRecipient("AGE1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p".lowercased())?.description == good)
        #expect(AgeRecipient("age-secret-key-1abc") == nil)
        #expect(AgeRecipient("npub1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p") == nil, "another prefix")
    }
}

extension URL {
    func creating() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
