/// One broken rule on one field: what a person must change to be accepted.
public struct FieldViolation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The field as the caller named it, dotted for nested fields (`socialMedia.capturedAt`).
    public let field: String
    /// A short stable code for the rule (`required`, `grade.source`, `own-borough`).
    public let rule: String
    /// The rule in plain words.
    public let message: String

    public init(field: String, rule: String, message: String) {
        (self.field, self.rule, self.message) = (field, rule, message)
    }

    public var description: String { "\(field): \(message) [\(rule)]" }
}

/// Everything the register refuses, with a reason a person can act on. Adapters map these to
/// their own forms (problem+json, form errors, exit codes); the words come from here.
public enum RegisterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The request broke one or more rules; nothing was written.
    case invalid([FieldViolation])
    /// The access policy refused the action.
    case denied(AccessDenial)
    /// No record of that kind and id exists.
    case notFound(kind: String, id: String)
    /// Not signed in, or the credential is unknown, expired or revoked.
    case unauthenticated(String)
    /// The request conflicts with what is already held (a duplicate username, a repeated link).
    case conflict(String)

    public var description: String {
        switch self {
        case .invalid(let v): "invalid: " + v.map(\.description).joined(separator: "; ")
        case .denied(let d): "denied: \(d.reason) [\(d.rule)]"
        case .notFound(let kind, let id): "no \(kind) with id \(id)"
        case .unauthenticated(let why): "unauthenticated: \(why)"
        case .conflict(let why): "conflict: \(why)"
        }
    }
}

/// Collects every violation in a request before refusing it, so one round trip shows all fixes.
public struct Validator: Sendable {
    public private(set) var violations: [FieldViolation] = []
    private let prefix: String

    public init(prefix: String = "") { self.prefix = prefix }

    public mutating func fail(_ field: String, _ rule: String, _ message: String) {
        violations.append(FieldViolation(field: prefix + field, rule: rule, message: message))
    }

    public mutating func check(_ condition: Bool, _ field: String, _ rule: String, _ message: String) {
        if !condition { fail(field, rule, message) }
    }

    /// Requires non-blank text no longer than `max`, returning it trimmed and in Unicode NFC, so one
    /// name has one spelling in storage and in search. Refuses what no person types and what can
    /// hide or reorder text: control characters (line breaks and tabs aside), bidirectional
    /// overrides and isolates, zero-width characters. The field's name is built only for a
    /// violation: a feed validates millions of fields.
    @discardableResult
    public mutating func text(_ value: String?, _ name: @autoclosure () -> String, max: Int = 200, required: Bool = true) -> String? {
        let trimmed = (value ?? "").canonicallyComposed.trimmedWhiteSpace
        if trimmed.isEmpty {
            if required {
                let field = name()
                fail(field, "required", "\(field) is required")
            }
            return nil
        }
        // A string's characters are never more than its UTF-8 bytes: count them only when it may matter.
        if trimmed.utf8.count > max, trimmed.count > max {
            let field = name()
            fail(field, "max-length", "\(field) must be at most \(max) characters")
        }
        if let bad = trimmed.unicodeScalars.first(where: Self.isHidden) {
            let field = name()
            fail(
                field, "text.characters",
                "\(field) holds a hidden or control character (U+\(String(bad.value, radix: 16, uppercase: true))), which is not allowed")
        }
        return trimmed
    }

    /// Text that is one line: a name, a reference, a label. As `text`, and with no line break, tab
    /// or space other than the ordinary one, which a name pasted from a document brings unseen and
    /// which make one name two spellings.
    @discardableResult
    public mutating func line(_ value: String?, _ name: @autoclosure () -> String, max: Int = 200, required: Bool = true) -> String? {
        guard let trimmed = text(value, name(), max: max, required: required) else { return nil }
        if let bad = trimmed.unicodeScalars.first(where: { $0.isWhiteSpace && $0 != " " && !Self.isHidden($0) }) {
            let field = name()
            let hex = String(bad.value, radix: 16, uppercase: true)
            fail(
                field, "text.single-line",
                "\(field) must be one line with ordinary spaces (it holds U+\(String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex))"
            )
        }
        return trimmed
    }

    /// Characters that control, hide or reorder text rather than spell it.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 and C1 controls, NUL included
        // Zero-width characters, line and paragraph separators, bidi embeddings, overrides and isolates.
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// Requires a list to hold at most `max` items.
    public mutating func count<T>(_ items: [T], _ field: String, max: Int) {
        check(items.count <= max, field, "max-items", "\(field) may hold at most \(max) items")
    }

    public mutating func merge(_ other: Validator) { violations += other.violations }

    /// The reason for a decision: substantive, so a later reader (a reviewer, the person, the
    /// regulator) learns why. "ok" or "approved" is not a reason.
    public static let minimumDecisionReason = 20

    public mutating func decisionReason(_ value: String?, _ field: String = "reason") -> String? {
        let reason = text(value, field, max: 1000)
        if let reason, reason.count < Self.minimumDecisionReason {
            fail(field, "decision.reason", "say why, in at least \(Self.minimumDecisionReason) characters")
        }
        return reason
    }

    /// Parses a list of ids, naming each one that is not a UUID as `field[i]`.
    public mutating func ids<Tag>(_ texts: [String], _ field: String) -> [Identifier<Tag>] {
        texts.enumerated().compactMap { i, text in
            let id = Identifier<Tag>(text)
            check(id != nil, "\(field)[\(i)]", "id.format", "must be an id (a UUID)")
            return id
        }
    }

    /// Runs another check, keeping its violations with these instead of stopping at the first
    /// refusal; nil when it failed.
    public mutating func collect<T>(_ check: () throws(RegisterError) -> T) throws(RegisterError) -> T? {
        do { return try check() } catch .invalid(let found) {
            violations += found
            return nil
        }
    }

    public func finish() throws(RegisterError) {
        if !violations.isEmpty { throw .invalid(violations) }
    }

    /// Finishes and hands back the parsed values, all present: `let (a, b) = try v.finish(a, b)`.
    /// Each value is nil exactly when a violation was recorded for it, so the answer is always the
    /// violations; a nil with none recorded is a gap in a validator, refused rather than trapped.
    public func finish<each Value>(_ values: repeat (each Value)?) throws(RegisterError) -> (repeat each Value) {
        try finish()
        return (repeat try Self.present(each values))
    }

    private static func present<Value>(_ value: Value?) throws(RegisterError) -> Value {
        guard let value else {
            throw .invalid([FieldViolation(field: "request", rule: "validation.incomplete", message: "a required value could not be read")])
        }
        return value
    }
}

import Foundation
