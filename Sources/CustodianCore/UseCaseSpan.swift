import Tracing

/// A use case as a span, when a server exports traces: named for the use case, carrying the role
/// that asked and how it ended (done, refused by which rule, invalid, not found, failed). Never a
/// record's content, a purpose's justification, an id or an error's words, which can name people
/// or echo what was typed: a trace leaves the register's control, its audit log does not.
enum UseCaseSpan {
    static func run<R>(_ action: UseCase, _ actor: User, _ body: (any Span) async throws -> R) async throws -> R {
        let span = startSpan(action.rawValue)
        defer { span.end() }
        span.attributes["custodian.use_case"] = action.rawValue
        span.attributes["custodian.role"] = actor.role.rawValue
        do {
            let result = try await InstrumentationContext.$current.withValue(span.context) { try await body(span) }
            span.attributes["custodian.outcome"] = "done"
            return result
        } catch {
            // A refusal answered as "not found" (no oracle to borough staff) was noted as refused.
            if span.attributes["custodian.outcome"] == nil { span.attributes["custodian.outcome"] = outcome(of: error) }
            if case .failed = kind(of: error) { span.setStatus(SpanStatus(code: .error)) }
            throw error
        }
    }

    /// Notes the rule that refused the use case, before the refusal is answered as something else.
    static func refused(_ span: any Span, _ rule: RuleCode) {
        span.attributes["custodian.outcome"] = "refused: \(rule.rawValue)"
    }

    private enum Kind {
        case refused(RuleCode)
        case invalid([String])
        case notFound, failed
    }

    private static func kind(of error: any Error) -> Kind {
        switch error as? RegisterError {
        case .denied(let denial): .refused(denial.rule)
        case .invalid(let violations): .invalid(violations.map(\.rule))
        case .notFound: .notFound
        case .unauthenticated, .conflict, nil: .failed
        }
    }

    static func outcome(of error: any Error) -> String {
        switch kind(of: error) {
        case .refused(let rule): "refused: \(rule.rawValue)"
        case .invalid(let rules): "invalid: " + rules.joined(separator: ", ")
        case .notFound: "not found"
        case .failed: "failed"
        }
    }
}
