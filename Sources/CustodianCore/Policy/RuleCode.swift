/// The stable code of a rule a refusal or a field violation cites (`scope.own-borough`,
/// `four-eyes.erasure`): what the API's problem answers carry, the log's refusal entries begin
/// with, and code compares. Written as literals where each rule is defined, in `Denials.swift`
/// and the policy table; compared only as values.
public struct RuleCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension AuditEntry {
    /// A refusal's outcome as logged: the rule's code, then its words. `refusedUnder` reads it back.
    static func refusalOutcome(_ rules: [(rule: RuleCode, words: String)]) -> String {
        rules.map { "\($0.rule): \($0.words)" }.joined(separator: "; ")
    }

    /// The rule a refusal entry cites first; nil for any other entry.
    public var refusedUnder: RuleCode? {
        guard operation == .refusal, let outcome, let colon = outcome.firstRange(of: ": ") else { return nil }
        return RuleCode(rawValue: String(outcome[..<colon.lowerBound]))
    }
}
