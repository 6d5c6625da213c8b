import Foundation
import Testing

@testable import CustodianCore

/// The log's vocabulary is typed: what it touched reads back as the very resource written, and a
/// refusal's rule reads back as the code it cited, so nothing downstream parses text to decide.
@Suite struct AuditVocabularyTests {
    static let subject = SubjectID(UUID())

    @Test(arguments: AuditResource.Kind.allCases) func everyKindReadsBackAsWritten(_ kind: AuditResource.Kind) throws {
        for resource in [
            AuditResource.whole(kind), AuditResource(kind, Self.subject), AuditResource(kind, "UPPER-CASE"),
            AuditResource(kind, Self.subject, part: "retention"), AuditResource(kind, "inclusion", part: "12/40"),
        ] {
            #expect(AuditResource(logged: resource.description) == resource, "\(resource)")
            // Through the canonical bytes as well: the leaf hash is over exactly this text.
            let entry = RecordedAuditEntry(
                sequence: 7,
                entry: AuditEntry(
                    at: Timestamp(microseconds: 1), operation: .consultation, action: .subjectRead, actor: Self.actor, purpose: nil,
                    touched: [resource]))
            #expect(try CanonicalEntry.decode(CanonicalEntry.encode(entry)).entry.touched == [resource])
        }
    }

    @Test func aKindTheRegisterNeverWritesIsNotItsEntry() throws {
        #expect(AuditResource(logged: "nonsense/1") == nil)
        #expect(AuditResource(logged: "") == nil)
        #expect(AuditResource(logged: "Subject/\(Self.subject)") == nil)
        // An entry whose bytes name such a kind fails to decode, so verification reports it.
        let entry = RecordedAuditEntry(
            sequence: 1,
            entry: AuditEntry(
                at: Timestamp(microseconds: 1), operation: .consultation, action: .subjectRead, actor: Self.actor, purpose: nil,
                touched: [AuditResource(.batch, "x")]))
        var bytes = CanonicalEntry.encode(entry)
        let batch = Data("batch/x".utf8)
        let at = try #require(bytes.range(of: batch))
        bytes.replaceSubrange(at, with: Data("bxtch/x".utf8))
        #expect(throws: CanonicalEntryError.self) { try CanonicalEntry.decode(bytes) }
    }

    @Test func theDisclosureIsFoundByKindNotByText() {
        let id = DisclosureID(UUID())
        #expect(AuditResource.disclosure(id).disclosure == id)
        #expect(AuditResource.disclosure(id, part: "package").disclosure == id)
        #expect(AuditResource(.shareRequest, id).disclosure == nil)
        #expect(AuditResource(.disclosure, "not-an-id").disclosure == nil)
    }

    @Test func aRefusalNamesItsRuleAndOnlyARefusalDoes() {
        func entry(_ operation: AuditEntry.Operation, _ outcome: String?) -> AuditEntry {
            AuditEntry(
                at: Timestamp(microseconds: 1), operation: operation, action: .subjectRead, actor: Self.actor, purpose: nil,
                outcome: outcome)
        }
        let refused = entry(
            .refusal, AuditEntry.refusalOutcome([(AccessPolicy.scopeRule, "borough staff act on their own borough's records only")]))
        #expect(refused.refusedUnder == AccessPolicy.scopeRule)
        let two = entry(.refusal, AuditEntry.refusalOutcome([("required", "names[0].given: x"), ("sex.known", "y")]))
        #expect(two.refusedUnder == "required")
        // Words that merely begin like a rule are not one.
        #expect(entry(.consultation, "scope.own-borough: looked").refusedUnder == nil)
    }

    static let actor = User(
        id: UserID(UUID()), username: "vocabulary", displayName: "Vocabulary", role: .auditor, unit: .central,
        trainingCompletedOn: LocalDate(iso: "2025-01-01"), createdAt: Timestamp(microseconds: 0))
}
