public import Foundation
import Synchronization

/// A typed identifier: a subject's id can never be passed where a matter's is expected.
public struct Identifier<Tag>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let uuid: UUID

    public init(_ uuid: UUID) { self.uuid = uuid }

    public init?(_ text: String) {
        guard let uuid = UUIDText.parse(text) else { return nil }
        self.uuid = uuid
    }

    /// Lower-case canonical text: the form stored in both databases and shown in the API.
    public var description: String { UUIDText.format(uuid) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let uuid = UUIDText.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a UUID"))
        }
        self.uuid = uuid
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public typealias SubjectID = Identifier<Subject>
public typealias MatterID = Identifier<Matter>
public typealias LinkID = Identifier<SubjectMatterLink>
public typealias IntelligenceID = Identifier<IntelligenceItem>
public typealias FlagID = Identifier<Flag>
public typealias UserID = Identifier<User>

/// Time-ordered UUIDs (RFC 9562 version 7): ids made before insert sort by creation, which keeps
/// indexes compact and makes imports and audit entries independent of database sequences.
public struct IdentifierSource: Sendable {
    private let make: @Sendable () -> UUID

    public init(_ make: @escaping @Sendable () -> UUID) { self.make = make }

    public func next<Tag>() -> Identifier<Tag> { Identifier(make()) }

    public static let v7 = IdentifierSource {
        let millis = UInt64(Date().timeIntervalSince1970 * 1000)
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
        let (high, low) = randomness.withLock { ($0.next(), $0.next()) }
        for i in 6..<8 { bytes[i] = UInt8(truncatingIfNeeded: high >> (8 * (i - 6))) }
        for i in 8..<16 { bytes[i] = UInt8(truncatingIfNeeded: low >> (8 * (i - 8))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

/// The random part of ids, drawn from the system's generator 4 KiB at a time: each draw is a call
/// into the kernel, and an import of 100,000 rows makes over 100,000 ids.
private let randomness = Mutex(RandomWords())

private struct RandomWords {
    private var words: [UInt64] = []

    mutating func next() -> UInt64 {
        if words.isEmpty {
            words = [UInt64](repeating: 0, count: 512)
            words.withUnsafeMutableBytes { buffer in
                if let start = buffer.baseAddress { arc4random_buf(start, buffer.count) }
            }
        }
        return words.removeLast()
    }
}
